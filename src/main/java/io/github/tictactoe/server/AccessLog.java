package io.github.tictactoe.server;

import java.time.Duration;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;

/** The access log: one line per request in the combined log format, written to stdout in batches. */
final class AccessLog {

    /**
     * Jetty's {@code EXTENDED_NCSA_FORMAT} (the combined log format) with the user field written as the "-" it always
     * is here, since nothing authenticates: Jetty's {@code %u} looks the authentication up on every request, a cost
     * bench/RESULTS.md measures in a JFR profile of the page. The lines stay byte for byte the same.
     */
    private static final String FORMAT = "%{client}a - - %t \"%r\" %s %O \"%{Referer}i\" \"%{User-Agent}i\"";
    /** Lines go out in batches of this size or age, whichever comes first. */
    private static final int BATCH_BYTES = 32 * 1024;
    private static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);

    private AccessLog() {
    }

    static RequestLog toStdout() {
        return new CustomRequestLog(new BatchedLogWriter(System.out, BATCH_BYTES, FLUSH_INTERVAL), FORMAT);
    }
}
