package io.github.tictactoe.game;

import java.util.function.LongSupplier;

/**
 * Plays one request's worth of a game: the person's move if there is one, then in {@code vs-computer} mode the
 * computer's reply. It keeps no state, so any replica can referee any request.
 */
public final class Referee {

    private final ComputerPlayer computer;
    private final LongSupplier nanoClock;

    public Referee(ComputerPlayer computer, LongSupplier nanoClock) {
        this.computer = computer;
        this.nanoClock = nanoClock;
    }

    /**
     * @param cell the cell the player to move takes, or null to let the computer move (vs-computer mode only)
     * @throws InvalidMoveException when the move breaks a rule or the request does not fit the mode
     */
    public Turn play(Board board, Integer cell, Mode mode, Level level) {
        board.requireInProgress();
        if (cell == null && mode == Mode.TWO_PLAYERS) {
            throw new InvalidMoveException("cell is required in two-players mode");
        }
        Board afterPerson = cell == null ? board : board.play(cell);
        if (mode == Mode.TWO_PLAYERS) {
            return new Turn(afterPerson, true, null, null, 0);
        }
        // The computer plays whoever is not the person: the mark to move unless the person just moved.
        Mark computerMark = cell == null ? board.next() : board.next().opponent();
        if (afterPerson.status().isOver()) {
            return new Turn(afterPerson, true, null, computerMark, 0);
        }
        long start = nanoClock.getAsLong();
        int computerCell = computer.chooseMove(afterPerson, level);
        long thinkNanos = nanoClock.getAsLong() - start;
        return new Turn(afterPerson.play(computerCell), cell != null, computerCell, computerMark, thinkNanos);
    }

    /**
     * What one request played.
     *
     * @param board          the position after the moves
     * @param personMoved    whether a person's move was played
     * @param computerCell   the computer's move, or null
     * @param computerMark   the computer's mark in vs-computer mode, whether or not it moved; null with two players
     * @param thinkNanos     how long the computer took to choose, 0 when it did not move
     */
    public record Turn(Board board, boolean personMoved, Integer computerCell, Mark computerMark, long thinkNanos) {
    }
}
