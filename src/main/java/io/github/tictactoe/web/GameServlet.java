package io.github.tictactoe.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * Serves the game page: the {@code index.html} template with this instance's version and replica filled in, with an
 * ETag so that a browser revalidating it gets a 304.
 */
public final class GameServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final byte[] page;
    /** A strong validator of the page's bytes: the page differs by replica and version, and so does this. */
    private final String etag;
    /**
     * Cache-Control and ETag encoded once: by name and value, Jetty checks and encodes them again on every response
     * (bench/RESULTS.md has the page's JFR profile with and without).
     */
    private final List<HttpField> headers;

    /**
     * @param template the page with {@code {{version}}} and {@code {{replica}}} placeholders
     */
    public GameServlet(String template, String version, String replica) {
        // Version and replica never change while the process runs, so the page is rendered once.
        this.page = render(template, Map.of("{{version}}", version, "{{replica}}", replica))
                .getBytes(StandardCharsets.UTF_8);
        this.etag = etagOf(page);
        // Each replica renders its own name into the page, so browsers must revalidate rather than reuse it.
        this.headers = List.of(new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-cache"),
                new PreEncodedHttpField(HttpHeader.ETAG, etag));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/html;charset=utf-8");
        PreEncodedHeaders.set(response, headers);
        if (matches(request.getHeaders("If-None-Match"), etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }

    /** The ETag this servlet sends with its page. */
    String etag() {
        return etag;
    }

    /**
     * Whether an If-None-Match field names this ETag or is "*": RFC 9110's weak comparison, so W/ is ignored. The
     * ETag holds only base64url characters, so it can be found among the comma-separated entity tags as it is.
     */
    private static boolean matches(Enumeration<String> ifNoneMatch, String etag) {
        while (ifNoneMatch.hasMoreElements()) {
            for (String tag : ifNoneMatch.nextElement().split(",")) {
                String trimmed = tag.strip();
                if (trimmed.equals("*") || trimmed.equals(etag) || trimmed.equals("W/" + etag)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String etagOf(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            // 16 of the 32 bytes: a validator, not a signature.
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    static String render(String template, Map<String, String> values) {
        String page = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            page = page.replace(value.getKey(), escapeHtml(value.getValue()));
        }
        return page;
    }

    static String escapeHtml(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
