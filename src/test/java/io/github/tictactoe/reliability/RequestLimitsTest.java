package io.github.tictactoe.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.testing.TestServer;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.config.Http1Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Oversize requests, junk paths and methods, and what every response reveals, against the real server. */
class RequestLimitsTest {

    private static final long SEED = 20261124L;

    @RegisterExtension
    final TestServer server = new TestServer();

    /**
     * Jetty answers 414 as soon as the request line passes 8 KiB and then closes the connection. A client still
     * writing the rest of its request at that moment is reset and may never read the 414 (the server cannot linger:
     * see jetty/jetty.project#2237 and #12079), so this client writes the whole request at once, as curl does.
     */
    @Test
    void refusesAnOversizeUriWith414() throws Exception {
        try (CloseableHttpClient client = HttpClients.custom().disableAutomaticRetries()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                                .http1Config(Http1Config.custom().setBufferSize(64 * 1024).build()).build())
                        .build())
                .build()) {
            Reply reply = TestServer.send(client, new HttpGet(server.uri("/" + "a".repeat(20_000))));

            assertThat(reply.status()).isEqualTo(414);
            assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        assertThat(server.send(new HttpGet(server.uri("/healthz"))).status()).isEqualTo(200);
    }

    @Test
    void refusesAnOversizeHeaderWith431() throws Exception {
        HttpGet request = new HttpGet(server.uri("/"));
        request.setHeader("X-Big", "b".repeat(20_000));

        assertThat(server.send(request).status()).isEqualTo(431);
    }

    @Test
    void refusesTooManyHeadersWith431() throws Exception {
        HttpGet request = new HttpGet(server.uri("/"));
        for (int i = 0; i < 1_000; i++) {
            request.addHeader("X-Header-" + i, "value-" + i);
        }

        assertThat(server.send(request).status()).isEqualTo(431);
    }

    /** 10,000 requests on distinct random paths with random methods leave the number of HTTP series as it was. */
    @Test
    void junkPathsAndMethodsAddNoSeries() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        List<String> methods = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");
        // One of each kind first, so every series the junk can reach exists before the count.
        for (String method : methods) {
            server.send(new HttpUriRequestBase(method, server.uri("/warm-up")));
        }
        server.send(new HttpUriRequestBase("JUNK", server.uri("/warm-up")));
        int before = server.metrics().labelSetsOfFamiliesStartingWith("http_");

        for (int i = 0; i < 10_000; i++) {
            String path = "/" + Long.toHexString(random.nextLong()) + "/" + Integer.toHexString(i);
            String method = random.nextInt(4) == 0 ? "X" + Long.toString(random.nextLong(1L << 40), 36).toUpperCase()
                    : methods.get(random.nextInt(methods.size()));
            server.send(new HttpUriRequestBase(method, server.uri(path)));
        }

        int after = server.metrics().labelSetsOfFamiliesStartingWith("http_");
        System.out.printf("cardinality: %d HTTP label sets before 10,000 junk requests, %d after (seed %d)%n",
                before, after, SEED);
        assertThat(after).as("seed %d", SEED).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/index.html", "/css/app.css", "/js/app.js", "/nope", "/css/", "/api/move",
        "/healthz", "/readyz", "/metrics", "/..%2f"})
    void noResponseRevealsTheJettyVersion(String path) throws Exception {
        Reply reply = server.send(new HttpGet(server.uri(path)));

        assertThat(reply.headers()).as(path).noneMatch(h -> h.getName().equalsIgnoreCase("Server")
                || h.getValue().toLowerCase().contains("jetty"));
        // /metrics names the jetty_threads_* families; no version appears in it all the same.
        assertThat(reply.body().toLowerCase()).as(path).doesNotContain(path.equals("/metrics") ? "12.1." : "jetty");
        if (reply.header("Content-Type") != null && reply.header("Content-Type").startsWith("text/html")) {
            assertThat(reply.header("Content-Security-Policy")).as(path).isNotBlank();
            assertThat(reply.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(reply.header("X-Frame-Options")).as(path).isEqualTo("DENY");
            assertThat(reply.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
        }
    }
}
