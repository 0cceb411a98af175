package io.github.tictactoe.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer;
import io.github.tictactoe.testing.Waiting;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.net.URIBuilder;

/**
 * A real Prometheus process of a test's own on a free loopback port, with its data in a folder the test names, and
 * its HTTP API. {@link #start3} runs 3.5 or later on a configuration written for the stack's 3.13, changed only as
 * {@link Prometheus35} says; {@link #start2} runs Debian 12's 2.x, for its web UI or a TSDB that 2.x wrote.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Duration READY_LIMIT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final URI uri;
    private final CloseableHttpClient client = TestServer.newClient();
    private final PrometheusApi api = new PrometheusApi(this::get);

    private PrometheusServer(Process process, Path log, URI uri) {
        this.process = process;
        this.log = log;
        this.uri = uri;
    }

    /**
     * Prometheus 3.5 or later on 127.0.0.1:port with {@code config313} (a configuration as shipped for 3.13, its rule
     * files beside {@code folder/<name>.yml}) and its data in {@code data}; ready when this returns.
     */
    public static PrometheusServer start3(Path folder, String name, int port, String config313, Path data)
            throws Exception {
        Path config = Files.writeString(folder.resolve(name + ".yml"), Prometheus35.config(config313));
        return start(PrometheusRelease.prometheus3(), config, data, port, Prometheus35.FLAGS,
                folder.resolve(name + ".log"));
    }

    /**
     * Debian 12's Prometheus 2.x with the same configuration (2.x knows the setting no better than 3.5) and these
     * flags, for the two things only it can do here: its web UI, and a TSDB written by a 2.x release.
     */
    public static PrometheusServer start2(Path folder, String name, int port, String config313, Path data,
            String... flags) throws Exception {
        Path config = Files.writeString(folder.resolve(name + ".yml"), Prometheus35.config(config313));
        return start(PrometheusRelease.prometheus2(), config, data, port, List.of(flags),
                folder.resolve(name + ".log"));
    }

    private static PrometheusServer start(Path binary, Path config, Path data, int port, List<String> flags,
            Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port));
        command.addAll(flags);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        PrometheusServer server = new PrometheusServer(process, log, URI.create("http://127.0.0.1:" + port));
        try {
            server.awaitReady();
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    public URI uri() {
        return uri;
    }

    /** The port it listens on, for a configuration that scrapes Prometheus itself. */
    public int port() {
        return uri.getPort();
    }

    /** Its HTTP API, asked straight over loopback. */
    public PrometheusApi api() {
        return api;
    }

    /** What it has logged so far, for a failure's message. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Stops it as a service manager would (SIGTERM), so that its head block is written; waits up to 60 s. */
    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException ignored) {
            // nothing to release
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        Waiting.telling(() -> "its log:\n" + logOrWhyNot(), () -> Waiting.upTo(READY_LIMIT, Duration.ofMillis(200))
                .alias("Prometheus answers 200 on /-/ready")
                .failFast("Prometheus exited", () -> assertThat(process.isAlive())
                        .as(() -> "prometheus runs; its log:\n" + logOrWhyNot()).isTrue())
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> TestServer.send(client, new HttpGet(uri + "/-/ready")).status() == 200));
    }

    private String logOrWhyNot() {
        try {
            return log();
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    private String get(String path, Map<String, String> parameters) throws IOException {
        try {
            URIBuilder request = new URIBuilder(uri.resolve(path));
            parameters.forEach(request::addParameter);
            return TestServer.send(client, new HttpGet(request.build())).body();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(path + " " + parameters, e);
        }
    }

    /** A port free on loopback now, for a configuration that must name Prometheus' own port before it starts. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
