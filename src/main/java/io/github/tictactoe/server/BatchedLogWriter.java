package io.github.tictactoe.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access log lines in batches: one write when a batch fills up or its time is up, rather than one per request.
 *
 * <p>{@code System.out::println} makes a write system call for every line, a share of each page request's CPU time
 * that bench/RESULTS.md measures. Here a line reaches the output within {@code flushInterval},
 * and every pending line is written when the server stops; a process killed outright loses at most that interval.
 * Before start and after stop each line is written at once.
 */
final class BatchedLogWriter extends AbstractLifeCycle implements RequestLog.Writer {

    private static final Logger LOG = LoggerFactory.getLogger(BatchedLogWriter.class);

    private final OutputStream out;
    private final int batchBytes;
    private final Duration flushInterval;
    /** Guarded by {@code this}, as is every write to {@code out}, so that lines keep their order. */
    private final ByteArrayOutputStream pending;
    private ScheduledExecutorService flusher;
    private boolean failed;

    /**
     * @param batchBytes    pending bytes that trigger a write at once
     * @param flushInterval the longest a line waits before it is written
     */
    BatchedLogWriter(OutputStream out, int batchBytes, Duration flushInterval) {
        this.out = out;
        this.batchBytes = batchBytes;
        this.flushInterval = flushInterval;
        this.pending = new ByteArrayOutputStream(batchBytes + 1024);
    }

    @Override
    public void write(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            pending.write(bytes, 0, bytes.length);
            pending.write('\n');
            if (pending.size() >= batchBytes || !isStarted()) {
                flush();
            }
        }
    }

    /** Writes every pending line. */
    synchronized void flush() {
        if (pending.size() == 0) {
            return;
        }
        try {
            pending.writeTo(out);
            out.flush();
            failed = false;
        } catch (IOException e) {
            // The lines are dropped rather than kept: a closed stdout will not come back, and memory must stay bounded.
            if (!failed) {
                LOG.warn("Cannot write the access log; lines are dropped until it can be written again", e);
                failed = true;
            }
        } finally {
            pending.reset();
        }
    }

    @Override
    protected void doStart() {
        flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "access-log-flusher");
            thread.setDaemon(true);
            return thread;
        });
        long period = flushInterval.toMillis();
        flusher.scheduleAtFixedRate(this::flush, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws InterruptedException {
        flusher.shutdown();
        flusher.awaitTermination(1, TimeUnit.SECONDS);
        flush();
    }
}
