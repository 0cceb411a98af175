package io.github.tictactoe.swarm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * A JSON request body sent in two halves a pause apart, as a slow mobile client would: the server's chain waits for
 * the second half, so the pause is the least time the server measures for the request.
 */
final class TrickledBody extends AbstractHttpEntity {

    private final byte[] bytes;
    private final Duration pause;

    TrickledBody(String json, Duration pause) {
        super(ContentType.APPLICATION_JSON, null, true);
        this.bytes = json.getBytes(StandardCharsets.UTF_8);
        this.pause = pause;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        int half = bytes.length / 2;
        out.write(bytes, 0, half);
        out.flush();
        try {
            Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while trickling a body", e);
        }
        out.write(bytes, half, bytes.length - half);
    }

    @Override
    public InputStream getContent() {
        throw new UnsupportedOperationException("a trickled body is written, never read");
    }

    @Override
    public long getContentLength() {
        return -1;
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void close() {
        // nothing held
    }
}
