package io.github.tictactoe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.ExternalTool;
import io.github.tictactoe.TestServer;
import io.github.tictactoe.TestServer.Reply;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
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
                "app_info{replica=\"" + TestServer.REPLICA + "\",version=\"",
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
     * fallback_scrape_protocol), and asks with UTF-8 names allowed. This is the Accept header 3.13 sends by default
     * (scrape/scrape.go, acceptHeader): OpenMetrics 1.0.0 comes back, and every name is one the dashboards can write
     * bare, without the quoting UTF-8 names would need.
     */
    @Test
    void answersPrometheus3sScrapeWithAContentTypeItParsesAndClassicNames() throws Exception {
        HttpGet request = new HttpGet(server.uri("/metrics"));
        request.setHeader("Accept", "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
                + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;"
                + "q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2");

        Reply reply = server.send(request);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("application/openmetrics-text; version=1.0.0");
        assertThat(reply.body()).endsWith("# EOF\n");
        assertThat(reply.body().lines().filter(line -> !line.startsWith("#")))
                .as("sample names in the legacy alphabet").isNotEmpty()
                .allMatch(line -> line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*[{ ].*"));
    }

    @Test
    void servesProtobufThatParsesIntoTheSameFamilies() throws Exception {
        HttpGet request = new HttpGet(server.uri("/metrics"));
        request.setHeader("Accept", PROTOBUF);

        Reply reply = server.send(request);

        assertThat(reply.header("Content-Type")).startsWith("application/vnd.google.protobuf");
        List<String> names = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(reply.bytes())) {
            for (MetricFamily family; (family = MetricFamily.parseDelimitedFrom(in)) != null; ) {
                names.add(family.getName());
            }
        }
        assertThat(names).contains("app_info", "jvm_memory_used_bytes", "jetty_threads_busy",
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
        Path promtool = ExternalTool.require("promtool", "prometheus");
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
}
