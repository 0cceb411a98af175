package io.github.tictactoe.game;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * An immutable tic-tac-toe position that the rules can reach: nine cells row by row, each {@code X}, {@code O} or
 * empty ({@code .}); whose turn it is follows from the marks, since X always starts.
 */
public final class Board {

    /** The eight lines of three, as cell indexes row by row. */
    static final int[][] LINES = {
        {0, 1, 2}, {3, 4, 5}, {6, 7, 8},
        {0, 3, 6}, {1, 4, 7}, {2, 5, 8},
        {0, 4, 8}, {2, 4, 6},
    };
    public static final int CELLS = 9;
    private static final char EMPTY = '.';

    public static final Board EMPTY_BOARD = new Board(".........".toCharArray());

    private final char[] cells;
    private final Mark winner;
    private final int[] winningLine;

    private Board(char[] cells) {
        this.cells = cells;
        int[] line = findLine(cells);
        this.winningLine = line;
        this.winner = line == null ? null : cells[line[0]] == 'X' ? Mark.X : Mark.O;
    }

    /**
     * Reads a board of nine characters, {@code X}, {@code O} or {@code .}, row by row.
     *
     * @throws InvalidMoveException when the text is not such a board or the rules cannot reach it
     */
    public static Board parse(String text) {
        if (text == null) {
            throw new InvalidMoveException("board is required: 9 characters X, O or . row by row");
        }
        if (text.length() != CELLS) {
            throw new InvalidMoveException("board must have 9 cells, not " + text.codePointCount(0, text.length()));
        }
        char[] cells = text.toCharArray();
        for (int i = 0; i < CELLS; i++) {
            if (cells[i] != 'X' && cells[i] != 'O' && cells[i] != EMPTY) {
                throw new InvalidMoveException("board cell " + i + " must be X, O or . (empty)");
            }
        }
        long xs = count(cells, 'X');
        long os = count(cells, 'O');
        if (xs != os && xs != os + 1) {
            throw new InvalidMoveException("board is unreachable: X moves first, so X has as many marks as O or one "
                    + "more (X has " + xs + ", O has " + os + ")");
        }
        boolean xWins = hasLine(cells, 'X');
        boolean oWins = hasLine(cells, 'O');
        if (xWins && oWins) {
            throw new InvalidMoveException("board is unreachable: X and O cannot both have a line");
        }
        if (xWins && xs != os + 1 || oWins && xs != os) {
            throw new InvalidMoveException("board is unreachable: a move was played after the game was won");
        }
        return new Board(cells);
    }

    /** The mark to move, or null when the game is over. */
    public Mark next() {
        if (status().isOver()) {
            return null;
        }
        return count(cells, 'X') == count(cells, 'O') ? Mark.X : Mark.O;
    }

    public GameStatus status() {
        if (winner != null) {
            return winner == Mark.X ? GameStatus.X_WINS : GameStatus.O_WINS;
        }
        return count(cells, EMPTY) == 0 ? GameStatus.DRAW : GameStatus.IN_PROGRESS;
    }

    /** The winner, or null while nobody has a line. */
    public Mark winner() {
        return winner;
    }

    /** The three cells of the winning line, or null; a copy, so the board stays immutable. */
    public int[] winningLine() {
        return winningLine == null ? null : winningLine.clone();
    }

    public boolean isEmpty(int cell) {
        return cells[cell] == EMPTY;
    }

    public Mark at(int cell) {
        return switch (cells[cell]) {
            case 'X' -> Mark.X;
            case 'O' -> Mark.O;
            default -> null;
        };
    }

    /**
     * Refuses a board whose game has ended: the one check, and message, for every move asked of a finished game.
     *
     * @throws InvalidMoveException when the game is over
     */
    public void requireInProgress() {
        if (status().isOver()) {
            throw new InvalidMoveException("the game is over (" + status().wireName() + "): no more moves");
        }
    }

    /** The empty cells, in order; none once the game is over. */
    public List<Integer> legalMoves() {
        if (status().isOver()) {
            return List.of();
        }
        return IntStream.range(0, CELLS).filter(this::isEmpty).boxed().toList();
    }

    /**
     * The board after the player to move takes {@code cell}.
     *
     * @throws InvalidMoveException when the game is over, the cell is outside 0-8 or already taken
     */
    public Board play(int cell) {
        requireInProgress();
        Mark mark = next();
        if (cell < 0 || cell >= CELLS) {
            throw new InvalidMoveException("cell must be between 0 and 8, not " + cell);
        }
        if (!isEmpty(cell)) {
            throw new InvalidMoveException("cell " + cell + " is already taken by " + cells[cell]);
        }
        char[] next = cells.clone();
        next[cell] = mark.symbol();
        return new Board(next);
    }

    int emptyCells() {
        return (int) count(cells, EMPTY);
    }

    /** A number from 0 to 3^9-1 that tells boards apart, for lookup tables. */
    int index() {
        int index = 0;
        for (char c : cells) {
            index = index * 3 + (c == EMPTY ? 0 : c == 'X' ? 1 : 2);
        }
        return index;
    }

    @Override
    public String toString() {
        return new String(cells);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Board board && Arrays.equals(cells, board.cells);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cells);
    }

    private static long count(char[] cells, char c) {
        long count = 0;
        for (char cell : cells) {
            if (cell == c) {
                count++;
            }
        }
        return count;
    }

    private static boolean hasLine(char[] cells, char mark) {
        for (int[] line : LINES) {
            if (cells[line[0]] == mark && cells[line[1]] == mark && cells[line[2]] == mark) {
                return true;
            }
        }
        return false;
    }

    /** The first complete line; a last move can complete two at once, and either one shows the win. */
    private static int[] findLine(char[] cells) {
        for (int[] line : LINES) {
            char first = cells[line[0]];
            if (first != EMPTY && first == cells[line[1]] && first == cells[line[2]]) {
                return line.clone();
            }
        }
        return null;
    }
}
