package io.github.tictactoe.game;

/** A player's mark; X always moves first. */
public enum Mark {
    X, O;

    public Mark opponent() {
        return this == X ? O : X;
    }

    public char symbol() {
        return this == X ? 'X' : 'O';
    }
}
