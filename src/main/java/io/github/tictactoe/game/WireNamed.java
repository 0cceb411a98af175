package io.github.tictactoe.game;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A value with the name the move API uses for it, and the lookup that turns such a name back into the value. */
interface WireNamed {

    String wireName();

    /**
     * @param field the request field the name came from, for the error message
     * @throws InvalidMoveException naming the accepted values
     */
    static <E extends Enum<E> & WireNamed> E parse(Class<E> type, String field, String name) {
        E[] values = type.getEnumConstants();
        return Arrays.stream(values).filter(value -> value.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidMoveException(field + " must be one of "
                        + Arrays.stream(values).map(WireNamed::wireName).collect(Collectors.joining(", "))
                        + ", not \"" + name + "\""));
    }
}
