package io.github.tictactoe.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Adds the browser security headers to every response and refuses TRACE, which would echo credentials back. */
public final class SecurityHeadersFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Set before the chain runs so that error pages and static files carry them too. A request's own dispatch
        // comes here first, before anything could have set them; an error dispatch may follow a response that did.
        if (request.getDispatcherType() == DispatcherType.REQUEST) {
            PreEncodedHeaders.add(response, SecurityHeaders.ALL);
        } else {
            PreEncodedHeaders.set(response, SecurityHeaders.ALL);
        }
        if ("TRACE".equals(request.getMethod())) {
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "TRACE is not allowed");
            return;
        }
        chain.doFilter(request, response);
    }
}
