package io.github.tictactoe.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.github.tictactoe.game.InvalidMoveException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The move API's JSON, read and written with Jackson's streaming parser and generator: the request's four fields are
 * checked one by one as they arrive, so that every problem gets a message in the player's terms. Data binding would do
 * the same with several hundred more classes loaded, archived and resident in every replica (counted in
 * bench/RESULTS.md).
 */
final class MoveJson {

    private static final String FIELDS = "board, cell, mode, level";
    /** Duplicate keys are an error: {@code {"board": "...", "board": "X..."}} must not quietly take the last one. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private MoveJson() {
    }

    /** The request body; every field may be absent or null, and the servlet and the referee say what each must hold. */
    record MoveRequest(String board, Integer cell, String mode, String level) {
    }

    /** The answer: the board after this request's moves and where the game stands. */
    record MoveResponse(String board, String status, String winner, int[] line, Integer computerCell, String next,
            String replica) {
    }

    /** Reads a request, or throws an {@link InvalidMoveException} that names what is wrong with it. */
    static MoveRequest read(byte[] body) {
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidMoveException("request body must be a JSON object with " + FIELDS);
            }
            String board = null;
            Integer cell = null;
            String mode = null;
            String level = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "board" -> board = text(parser, value, "board must be a string of 9 characters X, O or .");
                    case "cell" -> cell = cell(parser, value);
                    case "mode" -> mode = text(parser, value, "mode must be a string: vs-computer or two-players");
                    case "level" -> level = text(parser, value, "level must be a string: easy, medium or perfect");
                    default -> throw new InvalidMoveException(
                            "unknown field \"" + field + "\": the fields are " + FIELDS);
                }
            }
            if (parser.nextToken() != null) {
                throw new InvalidMoveException("malformed JSON: more content follows the JSON object");
            }
            return new MoveRequest(board, cell, mode, level);
        } catch (StreamReadException e) {
            // Syntax errors, duplicate keys, numbers out of range, nesting and size limits: the parser's own sentence,
            // without its location and source excerpt.
            throw new InvalidMoveException("malformed JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    .trim());
        } catch (IOException e) {
            throw new InvalidMoveException("request body could not be read: " + e.getMessage());
        }
    }

    /** A string or null; a number, a boolean, an array or an object is refused, never turned into text. */
    private static String text(JsonParser parser, JsonToken value, String expected) throws IOException {
        return switch (value) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NULL -> null;
            default -> throw new InvalidMoveException(expected);
        };
    }

    /** An integer that fits an int, or null; {@code "4"}, {@code 4.0} and {@code true} are refused. */
    private static Integer cell(JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_NUMBER_INT -> parser.getIntValue();
            case VALUE_NULL -> null;
            default -> throw new InvalidMoveException("cell must be an integer from 0 to 8");
        };
    }

    static byte[] write(MoveResponse response) {
        return write(generator -> {
            generator.writeStringField("board", response.board());
            generator.writeStringField("status", response.status());
            generator.writeStringField("winner", response.winner());
            generator.writeFieldName("line");
            if (response.line() == null) {
                generator.writeNull();
            } else {
                generator.writeArray(response.line(), 0, response.line().length);
            }
            generator.writeFieldName("computerCell");
            if (response.computerCell() == null) {
                generator.writeNull();
            } else {
                generator.writeNumber(response.computerCell());
            }
            generator.writeStringField("next", response.next());
            generator.writeStringField("replica", response.replica());
        });
    }

    static byte[] writeError(String message) {
        return write(generator -> generator.writeStringField("error", message));
    }

    private interface Fields {
        void write(JsonGenerator generator) throws IOException;
    }

    private static byte[] write(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.writeStartObject();
            fields.write(generator);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write JSON into memory", e);
        }
        return out.toByteArray();
    }
}
