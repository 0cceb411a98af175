package io.github.tictactoe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.prometheus.PrometheusRelease;
import io.github.tictactoe.testing.TestServer;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Histogram;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsEndpointTest {

    private static final String PROTOBUF =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void servesTheTextFormatByDefaultWithEveryFamily() throws Exception {
        server.send(new HttpGet(server.uri("/")));

        Reply reply = server.send(new HttpGet(server.uri("/metrics")));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(reply.body()).contains(
                "# TYPE http_server_request_duration_seconds histogram",
                "# TYPE http_server_requests_total counter",
                "# TYPE http_server_active_requests gauge",
                "# TYPE http_server_request_size_bytes histogram",
                "# TYPE http_server_response_size_bytes histogram",
                "app_info{node=\"" + TestServer.NODE + "\",replica=\"" + TestServer.REPLICA + "\",version=\"",
                "jvm_memory_used_bytes{area=\"heap\"}",
                "jvm_gc_collection_seconds",
                "jvm_threads_current",
                "process_cpu_seconds_total",
                "jetty_threads_busy", "jetty_threads_idle", "jetty_threads_current",
                "jetty_threads_config_max", "jetty_queued_jobs",
                "# TYPE app_memory_limit_bytes gauge");
        assertThat(reply.body()).contains("http_server_request_duration_seconds_bucket{method=\"GET\",route=\"/\","
                + "status=\"200\",le=\"0.005\"}");
        // From 25 µs (client_java writes it as Java does, 2.5E-5) to 10 s, with the latency alert's 0.5 s.
        assertThat(reply.body()).contains("le=\"2.5E-5\"", "le=\"1.0E-4\"", "le=\"0.5\"", "le=\"10.0\"");
    }

    @Test
    void servesOpenMetricsWhenAskedFor() throws Exception {
        HttpGet request = new HttpGet(server.uri("/metrics"));
        request.setHeader("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");

        Reply reply = server.send(request);

        assertThat(reply.header("Content-Type")).startsWith("application/openmetrics-text; version=1.0.0");
        assertThat(reply.body()).contains("# TYPE app info", "app_info{").endsWith("# EOF\n");
    }

    /**
     * Prometheus 3 fails a scrape whose Content-Type is missing or not one it parses (unless the job sets
     * fallback_scrape_protocol). With scrape_native_histograms on, as swarm/prometheus.yml sets it, 3.13 asks for
     * protobuf first (scrape/scrape.go acceptHeader over config.DefaultProtoFirstScrapeProtocols); this is that header.
     * Protobuf comes back, with the request-duration histogram's native buckets at the shipped schema beside its
     * classic ones, and every name one the dashboards can write bare.
     */
    @Test
    void answersPrometheus3sNativeHistogramScrapeWithProtobufCarryingNativeBuckets() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.send(new HttpGet(server.uri("/")));
        }
        HttpGet request = new HttpGet(server.uri("/metrics"));
        request.setHeader("Accept", PROTOBUF + ";q=0.6,application/openmetrics-text;version=1.0.0;"
                + "escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,"
                + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1");

        Reply reply = server.send(request);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo(PROTOBUF.replace(";", "; "));
        List<MetricFamily> families = families(reply.bytes());
        assertThat(families).extracting(MetricFamily::getName).as("names in the legacy alphabet")
                .allMatch(name -> name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*"));
        Histogram page = families.stream()
                .filter(family -> family.getName().equals("http_server_request_duration_seconds"))
                .flatMap(family -> family.getMetricList().stream())
                .filter(metric -> metric.getLabelList().stream().anyMatch(label -> label.getName().equals("route")
                        && label.getValue().equals("/")))
                .findFirst().orElseThrow().getHistogram();
        assertThat(page.getSampleCount()).isEqualTo(5);
        assertThat(page.getSchema()).as("native schema").isEqualTo(HttpServerMetrics.NATIVE_SCHEMA);
        assertThat(page.getPositiveSpanCount()).as("native bucket spans").isPositive();
        assertThat(page.getPositiveDeltaList().stream().mapToLong(Long::longValue).sum())
                .as("the first native bucket's count (deltas add up to it)").isPositive();
        assertThat(page.getBucketList()).as("classic buckets").hasSize(HttpServerMetrics.DURATION_BUCKETS.length + 1);
    }

    @Test
    void servesProtobufThatParsesIntoTheSameFamilies() throws Exception {
        HttpGet request = new HttpGet(server.uri("/metrics"));
        request.setHeader("Accept", PROTOBUF);

        Reply reply = server.send(request);

        assertThat(reply.header("Content-Type")).startsWith("application/vnd.google.protobuf");
        assertThat(families(reply.bytes())).extracting(MetricFamily::getName).contains("app_info", "jvm_memory_used_bytes", "jetty_threads_busy",
                "http_server_active_requests");
    }

    @Test
    void compressesWithGzipWhenTheClientAcceptsIt() throws Exception {
        HttpGet request = new HttpGet(server.uri("/metrics"));
        request.setHeader("Accept-Encoding", "gzip");

        Reply reply = server.send(request);

        assertThat(reply.header("Content-Encoding")).isEqualTo("gzip");
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(reply.bytes()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void filtersFamiliesByName() throws Exception {
        Reply reply = server.send(new HttpGet(server.uri("/metrics?name[]=app_info&name[]=jetty_threads_busy")));

        assertThat(reply.body()).contains("app_info{", "jetty_threads_busy ")
                .doesNotContain("jvm_memory_used_bytes", "http_server_active_requests");
    }

    @Test
    void refusesPost() throws Exception {
        assertThat(server.send(new HttpPost(server.uri("/metrics"))).status()).isEqualTo(405);
    }

    @Test
    void textOutputPassesPromtool() throws Exception {
        Path promtool = PrometheusRelease.promtool3();
        server.send(new HttpGet(server.uri("/")));
        server.send(new HttpGet(server.uri("/missing")));
        Reply reply = server.send(new HttpGet(server.uri("/metrics")));

        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        check.getOutputStream().write(reply.bytes());
        check.getOutputStream().close();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as("promtool check metrics said:%n%s", output).isZero();
    }

    private static List<MetricFamily> families(byte[] body) throws IOException {
        List<MetricFamily> families = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(body)) {
            for (MetricFamily family; (family = MetricFamily.parseDelimitedFrom(in)) != null; ) {
                families.add(family);
            }
        }
        return families;
    }
}
