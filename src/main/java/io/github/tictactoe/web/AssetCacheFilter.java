package io.github.tictactoe.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Lets browsers keep a static file for a year when it is asked for by this release's version, for an hour if not. */
public final class AssetCacheFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** The page links {@code ?v=<version>}: a new release is a new URL, so this one's content never changes. */
    static final String VERSIONED = "public, max-age=31536000, immutable";
    /** Without this release's version the URL may be reused by the next one, so browsers revalidate within the hour. */
    static final String UNVERSIONED = "public, max-age=3600";

    private final String version;

    public AssetCacheFilter(String version) {
        this.version = version;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Only the query string of a GET or HEAD: for any other method getParameter would read a form body.
        boolean versioned = ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                && version.equals(request.getParameter("v"));
        // Set before the default servlet answers; an error response (404) starts with fresh headers, uncached.
        response.setHeader("Cache-Control", versioned ? VERSIONED : UNVERSIONED);
        chain.doFilter(request, response);
    }
}
