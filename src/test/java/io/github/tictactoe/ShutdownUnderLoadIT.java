package io.github.tictactoe;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.JarProcess;
import io.github.tictactoe.testing.TestServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the packaged jar while clients send a steady stream of pages and moves, on fresh and on kept-alive
 * connections: what a Swarm rolling update does to a replica. Every request must get a real answer, none a 503.
 *
 * <p>The clients behave as they do behind a load balancer that health-checks {@code /readyz} (Swarm's routing mesh
 * drops a task as its shutdown begins): once readiness answers 503, no new connection goes to this replica, and a
 * kept-alive connection carries requests until the server closes it. With {@code -Dshutdown.blindClients=true}
 * they ignore readiness and keep opening connections until refused; connections still in the kernel's accept queue
 * when the listener closes are then reset by the kernel, which no server can prevent, so that mode reports its
 * counts instead of asserting on resets.
 */
class ShutdownUnderLoadIT {

    private static final int CLIENTS_PER_KIND = 4;
    private static final Duration LOAD_BEFORE_STOP = Duration.ofSeconds(2);

    @TempDir
    Path logs;

    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** Set when readiness first answers 503: the load balancer takes the replica out of rotation. */
    private final AtomicBoolean outOfRotation = new AtomicBoolean();
    private final boolean blindClients = Boolean.getBoolean("shutdown.blindClients");

    @Test
    void sigtermUnderLoadLosesNoRequestAndExitsZero() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        try (JarProcess jar = JarProcess.start("app", Map.of("PORT", String.valueOf(port), "HOST", "127.0.0.1",
                "STOP_TIMEOUT_SECONDS", "10", "DRAIN_DELAY_SECONDS", "1"), List.of(), logs);
                CloseableHttpClient probe = TestServer.newClient()) {
            jar.awaitHealthy(base, probe);
            ExecutorService clients = Executors.newFixedThreadPool(2 * CLIENTS_PER_KIND + 1);
            List<CloseableHttpClient> httpClients = new ArrayList<>();
            for (int i = 0; i < CLIENTS_PER_KIND; i++) {
                CloseableHttpClient fresh = client(false);
                CloseableHttpClient kept = client(true);
                httpClients.add(fresh);
                httpClients.add(kept);
                clients.submit(() -> sendUntilStopped(fresh, base, "fresh"));
                clients.submit(() -> sendUntilStopped(kept, base, "kept-alive"));
            }
            clients.submit(() -> probeReadiness(probe, base));

            Thread.sleep(LOAD_BEFORE_STOP.toMillis());
            long signalled = System.nanoTime();
            jar.terminate();
            boolean exited = jar.waitFor(Duration.ofSeconds(15));
            long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            Thread.sleep(300);
            stopped.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (CloseableHttpClient client : httpClients) {
                client.close();
            }

            System.out.printf("shutdown under load (%s clients): %s, exit %s after %d ms%n",
                    blindClients ? "blind" : "load-balanced", new java.util.TreeMap<>(outcomes),
                    exited ? jar.process().exitValue() : "none", drainMillis);
            assertThat(exited).as("exited within its stop timeout").isTrue();
            assertThat(jar.process().exitValue()).as("exit code; stderr:%n%s", jar.stderr()).isZero();
            assertThat(count("fresh 2xx") + count("kept-alive 2xx")).as("requests answered").isGreaterThan(100);
            assertThat(count("readyz 503")).as("readiness answered 503 during the drain").isPositive();
            assertThat(outcomes.keySet()).as("no request was answered 503 or anything but 2xx")
                    .allMatch(key -> key.startsWith("readyz") || key.endsWith(" 2xx") || key.endsWith(" refused")
                            || key.contains("FAILED"));
            if (!blindClients) {
                assertThat(failures()).as("requests lost to resets or empty replies: %s", outcomes).isEmpty();
            }
        }
    }

    private void sendUntilStopped(CloseableHttpClient client, URI base, String kind) {
        boolean keptAlive = kind.equals("kept-alive");
        int i = 0;
        while (!stopped.get()) {
            if (outOfRotation.get() && !blindClients && !keptAlive) {
                return; // new connections now go to another replica
            }
            HttpUriRequestBase request;
            if (i++ % 2 == 0) {
                request = new HttpGet(base.resolve("/"));
            } else {
                HttpPost post = new HttpPost(base.resolve("/api/move"));
                post.setEntity(new StringEntity("{\"board\": \"X...O....\", \"cell\": 8}", ContentType.APPLICATION_JSON));
                request = post;
            }
            TestServer.Reply reply = record(kind, () -> TestServer.send(client, request));
            boolean closed = reply == null || "close".equalsIgnoreCase(reply.header("Connection"));
            if (closed && outOfRotation.get() && !blindClients) {
                return; // the server closed this connection; the next one would go to another replica
            }
        }
    }

    private void probeReadiness(CloseableHttpClient probe, URI base) {
        while (!stopped.get() && !outOfRotation.get()) {
            TestServer.Reply reply = record("readyz", () -> TestServer.send(probe, new HttpGet(base.resolve("/readyz"))));
            if (reply != null && reply.status() == 503) {
                outOfRotation.set(true);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private interface Exchange {
        TestServer.Reply send() throws IOException;
    }

    /** Counts the outcome of one exchange; returns the reply, or null when there was none. */
    private TestServer.Reply record(String kind, Exchange exchange) {
        String outcome;
        TestServer.Reply reply = null;
        try {
            reply = exchange.send();
            int status = reply.status();
            outcome = status >= 200 && status < 300 ? "2xx" : String.valueOf(status);
        } catch (ConnectException refused) {
            // The listener is closed: a load balancer would send this connection to another replica.
            outcome = "refused";
        } catch (NoHttpResponseException empty) {
            outcome = "FAILED empty reply";
        } catch (SocketException e) {
            outcome = "FAILED " + e.getMessage();
        } catch (IOException e) {
            outcome = "FAILED " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        outcomes.computeIfAbsent(kind + " " + outcome, k -> new LongAdder()).increment();
        return reply;
    }

    private List<String> failures() {
        return outcomes.keySet().stream().filter(k -> k.contains("FAILED")).sorted().toList();
    }

    private long count(String key) {
        LongAdder adder = outcomes.get(key);
        return adder == null ? 0 : adder.sum();
    }

    /** A client that keeps its connections alive between requests, or one that opens a new one for each. */
    private static CloseableHttpClient client(boolean keepAlive) {
        var builder = HttpClients.custom()
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(5))
                                .setSocketTimeout(Timeout.ofSeconds(15))
                                // No stale check: a real browser sends on an idle connection without one.
                                .setValidateAfterInactivity(TimeValue.NEG_ONE_MILLISECOND)
                                .build())
                        .build());
        if (!keepAlive) {
            builder.setConnectionReuseStrategy((request, response, context) -> false);
        }
        return builder.build();
    }
}
