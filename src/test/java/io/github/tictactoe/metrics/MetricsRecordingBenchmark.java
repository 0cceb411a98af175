package io.github.tictactoe.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.MappingMatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: what MetricsFilter adds to a request (label choice, active gauge, two histograms, a counter, two size
 * histograms) and what one scrape of the registry costs at the series count a running replica has. Run with
 * {@code bench/jmh.sh}; not a test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MetricsRecordingBenchmark {

    private static final HttpServletMapping ROOT = new HttpServletMapping() {
        @Override
        public String getMatchValue() {
            return "";
        }

        @Override
        public String getPattern() {
            return "";
        }

        @Override
        public String getServletName() {
            return "game";
        }

        @Override
        public MappingMatch getMappingMatch() {
            return MappingMatch.CONTEXT_ROOT;
        }
    };

    private HttpServerMetrics metrics;
    private PrometheusRegistry registry;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    @Setup
    public void setUp() {
        registry = new PrometheusRegistry();
        JvmMetricsWithoutMBeanServer.register(registry);
        metrics = new HttpServerMetrics(registry);
        new GameMetrics(registry);
        // The series a replica has after traffic on every route and a few statuses.
        for (String route : new String[] {"/", "/index.html", "/*", "/api/move", "/healthz", "/readyz", "NOT_FOUND"}) {
            for (String status : new String[] {"200", "304", "400", "404", "405"}) {
                metrics.started();
                metrics.finished("GET", route, status, 1_000_000, 0, 1000);
            }
        }
    }

    /** The whole recording path of one request, as MetricsFilter runs it after the chain. */
    @Benchmark
    public void recordOneRequest() {
        metrics.started();
        String method = MetricsFilter.methodLabel("GET");
        String route = MetricsFilter.routeLabel(ROOT, 200);
        metrics.finished(method, route, MetricsFilter.statusLabel(200), 250_000, 0, 2_000);
    }

    /** One scrape in the text format, the default for Prometheus 2.x without native histograms. */
    @Benchmark
    public int scrapeTextFormat() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        writer.write(out, registry.scrape());
        return out.size();
    }
}
