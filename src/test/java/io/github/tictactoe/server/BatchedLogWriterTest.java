package io.github.tictactoe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.Waiting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BatchedLogWriterTest {

    private static final Duration NEVER = Duration.ofHours(1);

    /** An output that records what reached it and how many writes it took. */
    private static final class RecordingOutput extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int writes;

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            writes++;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            writes++;
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized int writes() {
            return writes;
        }
    }

    @Test
    void holdsLinesUntilTheBatchIsFullThenWritesThemInOneGo() throws Exception {
        RecordingOutput out = new RecordingOutput();
        BatchedLogWriter writer = new BatchedLogWriter(out, 100, NEVER);
        writer.start();
        writer.write("first line of forty bytes...............");
        writer.write("second line of forty bytes..............");
        assertThat(out.text()).as("80 bytes pending, below the batch size").isEmpty();

        writer.write("third line crosses the batch size.......");

        assertThat(out.text()).isEqualTo("first line of forty bytes...............\n"
                + "second line of forty bytes..............\n" + "third line crosses the batch size.......\n");
        assertThat(out.writes()).isEqualTo(1);
        writer.stop();
    }

    @Test
    void writesPendingLinesWhenTheIntervalIsUp() throws Exception {
        RecordingOutput out = new RecordingOutput();
        BatchedLogWriter writer = new BatchedLogWriter(out, 1 << 20, Duration.ofMillis(50));
        writer.start();
        writer.write("GET / 200 é");

        Waiting.upTo(Duration.ofSeconds(5), Duration.ofMillis(10)).alias("the pending line written")
                .until(() -> !out.text().isEmpty());

        assertThat(out.text()).isEqualTo("GET / 200 é\n");
        writer.stop();
    }

    @Test
    void writesEveryPendingLineOnStopAndEachLineAtOnceAfterwards() throws Exception {
        RecordingOutput out = new RecordingOutput();
        BatchedLogWriter writer = new BatchedLogWriter(out, 1 << 20, NEVER);
        writer.start();
        writer.write("served before stop");
        assertThat(out.text()).isEmpty();

        writer.stop();
        assertThat(out.text()).isEqualTo("served before stop\n");

        writer.write("logged after stop");
        assertThat(out.text()).isEqualTo("served before stop\nlogged after stop\n");
    }

    @Test
    void keepsEveryLineAndEachThreadsOrderUnderConcurrentWriters() throws Exception {
        RecordingOutput out = new RecordingOutput();
        BatchedLogWriter writer = new BatchedLogWriter(out, 4096, Duration.ofMillis(5));
        writer.start();
        int threads = 8;
        int linesEach = 5_000;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < linesEach; i++) {
                    writer.write(id + " " + i);
                }
            });
            thread.start();
            writers.add(thread);
        }
        for (Thread thread : writers) {
            thread.join();
        }
        writer.stop();

        Map<Integer, Integer> nextPerThread = new HashMap<>();
        String[] lines = out.text().split("\n");
        assertThat(lines).hasSize(threads * linesEach);
        for (String line : lines) {
            String[] fields = line.split(" ");
            int id = Integer.parseInt(fields[0]);
            int expected = nextPerThread.getOrDefault(id, 0);
            assertThat(Integer.parseInt(fields[1])).as("line order of thread %d", id).isEqualTo(expected);
            nextPerThread.put(id, expected + 1);
        }
        assertThat(out.writes()).as("batched, not one write per line").isLessThan(threads * linesEach / 10);
    }

    @Test
    void dropsTheBatchWhenTheOutputFailsAndWritesAgainWhenItRecovers() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        RecordingOutput good = new RecordingOutput();
        OutputStream flaky = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (broken.get()) {
                    throw new IOException("Broken pipe");
                }
                good.write(b, off, len);
            }
        };
        BatchedLogWriter writer = new BatchedLogWriter(flaky, 10, NEVER);
        writer.start();

        writer.write("lost while stdout is broken");
        broken.set(false);
        writer.write("written once it works");

        assertThat(good.text()).isEqualTo("written once it works\n");
        writer.stop();
    }
}
