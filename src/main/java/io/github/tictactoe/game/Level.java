package io.github.tictactoe.game;

/** How well the computer plays. */
public enum Level implements WireNamed {
    /** A random legal move. */
    EASY("easy"),
    /** Wins when it can, blocks when it must, otherwise a random move. */
    MEDIUM("medium"),
    /** Never loses, and wins as fast as it can. */
    PERFECT("perfect");

    private final String wireName;

    Level(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** @throws InvalidMoveException naming the accepted values */
    public static Level fromWireName(String name) {
        return WireNamed.parse(Level.class, "level", name);
    }
}
