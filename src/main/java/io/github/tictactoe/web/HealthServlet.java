package io.github.tictactoe.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/** A health endpoint: 200 "ok" while its check holds, 503 "unavailable" when it does not. */
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient BooleanSupplier healthy;

    /**
     * @param healthy the check; liveness passes {@code () -> true}, readiness whether the server is still taking work
     */
    public HealthServlet(BooleanSupplier healthy) {
        this.healthy = healthy;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean ok = healthy.getAsBoolean();
        response.setStatus(ok ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("text/plain;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(ok ? "ok\n" : "unavailable\n");
    }
}
