package io.github.tictactoe.game;

/** Who plays: a person against the computer, or two people taking turns on one device. */
public enum Mode implements WireNamed {
    VS_COMPUTER("vs-computer"),
    TWO_PLAYERS("two-players");

    private final String wireName;

    Mode(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** @throws InvalidMoveException naming the accepted values */
    public static Mode fromWireName(String name) {
        return WireNamed.parse(Mode.class, "mode", name);
    }
}
