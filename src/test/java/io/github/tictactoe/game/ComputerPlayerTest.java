package io.github.tictactoe.game;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ComputerPlayerTest {

    @Test
    void thereAre5478ReachablePositions() {
        assertThat(reachablePositions()).hasSize(5478);
    }

    /** Against every possible sequence of opponent moves, from the empty board, playing first or second. */
    @ParameterizedTest
    @CsvSource({"X, 1", "X, 2", "X, 3", "O, 1", "O, 2", "O, 3"})
    void perfectNeverLosesAWholeGameWhoeverStarts(Mark computerMark, long seed) {
        ComputerPlayer perfect = new ComputerPlayer(new SplittableRandom(seed));

        assertThat(lossesAgainstEveryOpponent(perfect, Board.EMPTY_BOARD, computerMark)).isZero();
    }

    /**
     * From every reachable position, the perfect move keeps the best value an independent plain minimax finds: it
     * never gives away a draw or a win, and it wins as soon as it can.
     */
    @Test
    void perfectMoveIsOptimalFromEveryReachablePosition() {
        ComputerPlayer perfect = new ComputerPlayer(new SplittableRandom(7));
        int checked = 0;
        for (Board board : reachablePositions()) {
            if (board.status().isOver()) {
                continue;
            }
            int move = perfect.chooseMove(board, Level.PERFECT);
            int best = board.legalMoves().stream().mapToInt(m -> -minimax(board.play(m))).max().orElseThrow();

            assertThat(-minimax(board.play(move))).as("perfect move %d on %s", move, board).isEqualTo(best);
            checked++;
        }
        assertThat(checked).isEqualTo(4520);
    }

    @Test
    void perfectTakesTheImmediateWinOverASlowerOne() {
        // X can win now at 2; other moves may also win later.
        Board board = Board.parse("XX.OO....");

        assertThat(new ComputerPlayer(new Random(1)).chooseMove(board, Level.PERFECT)).isEqualTo(2);
    }

    @Test
    void mediumWinsWhenItCan() {
        Board board = Board.parse("XX.OO....");

        for (long seed = 0; seed < 20; seed++) {
            assertThat(new ComputerPlayer(new Random(seed)).chooseMove(board, Level.MEDIUM)).isEqualTo(2);
        }
    }

    @Test
    void mediumBlocksWhenItMust() {
        // O to move; X threatens 0-1-2.
        Board board = Board.parse("XX..O....");

        for (long seed = 0; seed < 20; seed++) {
            assertThat(new ComputerPlayer(new Random(seed)).chooseMove(board, Level.MEDIUM)).isEqualTo(2);
        }
    }

    @Test
    void easyPlaysEveryLegalMoveSometimesAndNothingElse() {
        Board board = Board.parse("X...O....");
        ComputerPlayer easy = new ComputerPlayer(new Random(42));
        Set<Integer> seen = new HashSet<>();

        for (int i = 0; i < 500; i++) {
            seen.add(easy.chooseMove(board, Level.EASY));
        }

        assertThat(seen).containsExactlyInAnyOrderElementsOf(board.legalMoves());
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void theSameSeedGivesTheSameMoves(Level level) {
        List<Integer> first = playOut(new ComputerPlayer(new Random(99)), level);
        List<Integer> second = playOut(new ComputerPlayer(new Random(99)), level);

        assertThat(first).isEqualTo(second);
    }

    @ParameterizedTest
    @CsvSource({"XXXOO...., x-wins", "XOXXOOOXX, draw"})
    void refusesToMoveWhenTheGameIsOver(String board, String status) {
        assertThatThrownBy(() -> new ComputerPlayer(new Random()).chooseMove(Board.parse(board), Level.EASY))
                .isInstanceOf(InvalidMoveException.class)
                .hasMessage("the game is over (" + status + "): no more moves");
    }

    private static List<Integer> playOut(ComputerPlayer player, Level level) {
        Board board = Board.EMPTY_BOARD;
        List<Integer> moves = new java.util.ArrayList<>();
        while (!board.status().isOver()) {
            int move = player.chooseMove(board, level);
            moves.add(move);
            board = board.play(move);
        }
        return moves;
    }

    private static int lossesAgainstEveryOpponent(ComputerPlayer perfect, Board board, Mark computerMark) {
        if (board.status().isOver()) {
            return board.winner() == computerMark.opponent() ? 1 : 0;
        }
        if (board.next() == computerMark) {
            return lossesAgainstEveryOpponent(perfect, board.play(perfect.chooseMove(board, Level.PERFECT)),
                    computerMark);
        }
        int losses = 0;
        for (int move : board.legalMoves()) {
            losses += lossesAgainstEveryOpponent(perfect, board.play(move), computerMark);
        }
        return losses;
    }

    /** Plain minimax with no table, for the player to move: +(1 + empty cells) for a win, the same negated for a loss. */
    private static int minimax(Board board) {
        if (board.winner() != null) {
            return -(1 + board.emptyCells());
        }
        if (board.status() == GameStatus.DRAW) {
            return 0;
        }
        int best = Integer.MIN_VALUE;
        for (int move : board.legalMoves()) {
            best = Math.max(best, -minimax(board.play(move)));
        }
        return best;
    }

    private static Set<Board> reachablePositions() {
        Set<Board> seen = new HashSet<>();
        ArrayDeque<Board> queue = new ArrayDeque<>(List.of(Board.EMPTY_BOARD));
        while (!queue.isEmpty()) {
            Board board = queue.poll();
            if (seen.add(board)) {
                board.legalMoves().forEach(move -> queue.add(board.play(move)));
            }
        }
        return seen;
    }
}
