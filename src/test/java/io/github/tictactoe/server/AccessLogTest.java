package io.github.tictactoe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.AppConfig;
import io.github.tictactoe.testing.TestServer;
import io.github.tictactoe.testing.Waiting;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;
import org.junit.jupiter.api.Test;

/** The access log's format is Jetty's combined log format, line for line, for the requests this service gets. */
class AccessLogTest {

    @Test
    void writesTheSameLinesAsJettysExtendedNcsaFormat() throws Exception {
        AppConfig config = AppConfig.from(Map.of(), Map.of("PORT", "0", "HOST", "127.0.0.1", "REPLICA", "log-test",
                "DRAIN_DELAY_SECONDS", "0"));
        TicTacToeServer server = TicTacToeServer.create(config, new PrometheusRegistry());
        String format = ((CustomRequestLog) server.jetty().getRequestLog()).getFormatString();
        List<String> ours = new CopyOnWriteArrayList<>();
        List<String> jettys = new CopyOnWriteArrayList<>();
        // Both formats log every request, so a difference in any field of any line shows.
        server.jetty().setRequestLog(new RequestLog.Collection(new CustomRequestLog(ours::add, format),
                new CustomRequestLog(jettys::add, CustomRequestLog.EXTENDED_NCSA_FORMAT)));
        server.start();
        try (CloseableHttpClient client = TestServer.newClient()) {
            String base = "http://127.0.0.1:" + server.uri().getPort();
            HttpGet page = new HttpGet(URI.create(base + "/?from=%22quoted%22"));
            page.setHeader("Referer", "http://127.0.0.1/\"elsewhere\"");
            page.setHeader("User-Agent", "a \"quoted\" agent\\ with a backslash");
            HttpPost move = new HttpPost(URI.create(base + "/api/move"));
            String firstMove = "{\"board\": \".........\", \"cell\": 4, \"mode\": \"two-players\"}";
            move.setEntity(new StringEntity(firstMove, ContentType.APPLICATION_JSON));
            HttpGet file = new HttpGet(URI.create(base + "/css/app.css"));
            HttpGet missing = new HttpGet(URI.create(base + "/missing"));
            for (HttpUriRequestBase request : List.of(page, file, missing, move)) {
                TestServer.send(client, request);
            }
            // A line is written once its response is complete, which can be just after the client has read it.
            Waiting.upTo(Duration.ofSeconds(10), Duration.ofMillis(5)).alias("four lines in each log")
                    .until(() -> ours.size() >= 4 && jettys.size() >= 4);
        } finally {
            server.stop();
        }
        assertThat(ours).hasSize(4).isEqualTo(jettys);
        assertThat(ours.get(0)).startsWith("127.0.0.1 - - [").contains("\"GET /?from=%22quoted%22 HTTP/1.1\" 200 ");
        assertThat(ours).extracting(line -> line.split("\" ")[1].substring(0, 3))
                .containsExactly("200", "200", "404", "200");
    }
}
