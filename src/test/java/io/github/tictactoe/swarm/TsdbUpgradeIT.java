package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tictactoe.prometheus.PrometheusServer;
import io.github.tictactoe.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user of the 1.0.0 stack has a Prometheus 2.x volume; 1.1.0 runs Prometheus 3 on it. Debian 12's 2.42 (standing in
 * for the 1.0.0 stack's 2.55) scrapes a real server and itself into a data folder, cutting blocks every 10 s so that
 * the folder holds both persisted blocks and a write-ahead log; then 3.5 opens the same folder and must return every
 * series with every sample, and the same range query, as 2.42 did.
 */
class TsdbUpgradeIT {

    /** Long enough for a few blocks of 10 s and a head beside them, at one scrape a second. */
    private static final Duration WRITING = Duration.ofSeconds(40);

    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void prometheus3ReadsEverySeriesAndSampleThatPrometheus2Wrote(@TempDir Path folder) throws Exception {
        Path data = folder.resolve("data");
        Files.copy(SwarmFiles.ALERTS, folder.resolve("alerts.yml"));
        int port = PrometheusServer.freePort();
        Stored before;
        double start = now();
        double end;
        try (PrometheusServer prometheus2 = PrometheusServer.start2(folder, "prometheus-2", port,
                SwarmFiles.toYaml(scrapingEverySecond(port)), data, "--storage.tsdb.min-block-duration=10s",
                "--storage.tsdb.max-block-duration=10s")) {
            long deadline = System.nanoTime() + WRITING.toNanos();
            while (System.nanoTime() < deadline) {
                server.send(new HttpGet(server.uri("/")));
                server.send(new HttpGet(server.uri("/no-such-file")));
                Thread.sleep(100);
            }
            end = Math.floor(now());
            before = Stored.read(prometheus2, start, end);
        }
        long blocks;
        try (var entries = Files.list(data)) {
            blocks = entries.filter(entry -> Files.exists(entry.resolve("meta.json"))).count();
        }
        assertThat(blocks).as("blocks 2.42 persisted").isGreaterThanOrEqualTo(2);
        assertThat(data.resolve("wal")).as("2.42's write-ahead log").isNotEmptyDirectory();

        Stored after;
        try (PrometheusServer prometheus3 = PrometheusServer.start3(folder, "prometheus-3", PrometheusServer.freePort(),
                "global:\n  scrape_native_histograms: true\n", data)) {
            after = Stored.read(prometheus3, start, end);
        }

        System.out.printf("2.42 wrote %d series and %d samples in %d blocks and its WAL; 3.5 read %d series and %d "
                + "samples%n", before.series().size(), before.samples(), blocks, after.series().size(), after.samples());
        assertThat(before.series()).as("series stored").hasSizeGreaterThan(100);
        assertThat(after.series()).as("every series with every sample, as 2.42 returned them")
                .isEqualTo(before.series());
        assertThat(after.requestRate()).as("a range query of the page's request rate").isEqualTo(before.requestRate());
    }

    /**
     * What a Prometheus returns of the test's window: every series with all its raw samples (a range selector over
     * the whole window, keyed by its labels), and the request rate of the page as a range query, as a panel sends it.
     */
    private record Stored(Map<String, JsonNode> series, long samples, JsonNode requestRate) {

        static Stored read(PrometheusServer prometheus, double start, double end) throws Exception {
            long seconds = (long) (end - start) + 60;
            Map<String, JsonNode> series = new TreeMap<>();
            long samples = 0;
            for (JsonNode one : prometheus.api().query("{__name__=~\".+\"}[" + seconds + "s]", end)) {
                series.put(one.get("metric").toString(), one.get("values"));
                samples += one.get("values").size();
            }
            JsonNode rate = prometheus.api().queryRange("sum(rate(http_server_requests_total{route=\"/\"}[10s]))",
                    start + 15, end, Duration.ofSeconds(1));
            return new Stored(series, samples, rate);
        }
    }

    /** swarm/prometheus.yml scraping the test's server and Prometheus itself every second, without the login. */
    private JsonNode scrapingEverySecond(int prometheusPort) {
        ObjectNode config = SwarmFiles.prometheusConfigWithJobs("tictactoe", "prometheus");
        ((ObjectNode) config.get("global")).put("scrape_interval", "1s");
        for (JsonNode job : config.get("scrape_configs")) {
            ObjectNode scrape = (ObjectNode) job;
            scrape.remove(List.of("dns_sd_configs", "static_configs", "basic_auth"));
            String target = scrape.get("job_name").asText().equals("tictactoe") ? "127.0.0.1:" + server.port()
                    : "127.0.0.1:" + prometheusPort;
            scrape.putArray("static_configs").addObject().putArray("targets").add(target);
        }
        return config;
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }
}
