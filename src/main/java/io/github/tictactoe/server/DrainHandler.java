package io.github.tictactoe.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;

/**
 * Lets a stopping server finish its work without losing a request: once draining, it still serves every request but
 * asks the client to close the connection afterwards, and its graceful shutdown completes when no request is left.
 *
 * <p>Jetty's {@code GracefulHandler} answers 503 to any request that arrives after the stop began, even on a
 * connection the client already had open; a client that is mid-game then sees an error. Here such a request is
 * served, and {@code Connection: close} moves the client's next request to a new connection, which the load balancer
 * sends to another replica.
 */
final class DrainHandler extends Handler.Wrapper implements Graceful {

    private final AtomicLong inFlight = new AtomicLong();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean draining;

    DrainHandler(Handler handler) {
        super(handler);
    }

    /** From now on each response closes its connection, and readiness reports the replica as going away. */
    void beginDraining() {
        draining = true;
    }

    boolean isDraining() {
        return draining;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        // Counted before the draining check, so a shutdown cannot complete between the two.
        inFlight.incrementAndGet();
        if (draining) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        Callback counted = new Callback.Nested(callback) {
            @Override
            public void completed() {
                finished();
            }
        };
        try {
            boolean handled = super.handle(request, response, counted);
            if (!handled) {
                finished();
            }
            return handled;
        } catch (Throwable failure) {
            finished();
            throw failure;
        }
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        draining = true;
        checkDrained();
        return drained;
    }

    @Override
    public boolean isShutdown() {
        return drained.isDone();
    }

    private void finished() {
        inFlight.decrementAndGet();
        if (draining) {
            checkDrained();
        }
    }

    private void checkDrained() {
        if (inFlight.get() == 0) {
            drained.complete(null);
        }
    }
}
