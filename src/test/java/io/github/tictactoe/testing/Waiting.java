package io.github.tictactoe.testing;

import java.time.Duration;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The tests' one way to wait for something: Awaitility, asking at once and then at a fixed interval, in the test's
 * own thread (its clients and browsers are not shared between threads), until a limit that fails the test.
 */
public final class Waiting {

    private Waiting() {
    }

    /** A wait of at most {@code limit} that asks again every {@code interval}. */
    public static ConditionFactory upTo(Duration limit, Duration interval) {
        return Awaitility.await().atMost(limit).pollDelay(Duration.ZERO).pollInterval(interval).pollInSameThread();
    }

    /**
     * Runs a wait; when it times out, fails with its message and {@code context}, read at that moment (a process's
     * log, a container's): what a reader of the failure needs, fetched once rather than at every try.
     */
    public static void telling(Supplier<String> context, Runnable wait) {
        telling(context, () -> {
            wait.run();
            return null;
        });
    }

    /** {@link #telling(Supplier, Runnable)} for a wait that returns what it awaited. */
    public static <T> T telling(Supplier<String> context, Supplier<T> wait) {
        try {
            return wait.get();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + context.get(), e);
        }
    }
}
