package io.github.tictactoe.bench;

import io.github.tictactoe.AppConfig;
import io.github.tictactoe.server.Part;
import io.github.tictactoe.server.TicTacToeServer;
import io.github.tictactoe.testing.TestServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * How many native buckets the request-duration histogram fills under load, per series, at the shipped schema and at
 * each coarser one: the figure that sets its schema and bucket limit (HttpServerMetrics, docs/metrics.md).
 *
 * <p>Usage: {@code java -cp <test classpath> io.github.tictactoe.bench.NativeBucketCount [SECONDS] [CLIENTS]}: the
 * shipped server on a loopback port, CLIENTS threads each sending a page, its style sheet, a move (levels in turn)
 * and every fifth time a 404, for SECONDS.
 */
public final class NativeBucketCount {

    private static final String DURATION = "http_server_request_duration_seconds";
    private static final String[] LEVELS = {"easy", "medium", "perfect"};

    private NativeBucketCount() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 30;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        PrometheusRegistry registry = new PrometheusRegistry();
        AppConfig config = AppConfig.from(Map.of(), Map.of("PORT", "0", "HOST", "127.0.0.1", "DRAIN_DELAY_SECONDS", "0"));
        // Without the access log: it would bury the table on stdout.
        TicTacToeServer server = TicTacToeServer.builder(config, registry).without(Part.ACCESS_LOG).build();
        server.start();
        try {
            load(server.uri(), seconds, clients);
        } finally {
            server.stop();
        }
        System.out.printf("%d s, %d clients: native buckets of %s per series%n", seconds, clients, DURATION);
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (snapshot.getMetadata().getPrometheusName().equals(DURATION)) {
                for (HistogramDataPointSnapshot point : ((HistogramSnapshot) snapshot).getDataPoints()) {
                    System.out.println(describe(point));
                }
            }
        }
    }

    private static void load(URI base, long seconds, int clients) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            running.add(pool.submit(() -> {
                try (CloseableHttpClient http = TestServer.newClient()) {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        TestServer.send(http, new HttpGet(base.resolve("/")));
                        TestServer.send(http, new HttpGet(base.resolve("/css/app.css")));
                        if (i % 5 == 0) {
                            TestServer.send(http, new HttpGet(base.resolve("/no-such-file-" + i)));
                        }
                        HttpPost move = new HttpPost(base.resolve("/api/move"));
                        move.setEntity(new StringEntity("{\"board\":\".........\",\"cell\":" + i % 9 + ",\"level\":\""
                                + LEVELS[i % LEVELS.length] + "\"}", ContentType.APPLICATION_JSON));
                        TestServer.send(http, move);
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get();
        }
        pool.shutdown();
    }

    /** The series, its count, its schema and range, and its bucket count at its schema and each coarser one. */
    private static String describe(HistogramDataPointSnapshot point) {
        NativeHistogramBuckets buckets = point.getNativeBucketsForPositiveValues();
        int schema = point.getNativeSchema();
        StringBuilder counts = new StringBuilder();
        for (int coarser = schema; coarser >= 0; coarser--) {
            // Bucket i of schema s holds (2^((i-1)/2^s), 2^(i/2^s)]; at schema s-k it is bucket ceil(i / 2^k).
            Set<Integer> merged = new HashSet<>();
            for (int k = 0; k < buckets.size(); k++) {
                merged.add(-Math.floorDiv(-buckets.getBucketIndex(k), 1 << (schema - coarser)));
            }
            counts.append(String.format(" schema %d: %3d", coarser, merged.size()));
        }
        double lowest = Math.pow(2, (buckets.getBucketIndex(0) - 1) / Math.pow(2, schema));
        double highest = Math.pow(2, buckets.getBucketIndex(buckets.size() - 1) / Math.pow(2, schema));
        return String.format("%s count %d, schema %d, %.1f µs to %.1f ms;%s", point.getLabels(), point.getCount(),
                schema, lowest * 1e6, highest * 1e3, counts);
    }
}
