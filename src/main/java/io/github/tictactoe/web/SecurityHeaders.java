package io.github.tictactoe.web;

import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;

/** The browser security headers every response carries, in one place for the filter and the server's error pages. */
public final class SecurityHeaders {

    /** Only our own origin: the page loads no CDN, inline script or inline style. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /**
     * The headers as Jetty fields encoded once: set by name and value, Jetty checks and encodes them again on every
     * response, a cost per request that bench/RESULTS.md measures.
     */
    public static final List<HttpField> ALL = List.of(
            new PreEncodedHttpField("Content-Security-Policy", CONTENT_SECURITY_POLICY),
            new PreEncodedHttpField("X-Content-Type-Options", "nosniff"),
            new PreEncodedHttpField("X-Frame-Options", "DENY"),
            new PreEncodedHttpField("Referrer-Policy", "no-referrer"));

    private SecurityHeaders() {
    }
}
