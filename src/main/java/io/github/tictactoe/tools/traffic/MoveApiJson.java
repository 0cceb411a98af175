package io.github.tictactoe.tools.traffic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The move API's JSON as a player sends and reads it, on Jackson's streaming API like the service's own: data binding
 * would put a library into the jar that the service itself never loads.
 */
final class MoveApiJson {

    private static final JsonFactory JSON = new JsonFactory();

    private MoveApiJson() {
    }

    /** A move request; {@code level} and {@code cell} are left out when null (two players; the computer opens). */
    static String request(String board, String mode, String level, Integer cell) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("board", board);
            json.writeStringField("mode", mode);
            if (level != null) {
                json.writeStringField("level", level);
            }
            if (cell != null) {
                json.writeNumberField("cell", cell);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to a string", e);
        }
        return out.toString();
    }

    /** The board and status of a played move's answer; the other fields are skipped. */
    static Answer answer(String body) throws IOException {
        String board = null;
        String status = null;
        try (JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the answer is not a JSON object: " + body);
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "board" -> board = json.getValueAsString();
                    case "status" -> status = json.getValueAsString();
                    default -> json.skipChildren();
                }
            }
        }
        if (board == null || status == null) {
            throw new IOException("the answer lacks its board or status: " + body);
        }
        return new Answer(board, status);
    }

    /** What a player reads from an answer. */
    record Answer(String board, String status) {
    }
}
