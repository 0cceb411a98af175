package io.github.tictactoe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** bench/compare.sh's summary: medians as measured, ratios within each round. */
class PairedRoundsTest {

    @Test
    void mediansMinMaxAndTheRatioOfEachRound() {
        String summary = PairedRounds.summary(List.of("before 10.0 2.1ms", "after 11.0 2.0ms", "before 20", "after 18",
                "before 12.5", "after 15", "before 9", "after 9"));

        assertThat(summary.lines()).containsExactly(
                "- before: median 10.0, min 9, max 20; all: 9 10.0 (2.1ms) 12.5 20",
                "- after: median 11.0, min 9, max 18; all: 9 11.0 (2.0ms) 15 18",
                "- after/before, round by round: median 1.000, min 0.900, max 1.200; all: 0.900 1.000 1.100 1.200");
    }

    @Test
    void aRoundThatMeasuredAfterFirstIsPairedAllTheSame() {
        String summary = PairedRounds.summary(List.of("before 10", "after 11", "after 18", "before 20"));

        assertThat(summary.lines()).last().isEqualTo(
                "- after/before, round by round: median 0.900, min 0.900, max 1.100; all: 0.900 1.100");
    }

    @Test
    void aRoundWithoutBothSidesIsRefused() {
        assertThatThrownBy(() -> PairedRounds.summary(List.of("before 10", "after 11", "before 20", "before 21")))
                .hasMessageContaining("round 2 is not one before and one after line");
        assertThatThrownBy(() -> PairedRounds.summary(List.of("before 10", "after 11", "after 12")))
                .hasMessageContaining("round 2 is not one before and one after line");
    }

    @Test
    void aLineThatIsNotARoundIsRefused() {
        assertThatThrownBy(() -> PairedRounds.summary(List.of("before 1", "during 2")))
                .hasMessageContaining("not a round's line: during 2");
    }
}
