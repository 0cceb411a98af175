package io.github.tictactoe.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sustained concurrent load on valid requests for 30 s: no error, no non-2xx, and no heap growth after a full GC. */
class SustainedLoadTest {

    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration LOAD = Duration.ofSeconds(30);
    private static final int CLIENTS = 8;
    /** Heap after a full GC may differ by JIT and pool state; a leak of one object per request would exceed this. */
    private static final long HEAP_MARGIN_BYTES = 16L * 1024 * 1024;

    @RegisterExtension
    final TestServer server = new TestServer();

    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    @Test
    void thirtySecondsOfLoadWithoutAnErrorOrAHeapGrowth() throws Exception {
        run(WARM_UP);
        outcomes.clear();
        long heapBefore = heapAfterFullGc();

        long requests = run(LOAD);

        long heapAfter = heapAfterFullGc();
        System.out.printf("sustained load: %d requests in %d s by %d clients, outcomes %s, heap after full GC %d KiB "
                        + "before and %d KiB after%n", requests, LOAD.toSeconds(), CLIENTS, new TreeMap<>(outcomes),
                heapBefore / 1024, heapAfter / 1024);
        assertThat(outcomes.keySet()).as("outcomes %s", outcomes).containsOnly("2xx");
        assertThat(requests).isGreaterThan(1_000);
        assertThat(server.metrics().gauge("http_server_active_requests")).isZero();
        assertThat(heapAfter).as("heap after a full GC, before %d", heapBefore).isLessThan(heapBefore + HEAP_MARGIN_BYTES);
    }

    /** Runs the clients for {@code duration}; returns how many requests they sent. */
    private long run(Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long end = System.nanoTime() + duration.toNanos();
        List<Future<Long>> counts = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            counts.add(pool.submit(() -> {
                long sent = 0;
                try (CloseableHttpClient client = TestServer.newClient()) {
                    while (System.nanoTime() < end) {
                        record(client, request(sent++));
                    }
                }
                return sent;
            }));
        }
        long total = 0;
        for (Future<Long> count : counts) {
            total += count.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return total;
    }

    private HttpUriRequestBase request(long i) {
        return switch ((int) (i % 4)) {
            case 0 -> new HttpGet(server.uri("/"));
            case 1 -> new HttpGet(server.uri("/css/app.css"));
            case 2 -> new HttpGet(server.uri("/healthz"));
            default -> {
                HttpPost post = new HttpPost(server.uri("/api/move"));
                post.setEntity(new StringEntity("{\"board\": \"X...O....\", \"cell\": 8}", ContentType.APPLICATION_JSON));
                yield post;
            }
        };
    }

    private void record(CloseableHttpClient client, HttpUriRequestBase request) {
        String outcome;
        try {
            int status = TestServer.send(client, request).status();
            outcome = status >= 200 && status < 300 ? "2xx" : String.valueOf(status);
        } catch (Exception e) {
            outcome = e.getClass().getSimpleName();
        }
        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    private static long heapAfterFullGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
