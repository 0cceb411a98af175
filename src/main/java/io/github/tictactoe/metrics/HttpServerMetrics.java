package io.github.tictactoe.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The HTTP server instruments, built and registered once, recorded into by {@link MetricsFilter}. */
public final class HttpServerMetrics {

    /**
     * Classic latency buckets in seconds, 25 µs to 10 s, for what reads only the text format (a person's curl, a
     * Prometheus that does not ask for protobuf): a page or a move takes tens to hundreds of microseconds here, so the
     * first bound lies below them; 1-2.5-5 steps keep any quantile within a factor of 2.5 of the truth; 0.5 s is a
     * bound because the latency alert compares p95 with it.
     */
    static final double[] DURATION_BUCKETS = {.000025, .00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05,
        .1, .25, .5, 1, 2.5, 5, 10};
    /**
     * The native buckets' schema: 16 buckets per doubling, each 4.4% wide, so that a quantile Prometheus estimates
     * inside one lies within 5% of the truth (the panels and the latency alert read these; docs/metrics.md).
     */
    static final int NATIVE_SCHEMA = 4;
    /**
     * At most this many native buckets per series before client_java halves the resolution (to schema 3, 9% wide).
     * Under load a series fills more than client_java's default of 160 at schema 4, which would halve it at once
     * (docs/metrics.md has the count, bench/native-buckets.sh measures it).
     */
    static final int NATIVE_MAX_BUCKETS = 256;
    /** Body size buckets in bytes: from an empty body to a megabyte. */
    static final double[] SIZE_BUCKETS = {0, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576};

    private final Histogram duration;
    private final Counter requests;
    private final Gauge active;
    private final Counter exceptions;
    private final Histogram requestSize;
    private final Histogram responseSize;
    /**
     * The data points of each method, route and status seen, found with one lookup instead of one per instrument
     * (client_java hashes a list of the label values for each): bounded as the labels are, since each comes from a
     * fixed set. Series are never removed from these instruments, so a cached data point stays the registered one.
     */
    private final ConcurrentMap<Labels, Series> series = new ConcurrentHashMap<>();

    public HttpServerMetrics(PrometheusRegistry registry) {
        // Native and classic buckets: Prometheus asks for protobuf and stores only the native ones; the text format
        // carries only the classic ones.
        duration = Histogram.builder()
                .name("http_server_request_duration_seconds")
                .help("Time from the request entering the servlet chain until the chain returned")
                .unit(Unit.SECONDS)
                .labelNames("method", "route", "status")
                .classicUpperBounds(DURATION_BUCKETS)
                .nativeInitialSchema(NATIVE_SCHEMA)
                .nativeMaxNumberOfBuckets(NATIVE_MAX_BUCKETS)
                .withoutExemplars()
                .register(registry);
        requests = Counter.builder()
                .name("http_server_requests_total")
                .help("HTTP requests completed, by method, route template and status code")
                .labelNames("method", "route", "status")
                .withoutExemplars()
                .register(registry);
        active = Gauge.builder()
                .name("http_server_active_requests")
                .help("HTTP requests being handled right now")
                .withoutExemplars()
                .register(registry);
        exceptions = Counter.builder()
                .name("http_server_request_exceptions_total")
                .help("Requests whose handling ended in an exception, by the exception class")
                .labelNames("method", "route", "exception")
                .withoutExemplars()
                .register(registry);
        requestSize = Histogram.builder()
                .name("http_server_request_size_bytes")
                .help("Request body bytes read by the application")
                .unit(Unit.BYTES)
                .labelNames("method", "route")
                .classicOnly()
                .classicUpperBounds(SIZE_BUCKETS)
                .withoutExemplars()
                .register(registry);
        responseSize = Histogram.builder()
                .name("http_server_response_size_bytes")
                .help("Response body bytes written by the application, before any compression")
                .unit(Unit.BYTES)
                .labelNames("method", "route")
                .classicOnly()
                .classicUpperBounds(SIZE_BUCKETS)
                .withoutExemplars()
                .register(registry);
    }

    void started() {
        active.inc();
    }

    /** Records one finished request; every label value must come from a fixed set. */
    void finished(String method, String route, String status, long nanos, long requestBytes, long responseBytes) {
        Series recorded = series.computeIfAbsent(new Labels(method, route, status), this::newSeries);
        recorded.duration().observe(nanos / 1e9);
        recorded.requests().inc();
        recorded.requestSize().observe(requestBytes);
        recorded.responseSize().observe(responseBytes);
        // Last: the client may hold the response already, so "no request active" means "all of them recorded".
        active.dec();
    }

    void failed(String method, String route, Throwable exception) {
        exceptions.labelValues(method, route, exception.getClass().getName()).inc();
    }

    private Series newSeries(Labels labels) {
        return new Series(duration.labelValues(labels.method(), labels.route(), labels.status()),
                requests.labelValues(labels.method(), labels.route(), labels.status()),
                requestSize.labelValues(labels.method(), labels.route()),
                responseSize.labelValues(labels.method(), labels.route()));
    }

    private record Labels(String method, String route, String status) {
    }

    /** What one request records into, for one combination of labels. */
    private record Series(DistributionDataPoint duration, CounterDataPoint requests,
            DistributionDataPoint requestSize, DistributionDataPoint responseSize) {
    }
}
