package io.github.tictactoe.game;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BoardTest {

    @Test
    void emptyBoardHasXToMoveAndNineMoves() {
        Board board = Board.parse(".........");

        assertThat(board.next()).isEqualTo(Mark.X);
        assertThat(board.status()).isEqualTo(GameStatus.IN_PROGRESS);
        assertThat(board.legalMoves()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(board.winner()).isNull();
        assertThat(board.winningLine()).isNull();
    }

    @Test
    void playPutsTheMarkOfThePlayerToMoveAndAlternates() {
        Board board = Board.EMPTY_BOARD.play(4).play(0);

        assertThat(board).hasToString("O...X....");
        assertThat(board.next()).isEqualTo(Mark.X);
        assertThat(board.legalMoves()).containsExactly(1, 2, 3, 5, 6, 7, 8);
    }

    @Test
    void printsWhatItParsed() {
        assertThat(Board.parse("XO.XO.X..")).hasToString("XO.XO.X..");
    }

    @ParameterizedTest
    @CsvSource({
        "XXXOO....,  x-wins, 0 1 2",
        "XO.XO.X..,  x-wins, 0 3 6",
        "XOXOXO..X,  x-wins, 0 4 8",
        "XXOXO.O..,  o-wins, 2 4 6",
        "XX.OOOX..,  o-wins, 3 4 5",
    })
    void findsTheWinnerAndTheWinningLine(String text, String status, String line) {
        Board board = Board.parse(text);

        assertThat(board.status().wireName()).isEqualTo(status);
        assertThat(board.winner()).isEqualTo(status.startsWith("x") ? Mark.X : Mark.O);
        assertThat(board.winningLine()).containsExactly(
                java.util.Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray());
        assertThat(board.next()).isNull();
        assertThat(board.legalMoves()).isEmpty();
    }

    @Test
    void aFullBoardWithoutALineIsADraw() {
        Board board = Board.parse("XOXXOOOXX");

        assertThat(board.status()).isEqualTo(GameStatus.DRAW);
        assertThat(board.next()).isNull();
        assertThat(board.winner()).isNull();
    }

    @Test
    void aLastMoveMayCompleteTwoLines() {
        Board board = Board.parse("XOOXOO.XX").play(6);

        assertThat(board.status()).isEqualTo(GameStatus.X_WINS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''            | board must have 9 cells, not 0",
        "........      | board must have 9 cells, not 8",
        "..........    | board must have 9 cells, not 10",
        "x........     | board cell 0 must be X, O or . (empty)",
        "....0....     | board cell 4 must be X, O or . (empty)",
        "........é     | board cell 8 must be X, O or . (empty)",
        "O........     | board is unreachable: X moves first, so X has as many marks as O or one more (X has 0, O has 1)",
        "XX.......     | board is unreachable: X moves first, so X has as many marks as O or one more (X has 2, O has 0)",
        "XXXOOO...     | board is unreachable: X and O cannot both have a line",
        "XXXOO.O..     | board is unreachable: a move was played after the game was won",
        "OOOXX.XX.     | board is unreachable: a move was played after the game was won",
    })
    void rejectsABoardTheRulesCannotReach(String text, String message) {
        assertThatThrownBy(() -> Board.parse(text)).isInstanceOf(InvalidMoveException.class).hasMessage(message);
    }

    @Test
    void rejectsAMissingBoard() {
        assertThatThrownBy(() -> Board.parse(null)).hasMessageStartingWith("board is required");
    }

    @Test
    void rejectsAMoveOnATakenCell() {
        assertThatThrownBy(() -> Board.parse("X........").play(0))
                .isInstanceOf(InvalidMoveException.class).hasMessage("cell 0 is already taken by X");
    }

    @ParameterizedTest
    @CsvSource({"-1", "9", "100"})
    void rejectsAMoveOutsideTheBoard(int cell) {
        assertThatThrownBy(() -> Board.EMPTY_BOARD.play(cell))
                .isInstanceOf(InvalidMoveException.class).hasMessage("cell must be between 0 and 8, not " + cell);
    }

    @Test
    void rejectsAMoveAfterTheGameEnded() {
        assertThatThrownBy(() -> Board.parse("XXXOO....").play(8))
                .isInstanceOf(InvalidMoveException.class).hasMessage("the game is over (x-wins): no more moves");
    }

    @Test
    void leavesTheBoardItPlayedOnUnchanged() {
        Board before = Board.parse("X........");
        before.play(4);

        assertThat(before).hasToString("X........");
    }
}
