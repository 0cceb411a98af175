package io.github.tictactoe.game;

/** A board or a move that the rules do not allow; the message says which rule, for the player to read. */
public final class InvalidMoveException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidMoveException(String message) {
        super(message);
    }
}
