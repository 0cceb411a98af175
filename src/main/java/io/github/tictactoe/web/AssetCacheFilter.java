package io.github.tictactoe.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/** Lets browsers keep a static file for a year when it is asked for by this release's version, for an hour if not. */
public final class AssetCacheFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** The page links {@code ?v=<version>}: a new release is a new URL, so this one's content never changes. */
    static final String VERSIONED = "public, max-age=31536000, immutable";
    /** Without this release's version the URL may be reused by the next one, so browsers revalidate within the hour. */
    static final String UNVERSIONED = "public, max-age=3600";
    /** Encoded once, as the security headers are (bench/RESULTS.md: Jetty encodes a {@code setHeader} every time). */
    private static final List<HttpField> VERSIONED_HEADERS =
            List.of(new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, VERSIONED));
    private static final List<HttpField> UNVERSIONED_HEADERS =
            List.of(new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, UNVERSIONED));

    /** The query string of the URLs the page links, exactly: {@code v=<version>}. */
    private final String versionedQuery;

    public AssetCacheFilter(String version) {
        this.versionedQuery = "v=" + version;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // The page's own URL, compared whole: cheaper than getParameter, which decodes every parameter of the query
        // (bench/RESULTS.md measures the difference), and a URL with anything else in its query is not the page's link.
        boolean versioned = ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                && versionedQuery.equals(request.getQueryString());
        // Set before the default servlet answers; an error response (404) starts with fresh headers, uncached.
        PreEncodedHeaders.set(response, versioned ? VERSIONED_HEADERS : UNVERSIONED_HEADERS);
        chain.doFilter(request, response);
    }
}
