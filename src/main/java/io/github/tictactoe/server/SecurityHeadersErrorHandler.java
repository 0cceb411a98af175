package io.github.tictactoe.server;

import io.github.tictactoe.web.SecurityHeaders;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages for requests that never reach the servlet context (an ambiguous or malformed path, a header
 * too large), with the same security headers as every other response.
 */
final class SecurityHeadersErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        SecurityHeaders.ALL.forEach(response.getHeaders()::put);
        return super.handle(request, response, callback);
    }
}
