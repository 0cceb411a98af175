package io.github.tictactoe.game;

import java.util.Arrays;

/**
 * The value of every reachable position under perfect play, computed once by negamax over the whole game tree (a few
 * thousand positions), so that a perfect move on the request path is nine table lookups.
 */
final class PerfectPlay {

    /** Marks a position not yet valued; real values lie between -10 and 10. */
    private static final byte UNKNOWN = Byte.MIN_VALUE;
    private static final byte[] VALUES = new byte[19683];

    static {
        Arrays.fill(VALUES, UNKNOWN);
        value(Board.EMPTY_BOARD);
    }

    private PerfectPlay() {
    }

    /**
     * The position's value for the player to move: positive when they win with perfect play, higher the sooner;
     * negative when they lose, closer to 0 the later; 0 for a draw.
     */
    static int value(Board board) {
        int index = board.index();
        if (VALUES[index] != UNKNOWN) {
            return VALUES[index];
        }
        int value;
        if (board.winner() != null) {
            // The player who just moved has won; the sooner (the more empty cells left), the worse for us.
            value = -(1 + board.emptyCells());
        } else if (board.status() == GameStatus.DRAW) {
            value = 0;
        } else {
            value = Integer.MIN_VALUE;
            for (int move : board.legalMoves()) {
                value = Math.max(value, -value(board.play(move)));
            }
        }
        VALUES[index] = (byte) value;
        return value;
    }
}
