package io.github.tictactoe.game;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Who plays: a person against the computer, or two people taking turns on one device. */
public enum Mode {
    VS_COMPUTER("vs-computer"),
    TWO_PLAYERS("two-players");

    private final String wireName;

    Mode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws InvalidMoveException naming the accepted values */
    public static Mode fromWireName(String name) {
        return Arrays.stream(values()).filter(mode -> mode.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new InvalidMoveException("mode must be one of "
                        + Arrays.stream(values()).map(Mode::wireName).collect(Collectors.joining(", "))
                        + ", not \"" + name + "\""));
    }
}
