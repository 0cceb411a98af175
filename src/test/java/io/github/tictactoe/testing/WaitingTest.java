package io.github.tictactoe.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The tests' waits: asked at once and in the caller's thread, and a time-out that says what was awaited. */
class WaitingTest {

    @Test
    void asksAtOnceInTheCallersThreadAndReturnsTheAwaitedValue() {
        Thread caller = Thread.currentThread();
        AtomicInteger asked = new AtomicInteger();

        int value = Waiting.upTo(Duration.ofSeconds(5), Duration.ofHours(1)).until(() -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            return asked.incrementAndGet();
        }, n -> n == 1);

        assertThat(value).isEqualTo(1);
    }

    @Test
    void aTimeOutNamesTheWaitItsLastValueAndTheContextReadThen() {
        AtomicInteger asked = new AtomicInteger();

        assertThatThrownBy(() -> Waiting.telling(() -> "asked " + asked.get() + " times",
                () -> Waiting.upTo(Duration.ofMillis(300), Duration.ofMillis(50)).alias("the answer 42")
                        .until(asked::incrementAndGet, n -> n == 42)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the answer 42").hasMessageMatching("(?s).*\nasked \\d+ times");
    }

    @Test
    void aFailedAssertionInsideAConditionEndsTheWaitAtOnce() {
        AtomicInteger asked = new AtomicInteger();

        assertThatThrownBy(() -> Waiting.upTo(Duration.ofSeconds(30), Duration.ofMillis(10)).until(() -> {
            asked.incrementAndGet();
            assertThat("rolled back").as("the update").isIn("updating", "completed");
            return true;
        })).isInstanceOf(AssertionError.class).hasMessageContaining("[the update]");
        assertThat(asked).hasValue(1);
    }

    @Test
    void anAssertionThatNeverHoldsFailsWithItsOwnMessage() {
        assertThatThrownBy(() -> Waiting.upTo(Duration.ofMillis(200), Duration.ofMillis(50))
                .untilAsserted(() -> assertThat("pending").as("the alert").isEqualTo("firing")))
                .hasMessageContaining("[the alert]").hasMessageContaining("pending");
    }
}
