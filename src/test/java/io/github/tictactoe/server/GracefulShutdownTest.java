package io.github.tictactoe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.testing.TestServer;
import io.github.tictactoe.testing.Waiting;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stopping the real server while a request is in flight: the request completes and readiness turns 503. */
class GracefulShutdownTest {

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @RegisterExtension
    final TestServer server = new TestServer(context ->
            context.addServlet(new ServletHolder("slow", new SlowServlet(entered, release)), "/slow"));

    @Test
    void requestInFlightCompletesAndReadinessTurns503DuringTheDrain() throws Exception {
        try (CloseableHttpClient prober = TestServer.newClient()) {
            // Opens the prober's kept-alive connection now: once the stop begins, the listener accepts no new ones.
            assertThat(TestServer.send(prober, new HttpGet(server.uri("/readyz"))).status()).isEqualTo(200);

            CompletableFuture<Reply> slow = CompletableFuture.supplyAsync(() -> send(new HttpGet(server.uri("/slow"))));
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("the slow request reached its servlet").isTrue();

            CompletableFuture<Void> stop = CompletableFuture.runAsync(this::stopServer);
            // Not isStopping(): the stop begins a moment before it reaches the drain handler, and readiness follows that.
            Waiting.upTo(Duration.ofSeconds(10), Duration.ofMillis(1)).alias("the server draining")
                    .until(server.server()::isDraining);
            Reply readiness = TestServer.send(prober, new HttpGet(server.uri("/readyz")));
            assertThat(stop).as("the stop waits for the request in flight").isNotDone();

            release.countDown();
            Reply reply = slow.get(10, TimeUnit.SECONDS);
            stop.get(10, TimeUnit.SECONDS);

            assertThat(readiness.status()).isEqualTo(503);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("finished\n");
            assertThat(server.server().isStopped()).isTrue();
        }
    }

    @Test
    void duringTheDrainDelayNewConnectionsAreServedAndToldToClose() throws Exception {
        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
            try {
                server.server().stopGracefully(Duration.ofSeconds(2));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Asked within the drain delay, once the stop has begun it.
        Waiting.upTo(Duration.ofSeconds(1), Duration.ofMillis(10)).alias("the server draining")
                .until(server.server()::isDraining);

        Reply page;
        Reply readiness;
        try (CloseableHttpClient fresh = TestServer.newClient()) {
            page = TestServer.send(fresh, new HttpGet(server.uri("/")));
        }
        try (CloseableHttpClient fresh = TestServer.newClient()) {
            readiness = TestServer.send(fresh, new HttpGet(server.uri("/readyz")));
        }
        assertThat(stop).as("still in the drain delay").isNotDone();
        stop.get(10, TimeUnit.SECONDS);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Connection")).isEqualTo("close");
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.body()).isEqualTo("unavailable\n");
    }

    private Reply send(HttpGet request) {
        try {
            return server.send(request);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void stopServer() {
        try {
            server.server().stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Holds its request until the test releases it. */
    private static final class SlowServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient CountDownLatch entered;
        private final transient CountDownLatch release;

        SlowServlet(CountDownLatch entered, CountDownLatch release) {
            this.entered = entered;
            this.release = release;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            response.setContentType("text/plain");
            response.getWriter().write("finished\n");
        }
    }
}
