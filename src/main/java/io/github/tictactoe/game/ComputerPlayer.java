package io.github.tictactoe.game;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Chooses the computer's move at a given level; random choices come from an injected source, so tests repeat. */
public final class ComputerPlayer {

    private final RandomGenerator random;

    public ComputerPlayer(RandomGenerator random) {
        this.random = random;
    }

    /**
     * The cell the player to move should take.
     *
     * @throws InvalidMoveException when the game is already over
     */
    public int chooseMove(Board board, Level level) {
        board.requireInProgress();
        List<Integer> moves = board.legalMoves();
        return switch (level) {
            case EASY -> pick(moves);
            case MEDIUM -> medium(board, moves);
            case PERFECT -> perfect(board, moves);
        };
    }

    private int medium(Board board, List<Integer> moves) {
        Mark me = board.next();
        Integer win = completingMove(board, moves, me);
        if (win != null) {
            return win;
        }
        Integer block = completingMove(board, moves, me.opponent());
        return block != null ? block : pick(moves);
    }

    /** A cell that would give {@code mark} a line, or null. */
    private static Integer completingMove(Board board, List<Integer> moves, Mark mark) {
        for (int[] line : Board.LINES) {
            int marks = 0;
            Integer empty = null;
            for (int cell : line) {
                if (board.at(cell) == mark) {
                    marks++;
                } else if (board.isEmpty(cell)) {
                    empty = cell;
                }
            }
            if (marks == 2 && empty != null && moves.contains(empty)) {
                return empty;
            }
        }
        return null;
    }

    /** One of the moves with the best game-theoretic value, chosen at random among equals for variety. */
    private int perfect(Board board, List<Integer> moves) {
        List<Integer> best = new ArrayList<>();
        int bestValue = Integer.MIN_VALUE;
        for (int move : moves) {
            // A child's value is from the opponent's side, so it is negated for ours.
            int value = -PerfectPlay.value(board.play(move));
            if (value > bestValue) {
                bestValue = value;
                best.clear();
            }
            if (value == bestValue) {
                best.add(move);
            }
        }
        return pick(best);
    }

    private int pick(List<Integer> moves) {
        return moves.get(random.nextInt(moves.size()));
    }
}
