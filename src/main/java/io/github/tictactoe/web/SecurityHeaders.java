package io.github.tictactoe.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The browser security headers every response carries, in one place for the filter and the server's error pages. */
public final class SecurityHeaders {

    /** Only our own origin: the page loads no CDN, inline script or inline style. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /** Header name to value. */
    public static final Map<String, String> ALL;

    static {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        ALL = Collections.unmodifiableMap(headers);
    }

    private SecurityHeaders() {
    }
}
