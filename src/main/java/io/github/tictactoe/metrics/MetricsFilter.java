package io.github.tictactoe.metrics;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;

/**
 * Records every request into {@link HttpServerMetrics}, labelled by method, route template and status, never by raw path.
 */
public final class MetricsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** The route of a request that the default servlet answered with a 404. */
    static final String NOT_FOUND = "NOT_FOUND";
    /** The route of a request that the default servlet answered with a redirect (a directory without its slash). */
    static final String REDIRECTION = "REDIRECTION";
    /** The route of a request that reached the chain without a servlet mapping. */
    static final String UNKNOWN = "UNKNOWN";
    /** The route of a static file served by the default servlet. */
    static final String STATIC = "/*";
    /** The method label of any method outside the standard set. */
    static final String OTHER_METHOD = "_OTHER";

    private static final Set<String> STANDARD_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
    private static final String[] STATUS_LABELS = new String[600];

    static {
        for (int status = 100; status < STATUS_LABELS.length; status++) {
            STATUS_LABELS[status] = Integer.toString(status);
        }
    }

    private final transient HttpServerMetrics metrics;
    private final Set<String> unrecordedRoutes;

    /**
     * @param unrecordedRoutes route templates whose requests are not recorded, such as the metrics endpoint itself
     */
    public MetricsFilter(HttpServerMetrics metrics, Set<String> unrecordedRoutes) {
        this.metrics = metrics;
        this.unrecordedRoutes = Set.copyOf(unrecordedRoutes);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletMapping mapping = request.getHttpServletMapping();
        if (mapping != null && unrecordedRoutes.contains(mapping.getPattern())) {
            chain.doFilter(request, response);
            return;
        }
        long start = System.nanoTime();
        metrics.started();
        Throwable failure = null;
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (failure == null && request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new RecordOnComplete(request, response, start));
            } else {
                record(request, response, start, failure);
            }
        }
    }

    private void record(HttpServletRequest request, HttpServletResponse response, long start, Throwable failure) {
        long nanos = System.nanoTime() - start;
        // Jetty sends a 500 for an exception only after the chain has returned; until then the status still reads 200.
        int status = failure != null && !response.isCommitted() ? 500 : response.getStatus();
        String method = methodLabel(request.getMethod());
        String route = routeLabel(request.getHttpServletMapping(), status);
        if (failure != null) {
            metrics.failed(method, route, failure);
        }
        metrics.finished(method, route, statusLabel(status), nanos, requestBytes(request), responseBytes(response));
    }

    static String methodLabel(String method) {
        return STANDARD_METHODS.contains(method) ? method : OTHER_METHOD;
    }

    static String statusLabel(int status) {
        return status >= 100 && status < STATUS_LABELS.length ? STATUS_LABELS[status] : "_OTHER";
    }

    /** The servlet mapping's template; what the default servlet answers is a static file, a 404 or a redirect. */
    static String routeLabel(HttpServletMapping mapping, int status) {
        if (mapping == null || mapping.getMappingMatch() == null) {
            return UNKNOWN;
        }
        return switch (mapping.getMappingMatch()) {
            case CONTEXT_ROOT -> "/";
            case DEFAULT -> status == 404 ? NOT_FOUND : status >= 300 && status < 400 && status != 304 ? REDIRECTION : STATIC;
            case EXACT, PATH, EXTENSION -> mapping.getPattern();
        };
    }

    /** Bytes of the body the application read; Jetty counts them, the Servlet API does not. */
    private static long requestBytes(HttpServletRequest request) {
        ServletContextRequest jettyRequest = ServletContextRequest.getServletContextRequest(request);
        return jettyRequest != null ? jettyRequest.getHttpInput().getContentReceived() : 0;
    }

    /** Bytes of the body the application wrote, including files the default servlet sent past the output stream. */
    private static long responseBytes(HttpServletResponse response) {
        ServletContextResponse jettyResponse = ServletContextResponse.getServletContextResponse(response);
        return jettyResponse != null ? jettyResponse.getHttpOutput().getWritten() : 0;
    }

    /** Records an asynchronous request when it completes rather than when its first dispatch returns. */
    private final class RecordOnComplete implements AsyncListener {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final long start;

        RecordOnComplete(HttpServletRequest request, HttpServletResponse response, long start) {
            this.request = request;
            this.response = response;
            this.start = start;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            record(request, response, start, event.getThrowable());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows and records the request once
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows and records the request once
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
