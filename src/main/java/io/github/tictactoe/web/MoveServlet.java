package io.github.tictactoe.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.github.tictactoe.game.Board;
import io.github.tictactoe.game.InvalidMoveException;
import io.github.tictactoe.game.Level;
import io.github.tictactoe.game.Mark;
import io.github.tictactoe.game.Mode;
import io.github.tictactoe.game.Referee;
import io.github.tictactoe.game.Referee.Turn;
import io.github.tictactoe.metrics.GameMetrics;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code POST /api/move}: takes a whole board and a move as JSON, answers the board after the move (and the
 * computer's reply) as JSON. Stateless, so any replica can answer any request; bad input gets a 4xx naming the problem.
 */
public final class MoveServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** A valid request is under 100 bytes; 4 KiB leaves room for whitespace and nothing else. */
    public static final int MAX_BODY_BYTES = 4096;
    /** How much of a too-large body is read and dropped so that the client can read its 413. */
    static final int MAX_DISCARDED_BYTES = 1024 * 1024;
    private static final String JSON = "application/json";
    private static final String FIELDS = "board, cell, mode, level";

    private static final JsonMapper MAPPER = strictMapper();
    private static final ObjectReader READER = MAPPER.readerFor(MoveRequest.class);
    private static final ObjectWriter WRITER = MAPPER.writer();

    private final transient Referee referee;
    private final transient GameMetrics metrics;
    private final String replica;

    public MoveServlet(Referee referee, GameMetrics metrics, String replica) {
        this.referee = referee;
        this.metrics = metrics;
        this.replica = replica;
    }

    /** The request body; every field may be absent, and the checks below say what each must hold. */
    record MoveRequest(String board, Integer cell, String mode, String level) {
    }

    /** The answer: the board after this request's moves and where the game stands. */
    record MoveResponse(String board, String status, String winner, int[] line, Integer computerCell, String next,
            String replica) {
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            sendError(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    "method " + request.getMethod() + " is not allowed: use POST");
            return;
        }
        String contentType = request.getContentType();
        if (contentType == null || !JSON.equals(mediaType(contentType))) {
            sendError(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json, not " + (contentType == null ? "missing" : contentType));
            return;
        }
        String contentEncoding = request.getHeader("Content-Encoding");
        if (contentEncoding != null && !"identity".equalsIgnoreCase(contentEncoding.strip())) {
            // RFC 9110 15.5.16: a coding the server does not decode is a 415 naming the ones it does.
            response.setHeader("Accept-Encoding", "identity");
            sendError(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Content-Encoding " + contentEncoding + " is not accepted: send the JSON uncompressed");
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = request.getContentLengthLong() > MAX_BODY_BYTES ? null : in.readNBytes(MAX_BODY_BYTES + 1);
            if (body == null || body.length > MAX_BODY_BYTES) {
                discard(in);
                sendTooLarge(response);
                return;
            }
        }
        try {
            MoveRequest move = parse(body);
            Mode mode = move.mode() == null ? Mode.VS_COMPUTER : Mode.fromWireName(move.mode());
            Level level = move.level() == null ? Level.PERFECT : Level.fromWireName(move.level());
            if (move.level() != null && mode == Mode.TWO_PLAYERS) {
                throw new InvalidMoveException("level applies to vs-computer mode only");
            }
            Turn turn = referee.play(Board.parse(move.board()), move.cell(), mode, level);
            metrics.record(mode, level, turn);
            send(response, HttpServletResponse.SC_OK, toResponse(turn));
        } catch (InvalidMoveException e) {
            sendError(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        }
    }

    private static MoveRequest parse(byte[] body) {
        try {
            MoveRequest move = READER.readValue(body);
            if (move == null) {
                throw new InvalidMoveException("request body must be a JSON object with " + FIELDS);
            }
            return move;
        } catch (JsonProcessingException e) {
            throw new InvalidMoveException(describe(e));
        } catch (IOException e) {
            throw new InvalidMoveException("request body could not be read: " + e.getMessage());
        }
    }

    /** A message that names the problem in the player's terms, without Jackson's class names or source excerpts. */
    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field \"" + unknown.getPropertyName() + "\": the fields are " + FIELDS;
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = mismatch.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(name -> name != null).collect(Collectors.joining("."));
            if (field.isEmpty() && mismatch.getOriginalMessage().startsWith("Trailing token")) {
                return "malformed JSON: more content follows the JSON object";
            }
            if (field.isEmpty()) {
                return "request body must be a JSON object with " + FIELDS;
            }
            return switch (field) {
                case "board" -> "board must be a string of 9 characters X, O or .";
                case "cell" -> "cell must be an integer from 0 to 8";
                case "mode" -> "mode must be a string: vs-computer or two-players";
                case "level" -> "level must be a string: easy, medium or perfect";
                default -> "field \"" + field + "\" has the wrong type";
            };
        }
        // Syntax errors, duplicate keys, nesting and size limits: the parser's own sentence, without its location.
        return "malformed JSON: " + e.getOriginalMessage().lines().findFirst().orElse("").trim();
    }

    private MoveResponse toResponse(Turn turn) {
        Board board = turn.board();
        Mark winner = board.winner();
        Mark next = board.next();
        return new MoveResponse(board.toString(), board.status().wireName(),
                winner == null ? null : winner.name(), board.winningLine(), turn.computerCell(),
                next == null ? null : next.name(), replica);
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads and drops what is left of a body that is too large, up to {@link #MAX_DISCARDED_BYTES}: a client still
     * sending when the server closes the connection gets a broken pipe instead of the 413. A larger body is cut off.
     */
    private static void discard(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        long discarded = 0;
        for (int read; discarded <= MAX_DISCARDED_BYTES && (read = in.read(buffer)) >= 0; ) {
            discarded += read;
        }
    }

    private static void sendTooLarge(HttpServletResponse response) throws IOException {
        sendError(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                "request body is larger than " + MAX_BODY_BYTES + " bytes");
    }

    private static void sendError(HttpServletResponse response, int status, String message) throws IOException {
        send(response, status, Map.of("error", message));
    }

    private static void send(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] json = WRITER.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    private static JsonMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // "board": 123 must not quietly become "123", nor "cell": "4" become 4.
        for (CoercionInputShape shape : new CoercionInputShape[] {
            CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }
}
