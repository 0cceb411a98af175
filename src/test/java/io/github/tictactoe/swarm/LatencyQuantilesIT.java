package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tictactoe.prometheus.PrometheusServer;
import io.github.tictactoe.testing.JarProcess;
import io.github.tictactoe.testing.TestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known answers for the latency panel: the packaged jar gets moves whose bodies arrive in two halves a chosen pause
 * apart, so that the server's own measure of each request is that pause and a little more; the pauses follow a
 * log-normal distribution (median 130 ms, p95 about 0.57 s, p99 about 1.06 s). A real Prometheus 3.5 scrapes the jar
 * with the shipped configuration; the latency panel's three queries, sent as Grafana sends them, must give p50, p95
 * and p99 within 5% of the quantiles of what the client measured. The same Prometheus also keeps the classic buckets
 * (always_scrape_classic_histograms, this test's only change to the scrape), whose estimates are reported beside.
 */
class LatencyQuantilesIT {

    private static final double MEDIAN_SECONDS = 0.130;
    private static final double SIGMA = 0.9;
    private static final int CLIENTS = 16;
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};
    private static final String[] LEGENDS = {"p50", "p95", "p99"};
    private static final String CLASSIC = "histogram_quantile(%s, sum by (le) "
            + "(rate(http_server_request_duration_seconds_bucket{job=\"tictactoe\"}[%ds])))";

    /** Logs, configuration and data; JUnit deletes it after the last test. */
    @TempDir
    static Path work;
    private static int appPort;
    private static JarProcess jar;
    private static PrometheusServer prometheus;

    /** One request as the client saw it: its pause, when it completed, and how long it took in all. */
    private record Sent(double pauseSeconds, double completedEpochSeconds, double seconds) {
    }

    @BeforeAll
    static void startJarAndPrometheus() throws Exception {
        appPort = PrometheusServer.freePort();
        jar = JarProcess.start("app", Map.of("PORT", String.valueOf(appPort), "HOST", "127.0.0.1",
                "REPLICA", "tictactoe-1"), List.of(), work);
        try (CloseableHttpClient client = TestServer.newClient()) {
            jar.awaitHealthy(base(appPort), client);
        }
        Files.copy(SwarmFiles.ALERTS, work.resolve("alerts.yml"));
        int port = PrometheusServer.freePort();
        prometheus = PrometheusServer.start3(work, "prometheus", port, SwarmFiles.toYaml(config(appPort)),
                work.resolve("data"));
    }

    @AfterAll
    static void stopEverything() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    void latencyPanelShowsTheTrueQuantilesWithin5Percent() throws Exception {
        Duration window = SwarmFiles.rateInterval();
        ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        double end;
        try (Traffic traffic = new Traffic(base(appPort), sent)) {
            // A window full of this traffic and one more scrape.
            Thread.sleep(window.plusSeconds(20).toMillis());
            end = System.currentTimeMillis() / 1000.0;
        }
        // rate() reads the samples inside (end - window, end]: the truth is what completed between the first and last.
        JsonNode samples = prometheus.api().query("http_server_requests_total{job=\"tictactoe\",route=\"/api/move\"}["
                + window.toSeconds() + "s]", end).get(0).get("values");
        double from = samples.get(0).get(0).asDouble();
        double to = samples.get(samples.size() - 1).get(0).asDouble();
        List<Sent> inWindow = sent.stream()
                .filter(s -> s.completedEpochSeconds() > from && s.completedEpochSeconds() <= to).toList();
        assertThat(inWindow).as("requests between the scrapes at %s and %s", from, to).hasSizeGreaterThan(1000);
        double[] measured = inWindow.stream().mapToDouble(Sent::seconds).sorted().toArray();
        double[] paused = inWindow.stream().mapToDouble(Sent::pauseSeconds).sorted().toArray();

        System.out.printf("%d moves in the window (%.0f s to %.0f s), %d clients%n", inWindow.size(), from, to,
                CLIENTS);
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < QUANTILES.length; i++) {
            double truth = quantile(measured, QUANTILES[i]);
            double pause = quantile(paused, QUANTILES[i]);
            String query = SwarmFiles.panelQuery("Latency p50, p95, p99", LEGENDS[i]).resolved();
            double panel = lastPoint(prometheus.api().queryRange(query, end - 60, end, Duration.ofSeconds(15)));
            double classic = prometheus.api().query(CLASSIC.formatted(QUANTILES[i], window.toSeconds()), end).get(0)
                    .get("value").get(1).asDouble();
            System.out.printf("%s: truth %.4f s (pauses alone %.4f s); panel (native) %.4f s, %+.1f%%; classic "
                    + "buckets %.4f s, %+.1f%%%n", LEGENDS[i], truth, pause, panel, (panel / truth - 1) * 100,
                    classic, (classic / truth - 1) * 100);
            if (Math.abs(panel / truth - 1) > 0.05) {
                misses.add(LEGENDS[i] + ": panel " + panel + " s, truth " + truth + " s");
            }
        }
        assertThat(misses).as("panel quantiles more than 5% from the truth").isEmpty();
    }

    /** Moves from {@link #CLIENTS} clients, each body trickled with a pause of its own. */
    private static final class Traffic implements AutoCloseable {
        private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        private final List<Future<?>> running = new ArrayList<>();
        private volatile boolean stopped;

        Traffic(URI base, ConcurrentLinkedQueue<Sent> sent) {
            // Drawn afresh for each request: a sample cycled again and again would put a few repeated values in the
            // tail, where p99 falls between two of them and the interpolation inside a bucket has nothing to smooth.
            Random random = new Random(28);
            for (int i = 0; i < CLIENTS; i++) {
                running.add(clients.submit(() -> {
                    try (CloseableHttpClient client = TestServer.newClient()) {
                        while (!stopped) {
                            Duration pause = pause(random);
                            HttpPost move = new HttpPost(base.resolve("/api/move"));
                            move.setEntity(new TrickledBody("{\"board\":\".........\",\"cell\":4,"
                                    + "\"mode\":\"two-players\"}", pause));
                            long start = System.nanoTime();
                            int status = TestServer.send(client, move).status();
                            double seconds = (System.nanoTime() - start) / 1e9;
                            assertThat(status).isEqualTo(200);
                            sent.add(new Sent(pause.toNanos() / 1e9, System.currentTimeMillis() / 1000.0, seconds));
                        }
                    }
                    return null;
                }));
            }
        }

        @Override
        public void close() throws Exception {
            stopped = true;
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("clients stopped").isTrue();
            for (Future<?> client : running) {
                client.get(); // a client's failure fails the test
            }
        }

        /** A pause from the log-normal distribution: median {@link #MEDIAN_SECONDS}, log-scale spread {@link #SIGMA}. */
        private static Duration pause(Random random) {
            return Duration.ofNanos(Math.round(MEDIAN_SECONDS * Math.exp(SIGMA * random.nextGaussian()) * 1e9));
        }
    }

    /** swarm/prometheus.yml scraping the one jar, also keeping the classic buckets to compare, and no self-scrape. */
    private static JsonNode config(int appPort) {
        ObjectNode config = SwarmFiles.prometheusConfigWithJobs("tictactoe");
        ObjectNode app = (ObjectNode) config.get("scrape_configs").get(0);
        app.remove("dns_sd_configs");
        app.putArray("static_configs").addObject().putArray("targets").add("127.0.0.1:" + appPort);
        app.put("always_scrape_classic_histograms", true);
        return config;
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    private static double lastPoint(JsonNode rangeResult) {
        assertThat(rangeResult).as("one series").hasSize(1);
        JsonNode values = rangeResult.get(0).get("values");
        return values.get(values.size() - 1).get(1).asDouble();
    }

    private static URI base(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }
}
