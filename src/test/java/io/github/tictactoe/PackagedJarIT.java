package io.github.tictactoe;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.testing.JarProcess;
import io.github.tictactoe.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code java -jar target/tictactoe.jar} as a user would: resources come from inside the jar here. */
class PackagedJarIT {

    @TempDir
    Path logs;

    private final CloseableHttpClient client = TestServer.newClient();
    private JarProcess jar;

    @AfterEach
    void cleanUp() throws IOException {
        client.close();
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    void servesPageAssetMetricsAndHealthThenExitsZeroOnSigterm() throws Exception {
        int port = freePort();
        jar = JarProcess.start("app", Map.of("PORT", String.valueOf(port), "HOST", "127.0.0.1", "REPLICA", "jar-it",
                "NODE", "jar-it-node"),
                List.of(), logs);
        URI base = URI.create("http://127.0.0.1:" + port);
        jar.awaitHealthy(base, client);

        Reply page = TestServer.send(client, new HttpGet(base.resolve("/")));
        Reply css = TestServer.send(client, new HttpGet(base.resolve("/css/app.css")));
        Reply ready = TestServer.send(client, new HttpGet(base.resolve("/readyz")));
        Reply metrics = TestServer.send(client, new HttpGet(base.resolve("/metrics")));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"page-replica\">jar-it<", "/css/app.css?v=");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).startsWith("text/css");
        assertThat(css.header("ETag")).isNotBlank();
        assertThat(ready.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("app_info{node=\"jar-it-node\",replica=\"jar-it\",version=\"",
                "jvm_memory_used_bytes", "jetty_threads_busy", "http_server_requests_total{method=\"GET\",route=\"/\",status=\"200\"} 1.0");

        jar.terminate();
        assertThat(jar.waitFor(Duration.ofSeconds(15))).as("exited within the stop timeout").isTrue();
        assertThat(jar.process().exitValue()).as("exit code; stderr:%n%s", jar.stderr()).isZero();
        assertThat(jar.stderr()).contains("SIGTERM received", "Stopped cleanly");
        assertThat(jar.stdout()).as("the access log goes to stdout").contains("\"GET /css/app.css HTTP/1.1\" 200");
    }

    @Test
    void exitsNonZeroWithOneLineWhenThePortIsInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            jar = JarProcess.start("app", Map.of("PORT", String.valueOf(taken.getLocalPort()), "HOST", "127.0.0.1"),
                    List.of(), logs);

            assertThat(jar.waitFor(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(jar.process().exitValue()).isEqualTo(1);
        assertThat(jar.errorLines()).singleElement().asString()
                .startsWith("Cannot listen on 127.0.0.1:").contains("Address already in use");
    }

    @Test
    void exitsWithCode2AndOneLineOnAnInvalidSetting() throws Exception {
        jar = JarProcess.start("app", Map.of("STOP_TIMEOUT_SECONDS", "soon"), List.of(), logs);

        assertThat(jar.waitFor(Duration.ofSeconds(30))).isTrue();
        assertThat(jar.process().exitValue()).isEqualTo(2);
        assertThat(jar.errorLines()).containsExactly(
                "Invalid STOP_TIMEOUT_SECONDS=\"soon\": expected seconds a stop waits for requests in flight, 1-3600");
    }

    @Test
    void printsTheSettingsOnHelp() throws Exception {
        jar = JarProcess.start("app", Map.of(), List.of(), logs, "--help");

        assertThat(jar.waitFor(Duration.ofSeconds(30))).isTrue();
        assertThat(jar.process().exitValue()).isZero();
        assertThat(jar.stdout()).contains("PORT", "HOST", "STOP_TIMEOUT_SECONDS", "REPLICA", "-Dtictactoe.port");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
