package io.github.tictactoe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.testing.MetricValues;
import io.github.tictactoe.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code MANAGEMENT_PORT} set, metrics and health move to a second connector and leave the public one. */
class ManagementPortTest {

    private static final List<String> MANAGEMENT_PATHS = List.of("/metrics", "/healthz", "/readyz");

    @RegisterExtension
    final TestServer server = new TestServer(Map.of("MANAGEMENT_PORT", "0"), context -> { });

    @Test
    void servesMetricsAndHealthOnTheManagementPortOnly() throws Exception {
        for (String path : MANAGEMENT_PATHS) {
            assertThat(server.send(new HttpGet(server.managementUri(path))).status()).as("management %s", path)
                    .isEqualTo(200);
            Reply onPublic = server.send(new HttpGet(server.uri(path)));
            assertThat(onPublic.status()).as("public %s", path).isEqualTo(404);
            assertThat(onPublic.body()).doesNotContain("jvm_memory_used_bytes");
        }
        assertThat(server.send(new HttpGet(server.managementUri("/metrics"))).body())
                .contains("jvm_memory_used_bytes", "http_server_requests_total", "app_info");
    }

    @Test
    void theGameStaysOnThePublicPortOnly() throws Exception {
        assertThat(server.send(new HttpGet(server.uri("/"))).status()).isEqualTo(200);
        assertThat(server.send(new HttpGet(server.uri("/css/app.css"))).status()).isEqualTo(200);
        assertThat(server.send(new HttpGet(server.managementUri("/"))).status()).isEqualTo(404);
        assertThat(server.send(new HttpGet(server.managementUri("/css/app.css"))).status()).isEqualTo(404);
    }

    /** Scrapes and probes are not the service's traffic; a public request for /metrics is, as any missing file. */
    @Test
    void countsNoRequestToTheManagementPort() throws Exception {
        for (int i = 0; i < 5; i++) {
            for (String path : MANAGEMENT_PATHS) {
                server.send(new HttpGet(server.managementUri(path)));
            }
        }
        server.send(new HttpGet(server.uri("/metrics")));

        MetricValues metrics = server.metrics();
        assertThat(metrics.labelSets("http_server_requests_total")).isEqualTo(1);
        assertThat(metrics.counter("http_server_requests_total", "method", "GET", "route", "NOT_FOUND",
                "status", "404")).isEqualTo(1);
    }

    @Test
    void readinessOnTheManagementPortTurnsDownWhileDraining() throws Exception {
        server.server().beginDraining();

        assertThat(server.send(new HttpGet(server.managementUri("/readyz"))).status()).isEqualTo(503);
        assertThat(server.send(new HttpGet(server.managementUri("/healthz"))).status()).isEqualTo(200);
    }
}
