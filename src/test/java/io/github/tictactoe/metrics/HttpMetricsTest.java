package io.github.tictactoe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.testing.MetricValues;
import io.github.tictactoe.testing.TestServer;
import java.util.UUID;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpMetricsTest {

    private static final String REQUESTS = "http_server_requests_total";
    private static final String DURATION = "http_server_request_duration_seconds";

    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void countsEachRequestOnceWithItsRouteMethodAndStatus() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.send(new HttpGet(server.uri("/")));
        }
        server.send(new HttpGet(server.uri("/healthz")));
        server.send(new HttpPost(server.uri("/")));

        MetricValues metrics = server.metrics();
        assertThat(metrics.counter(REQUESTS, "method", "GET", "route", "/", "status", "200")).isEqualTo(3);
        assertThat(metrics.histogramCount(DURATION, "method", "GET", "route", "/", "status", "200")).isEqualTo(3);
        assertThat(metrics.counter(REQUESTS, "method", "GET", "route", "/healthz", "status", "200")).isEqualTo(1);
        assertThat(metrics.counter(REQUESTS, "method", "POST", "route", "/", "status", "405")).isEqualTo(1);
        assertThat(metrics.histogramSum(DURATION, "method", "GET", "route", "/", "status", "200")).isPositive();
        assertThat(metrics.gauge("http_server_active_requests")).isZero();
    }

    @Test
    void labelsStaticFilesNotFoundAndRedirectsByTheirKindNotTheirPath() throws Exception {
        server.send(new HttpGet(server.uri("/css/app.css")));
        server.send(new HttpGet(server.uri("/js/app.js")));
        server.send(new HttpGet(server.uri("/no/such/file")));
        int directory = server.send(new HttpGet(server.uri("/css"))).status();

        MetricValues metrics = server.metrics();
        assertThat(metrics.counter(REQUESTS, "method", "GET", "route", "/*", "status", "200")).isEqualTo(2);
        assertThat(metrics.counter(REQUESTS, "method", "GET", "route", "NOT_FOUND", "status", "404")).isEqualTo(1);
        assertThat(metrics.counter(REQUESTS, "method", "GET", "route", "REDIRECTION", "status", "302"))
                .as("GET /css answered %d; recorded: %s", directory, metrics.counterSeries(REQUESTS)).isEqualTo(1);
        assertThat(metrics.anyLabelValue(REQUESTS, "route", "/no/such/file")).isFalse();
    }

    @Test
    void junkPathsAndJunkMethodsAddNoSeries() throws Exception {
        server.send(new HttpGet(server.uri("/first-junk")));
        server.send(new HttpUriRequestBase("FIRSTJUNK", server.uri("/")));
        int before = server.metrics().labelSetsOfFamiliesStartingWith("http_");

        for (int i = 0; i < 200; i++) {
            server.send(new HttpGet(server.uri("/" + UUID.randomUUID())));
            server.send(new HttpUriRequestBase("X" + Integer.toHexString(i).toUpperCase(), server.uri("/")));
        }

        MetricValues metrics = server.metrics();
        assertThat(metrics.labelSetsOfFamiliesStartingWith("http_")).isEqualTo(before).isPositive();
        assertThat(metrics.counter(REQUESTS, "method", "GET", "route", "NOT_FOUND", "status", "404")).isEqualTo(201);
        assertThat(metrics.counter(REQUESTS, "method", "_OTHER", "route", "/", "status", "501")).isEqualTo(201);
    }

    @Test
    void doesNotCountScrapesOfItself() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(server.send(new HttpGet(server.uri("/metrics"))).status()).isEqualTo(200);
        }

        MetricValues metrics = server.metrics();
        assertThat(metrics.anyLabelValue(REQUESTS, "route", "/metrics")).isFalse();
        assertThat(metrics.labelSets(REQUESTS)).isZero();
    }

    @Test
    void recordsBodySizesAsTheApplicationWroteThem() throws Exception {
        Reply page = server.send(new HttpGet(server.uri("/")));
        Reply css = server.send(new HttpGet(server.uri("/css/app.css")));
        HttpPost post = new HttpPost(server.uri("/healthz"));
        post.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity("twelve bytes"));
        server.send(post);

        MetricValues metrics = server.metrics();
        assertThat(metrics.histogramSum("http_server_response_size_bytes", "method", "GET", "route", "/"))
                .isEqualTo(page.bytes().length);
        assertThat(metrics.histogramSum("http_server_response_size_bytes", "method", "GET", "route", "/*"))
                .isEqualTo(css.bytes().length);
        assertThat(metrics.histogramCount("http_server_request_size_bytes", "method", "GET", "route", "/"))
                .isEqualTo(1);
        assertThat(metrics.histogramCount("http_server_request_size_bytes", "method", "POST", "route", "/healthz"))
                .isEqualTo(1);
    }

    @Test
    void exposesAppInfoWithVersionAndReplica() throws Exception {
        MetricValues metrics = server.metrics();

        assertThat(metrics.anyLabelValue("app_info", "replica", TestServer.REPLICA)).isTrue();
        assertThat(metrics.anyLabelValue("app_info", "version", io.github.tictactoe.BuildInfo.version())).isTrue();
    }
}
