package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * Steady traffic whose truth the test knows, sent to three replicas for a while: every tick (10 a second) one page
 * and one 404 to the first, two pages and one request with an unknown method (501) to the second, three pages to the
 * third and, every tenth tick, a whole two-player game there; beside that, moves to the first whose body takes
 * {@link #SLOW_BODY} to arrive. Every request is kept with when it was sent, what it was and how long it took.
 */
final class KnownTraffic implements AutoCloseable {

    /** How long a slow move's body takes to arrive: the server's chain waits for it, so that is its least latency. */
    static final Duration SLOW_BODY = Duration.ofMillis(300);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final int[] X_WINS_TOP_ROW = {0, 3, 1, 4, 2};

    /** One request as the client saw it: when it was sent, what it was, its status and how long it took. */
    record Sent(double epochSeconds, int replica, String kind, int status, double seconds) {
    }

    private final List<URI> replicas;
    private final CloseableHttpClient ticks = TestServer.newClient();
    private final CloseableHttpClient slow = TestServer.newClient();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private long tickCount;

    private KnownTraffic(List<URI> replicas) {
        this.replicas = replicas;
    }

    /** Starts the traffic; {@link #close()} stops it. */
    static KnownTraffic start(List<URI> replicas) {
        assertThat(replicas).hasSize(3);
        KnownTraffic traffic = new KnownTraffic(replicas);
        traffic.scheduler.scheduleAtFixedRate(traffic.guarded(traffic::tick), 0, TICK.toMillis(),
                TimeUnit.MILLISECONDS);
        traffic.scheduler.execute(traffic.guarded(traffic::slowMoves));
        return traffic;
    }

    /** The requests sent in [from, to] that match, and nothing failed on the way there. */
    List<Sent> sent(double from, double to, Predicate<Sent> matching) {
        assertThat(failures).as("requests that failed on the client").isEmpty();
        return sent.stream().filter(s -> s.epochSeconds() >= from && s.epochSeconds() <= to).filter(matching)
                .toList();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        scheduler.shutdown();
        assertThat(scheduler.awaitTermination(30, TimeUnit.SECONDS)).as("traffic stopped").isTrue();
        ticks.close();
        slow.close();
    }

    private void tick() throws IOException {
        send(ticks, 0, "page", new HttpGet(replicas.get(0).resolve("/")));
        send(ticks, 0, "not-found", new HttpGet(replicas.get(0).resolve("/no-such-file")));
        for (int i = 0; i < 2; i++) {
            send(ticks, 1, "page", new HttpGet(replicas.get(1).resolve("/")));
        }
        send(ticks, 1, "unknown-method", new HttpUriRequestBase("BREW", replicas.get(1).resolve("/")));
        for (int i = 0; i < 3; i++) {
            send(ticks, 2, "page", new HttpGet(replicas.get(2).resolve("/")));
        }
        if (tickCount++ % 10 == 0) {
            String board = ".........";
            for (int cell : X_WINS_TOP_ROW) {
                String body = "{\"board\":\"" + board + "\",\"cell\":" + cell + ",\"mode\":\"two-players\"}";
                HttpPost move = new HttpPost(replicas.get(2).resolve("/api/move"));
                move.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
                send(ticks, 2, "game-move", move);
                board = board.substring(0, cell) + (board.chars().filter(c -> c != '.').count() % 2 == 0 ? 'X' : 'O')
                        + board.substring(cell + 1);
            }
        }
    }

    private void slowMoves() throws IOException, InterruptedException {
        while (running) {
            HttpPost move = new HttpPost(replicas.get(0).resolve("/api/move"));
            move.setEntity(new TrickledBody("{\"board\":\".........\",\"cell\":4}", SLOW_BODY));
            send(slow, 0, "slow-move", move);
            Thread.sleep(SLOW_BODY.toMillis());
        }
    }

    private void send(CloseableHttpClient client, int replica, String kind, HttpUriRequestBase request)
            throws IOException {
        double at = System.currentTimeMillis() / 1000.0;
        long start = System.nanoTime();
        int status = TestServer.send(client, request).status();
        sent.add(new Sent(at, replica, kind, status, (System.nanoTime() - start) / 1e9));
    }

    private Runnable guarded(Task task) {
        return () -> {
            if (!running) {
                return;
            }
            try {
                task.run();
            } catch (Exception | AssertionError e) {
                failures.add(e);
            }
        };
    }

    @FunctionalInterface
    private interface Task {
        void run() throws Exception;
    }
}
