package io.github.tictactoe.game;

/** Where a game stands, with the name the move API uses for it. */
public enum GameStatus implements WireNamed {
    IN_PROGRESS("in-progress"),
    X_WINS("x-wins"),
    O_WINS("o-wins"),
    DRAW("draw");

    private final String wireName;

    GameStatus(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public boolean isOver() {
        return this != IN_PROGRESS;
    }
}
