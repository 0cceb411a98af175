package io.github.tictactoe;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.TestServer.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code java -jar target/tictactoe.jar} as a user would: resources come from inside the jar here. */
class PackagedJarIT {

    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path logs;

    private Process process;
    private CloseableHttpClient client;

    @BeforeEach
    void createClient() {
        client = TestServer.newClient();
    }

    @AfterEach
    void cleanUp() throws IOException {
        client.close();
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void servesPageAssetMetricsAndHealthThenExitsZeroOnSigterm() throws Exception {
        int port = freePort();
        process = start(Map.of("PORT", String.valueOf(port), "HOST", "127.0.0.1", "REPLICA", "jar-it"));
        URI base = URI.create("http://127.0.0.1:" + port);
        awaitHealthy(base);

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
        assertThat(metrics.body()).contains("app_info{replica=\"jar-it\",version=\"", "jvm_memory_used_bytes",
                "jetty_threads_busy", "http_server_requests_total{method=\"GET\",route=\"/\",status=\"200\"} 1.0");

        process.destroy(); // SIGTERM on Linux
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exited within the stop timeout").isTrue();
        assertThat(process.exitValue()).as("exit code; stderr:%n%s", stderr()).isZero();
        assertThat(stderr()).contains("SIGTERM received", "Stopped cleanly");
        assertThat(stdout()).as("the access log goes to stdout")
                .contains("\"GET /css/app.css HTTP/1.1\" 200");
    }

    @Test
    void exitsNonZeroWithOneLineWhenThePortIsInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            process = start(Map.of("PORT", String.valueOf(taken.getLocalPort()), "HOST", "127.0.0.1"));

            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(errorLines()).singleElement().asString()
                .startsWith("Cannot listen on 127.0.0.1:").contains("Address already in use");
    }

    @Test
    void exitsWithCode2AndOneLineOnAnInvalidSetting() throws Exception {
        process = start(Map.of("STOP_TIMEOUT_SECONDS", "soon"));

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(errorLines()).containsExactly(
                "Invalid STOP_TIMEOUT_SECONDS=\"soon\": expected seconds a stop waits for requests in flight, 1-3600");
    }

    @Test
    void printsTheSettingsOnHelp() throws Exception {
        process = start(Map.of(), "--help");

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(stdout()).contains("PORT", "HOST", "STOP_TIMEOUT_SECONDS", "REPLICA", "-Dtictactoe.port");
    }

    private Process start(Map<String, String> environment, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("tictactoe.jar", "target/tictactoe.jar"));
        assertThat(jar).as("mvn package builds the jar first").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(logs.resolve("stdout.log").toFile())
                .redirectError(logs.resolve("stderr.log").toFile());
        builder.environment().keySet().removeAll(List.of("PORT", "HOST", "REPLICA", "STOP_TIMEOUT_SECONDS"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private void awaitHealthy(URI base) throws InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the jar is still running; stderr:%n%s", stderr()).isTrue();
            try {
                if (TestServer.send(client, new HttpGet(base.resolve("/healthz"))).status() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // retried until the deadline
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no 200 from /healthz within " + START_LIMIT + "; stderr:\n" + stderr());
    }

    /** Lines on stderr other than Jetty's INFO log lines. */
    private List<String> errorLines() throws IOException {
        return stderr().lines().filter(line -> !line.contains(":INFO :")).toList();
    }

    private String stdout() throws IOException {
        return Files.readString(logs.resolve("stdout.log"), StandardCharsets.UTF_8);
    }

    private String stderr() {
        try {
            return Files.readString(logs.resolve("stderr.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
