package io.github.tictactoe.game;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How well the computer plays. */
public enum Level {
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

    public String wireName() {
        return wireName;
    }

    /** @throws InvalidMoveException naming the accepted values */
    public static Level fromWireName(String name) {
        return Arrays.stream(values()).filter(level -> level.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new InvalidMoveException("level must be one of " + names() + ", not \"" + name + "\""));
    }

    static String names() {
        return Arrays.stream(values()).map(Level::wireName).collect(Collectors.joining(", "));
    }
}
