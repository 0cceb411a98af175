package io.github.tictactoe.testing;

import io.github.tictactoe.AppConfig;
import io.github.tictactoe.server.TicTacToeServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the real server from {@link TicTacToeServer#builder} on an ephemeral loopback port with a fresh registry
 * before each test, and gives the test one HttpClient 5 client; stops both afterwards.
 */
public final class TestServer implements BeforeEachCallback, AfterEachCallback {

    public static final String REPLICA = "test-replica";
    public static final String NODE = "test-node";

    private final Map<String, String> settings;
    private final Consumer<ServletContextHandler> extraServlets;
    private PrometheusRegistry registry;
    private TicTacToeServer server;
    private CloseableHttpClient client;
    private int port;
    private OptionalInt managementPort;

    public TestServer() {
        this(context -> { });
    }

    /** For tests that need a servlet of their own (a slow one, a failing one) beside the real ones. */
    public TestServer(Consumer<ServletContextHandler> extraServlets) {
        this(Map.of(), extraServlets);
    }

    /** With settings (environment variable names) that replace the test defaults. */
    public TestServer(Map<String, String> settings, Consumer<ServletContextHandler> extraServlets) {
        this.settings = settings;
        this.extraServlets = extraServlets;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        registry = new PrometheusRegistry();
        Map<String, String> environment = new HashMap<>(Map.of(
                "PORT", "0", "HOST", "127.0.0.1", "REPLICA", REPLICA, "NODE", NODE, "STOP_TIMEOUT_SECONDS", "5",
                "DRAIN_DELAY_SECONDS", "0"));
        environment.putAll(settings);
        AppConfig config = AppConfig.from(Map.of(), environment);
        server = TicTacToeServer.builder(config, registry).extraServlets(extraServlets).build();
        server.start();
        // Read once: while the server stops, its connector no longer reports the port.
        port = server.port();
        managementPort = server.managementPort();
        client = newClient();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        client.close();
        server.stop();
    }

    /** A client that shows responses as the server sent them: no redirects followed, no decompression, no retries. */
    public static CloseableHttpClient newClient() {
        return HttpClients.custom()
                .disableRedirectHandling()
                .disableContentCompression()
                .disableAutomaticRetries()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.ofSeconds(30))
                        .build())
                .build();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** A URI on the management connector; only for a server started with {@code MANAGEMENT_PORT}. */
    public URI managementUri(String pathAndQuery) {
        int management = managementPort.orElseThrow(() -> new IllegalStateException("no MANAGEMENT_PORT set"));
        return URI.create("http://127.0.0.1:" + management + pathAndQuery);
    }

    public int port() {
        return port;
    }

    public TicTacToeServer server() {
        return server;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public CloseableHttpClient client() {
        return client;
    }

    /**
     * The registry's values once every request has been recorded. A response can reach the client before the filter
     * that measured it has returned, so this waits until no request is active (the last thing a filter records). The
     * values come from a scrape begun after that: one scrape reads its families one after another, so the scrape that
     * saw the gauge at zero may have read the request counter before the last request was counted.
     */
    public MetricValues metrics() {
        Waiting.telling(() -> "their filter never recorded them; recorded so far: "
                + MetricValues.scrape(registry).counterSeries("http_server_requests_total"),
                () -> Waiting.upTo(Duration.ofSeconds(10), Duration.ofMillis(5)).alias("no request active")
                        .until(this::activeRequests, active -> active == 0));
        return MetricValues.scrape(registry);
    }

    private double activeRequests() {
        return MetricValues.scrape(registry).gauge("http_server_active_requests");
    }

    /** Sends a request with the shared client and reads the whole reply. */
    public Reply send(HttpUriRequestBase request) throws IOException {
        return send(client, request);
    }

    public static Reply send(CloseableHttpClient client, HttpUriRequestBase request) throws IOException {
        return client.execute(request, response -> new Reply(
                response.getCode(),
                Arrays.asList(response.getHeaders()),
                response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity())));
    }

    /** A whole HTTP response, read and released. */
    public record Reply(int status, List<Header> headers, byte[] bytes) {

        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** The first value of a header, or null. */
        public String header(String name) {
            return headers.stream().filter(h -> h.getName().equalsIgnoreCase(name)).map(Header::getValue)
                    .findFirst().orElse(null);
        }

        public boolean hasHeader(String name) {
            return header(name) != null;
        }
    }
}
