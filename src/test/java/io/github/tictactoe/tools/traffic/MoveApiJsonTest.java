package io.github.tictactoe.tools.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tictactoe.tools.traffic.MoveApiJson.Answer;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The traffic generator's JSON: requests the API accepts, and the two fields it reads from any answer. */
class MoveApiJsonTest {

    private static final ObjectMapper TREE = new ObjectMapper();

    @Test
    void writesTheFieldsItIsGivenAndLeavesOutTheNullOnes() throws IOException {
        assertThat(TREE.readValue(MoveApiJson.request(".........", "vs-computer", "easy", 4), Map.class))
                .isEqualTo(Map.of("board", ".........", "mode", "vs-computer", "level", "easy", "cell", 4));
        assertThat(TREE.readValue(MoveApiJson.request("X........", "two-players", null, null), Map.class))
                .isEqualTo(Map.of("board", "X........", "mode", "two-players"));
    }

    @Test
    void readsBoardAndStatusPastNestedFields() throws IOException {
        Answer answer = MoveApiJson.answer("{\"board\":\"XXX.OO...\",\"status\":\"x-wins\",\"winner\":\"X\","
                + "\"winningLine\":[0,1,2],\"computerCell\":null,\"next\":null,\"replica\":\"r1\"}");

        assertThat(answer).isEqualTo(new Answer("XXX.OO...", "x-wins"));
    }

    @Test
    void anAnswerWithoutItsBoardOrNotAnObjectIsAnError() {
        assertThatThrownBy(() -> MoveApiJson.answer("{\"status\":\"in-progress\"}"))
                .isInstanceOf(IOException.class).hasMessageContaining("lacks its board or status");
        assertThatThrownBy(() -> MoveApiJson.answer("[1, 2]"))
                .isInstanceOf(IOException.class).hasMessageContaining("not a JSON object");
    }
}
