package io.github.tictactoe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.MetricValues;
import io.github.tictactoe.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An exception escaping a servlet, in the real server with a failing servlet added beside the real ones. */
class MetricsFilterExceptionTest {

    @RegisterExtension
    final TestServer server = new TestServer(context ->
            context.addServlet(new ServletHolder("boom", new FailingServlet()), "/boom"));

    @Test
    void recordsAnEscapingExceptionAsStatus500AndCountsIt() throws Exception {
        int status = server.send(new HttpGet(server.uri("/boom"))).status();

        MetricValues metrics = server.metrics();
        assertThat(status).isEqualTo(500);
        assertThat(metrics.counter("http_server_requests_total", "method", "GET", "route", "/boom", "status", "500"))
                .isEqualTo(1);
        assertThat(metrics.counter("http_server_requests_total", "method", "GET", "route", "/boom", "status", "200"))
                .isZero();
        assertThat(metrics.counter("http_server_request_exceptions_total",
                "exception", "java.lang.IllegalStateException", "method", "GET", "route", "/boom")).isEqualTo(1);
        assertThat(metrics.gauge("http_server_active_requests")).isZero();
    }

    /** Throws before writing anything, the case in which the status still reads 200 inside the filter. */
    private static final class FailingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            throw new IllegalStateException("deliberate failure for the test");
        }
    }
}
