package io.github.tictactoe.tools.traffic;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** What the traffic generator did since the last report: requests, rejections it meant, errors and finished games. */
final class TrafficCounters {

    /** One report's figures. */
    record Report(long requests, long rejectedAsMeant, long errors, long gamesFinished, long visitsSkipped,
            long visitsWithoutReplica, String firstError) {

        @Override
        public String toString() {
            return requests + " requests (" + rejectedAsMeant + " of them bad moves and missing pages, rejected as "
                    + "meant), " + errors + " errors, " + gamesFinished + " games finished"
                    + (visitsSkipped > 0 ? ", " + visitsSkipped + " visits not started (too many still running)" : "")
                    + (visitsWithoutReplica > 0 ? ", " + visitsWithoutReplica + " visits not started (no replica in DNS)"
                            : "")
                    + (firstError != null ? "; first error: " + firstError : "");
        }
    }

    private final LongAdder requests = new LongAdder();
    private final LongAdder rejectedAsMeant = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder gamesFinished = new LongAdder();
    private final LongAdder visitsSkipped = new LongAdder();
    private final LongAdder visitsWithoutReplica = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    void answered(boolean rejectedAsMeant) {
        requests.increment();
        if (rejectedAsMeant) {
            this.rejectedAsMeant.increment();
        }
    }

    /** A request that got no answer or not the one it had to get; only the first message of a report is kept. */
    void error(boolean sent, String message) {
        if (sent) {
            requests.increment();
        }
        errors.increment();
        firstError.compareAndSet(null, message);
    }

    void gameFinished() {
        gamesFinished.increment();
    }

    void visitSkipped() {
        visitsSkipped.increment();
    }

    /** No replica to visit: none is running yet (the stack is starting), which no request could have changed. */
    void visitWithoutReplica() {
        visitsWithoutReplica.increment();
    }

    /** The figures since the last call, and starts counting again from 0. */
    Report takeReport() {
        return new Report(requests.sumThenReset(), rejectedAsMeant.sumThenReset(), errors.sumThenReset(),
                gamesFinished.sumThenReset(), visitsSkipped.sumThenReset(), visitsWithoutReplica.sumThenReset(),
                firstError.getAndSet(null));
    }
}
