package io.github.tictactoe.metrics;

import io.github.tictactoe.game.GameStatus;
import io.github.tictactoe.game.Level;
import io.github.tictactoe.game.Mode;
import io.github.tictactoe.game.Referee.Turn;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;

/** Game activity: games finished, moves played and the computer's think time, every label from a fixed set. */
public final class GameMetrics {

    /** The level label of a two-player game, which has no computer. */
    static final String NO_LEVEL = "none";
    static final List<String> VS_COMPUTER_OUTCOMES = List.of("human-wins", "computer-wins", "draw");
    static final List<String> TWO_PLAYER_OUTCOMES = List.of("x-wins", "o-wins", "draw");
    /** Think time buckets in seconds: a table lookup takes microseconds, anything near 10 ms is a problem. */
    static final double[] THINK_BUCKETS = {.000001, .000005, .00001, .00005, .0001, .0005, .001, .005, .01};

    private final Counter games;
    private final Counter moves;
    private final Histogram think;

    public GameMetrics(PrometheusRegistry registry) {
        games = Counter.builder()
                .name("tictactoe_games_total")
                .help("Games finished, by mode, computer level (none with two players) and outcome")
                .labelNames("mode", "level", "outcome")
                .withoutExemplars()
                .register(registry);
        moves = Counter.builder()
                .name("tictactoe_moves_total")
                .help("Moves played, by who played them: human or computer")
                .labelNames("player")
                .withoutExemplars()
                .register(registry);
        think = Histogram.builder()
                .name("tictactoe_computer_think_seconds")
                .help("Time the computer took to choose a move, by level")
                .unit(Unit.SECONDS)
                .labelNames("level")
                .classicOnly()
                .classicUpperBounds(THINK_BUCKETS)
                .withoutExemplars()
                .register(registry);
        // Every series exists from the start at 0, so rates and ratios work before the first game ends.
        for (Level level : Level.values()) {
            VS_COMPUTER_OUTCOMES.forEach(o -> games.initLabelValues(Mode.VS_COMPUTER.wireName(), level.wireName(), o));
            think.initLabelValues(level.wireName());
        }
        TWO_PLAYER_OUTCOMES.forEach(o -> games.initLabelValues(Mode.TWO_PLAYERS.wireName(), NO_LEVEL, o));
        moves.initLabelValues("human");
        moves.initLabelValues("computer");
    }

    public void record(Mode mode, Level level, Turn turn) {
        if (turn.personMoved()) {
            moves.labelValues("human").inc();
        }
        if (turn.computerCell() != null) {
            moves.labelValues("computer").inc();
            think.labelValues(level.wireName()).observe(turn.thinkNanos() / 1e9);
        }
        GameStatus status = turn.board().status();
        if (status.isOver()) {
            games.labelValues(mode.wireName(), mode == Mode.TWO_PLAYERS ? NO_LEVEL : level.wireName(),
                    outcome(mode, status, turn)).inc();
        }
    }

    private static String outcome(Mode mode, GameStatus status, Turn turn) {
        if (status == GameStatus.DRAW || mode == Mode.TWO_PLAYERS) {
            return status.wireName();
        }
        return turn.board().winner() == turn.computerMark() ? "computer-wins" : "human-wins";
    }
}
