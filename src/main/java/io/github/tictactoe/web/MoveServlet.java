package io.github.tictactoe.web;

import io.github.tictactoe.game.Board;
import io.github.tictactoe.game.InvalidMoveException;
import io.github.tictactoe.game.Level;
import io.github.tictactoe.game.Mark;
import io.github.tictactoe.game.Mode;
import io.github.tictactoe.game.Referee;
import io.github.tictactoe.game.Referee.Turn;
import io.github.tictactoe.metrics.GameMetrics;
import io.github.tictactoe.web.MoveJson.MoveRequest;
import io.github.tictactoe.web.MoveJson.MoveResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

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

    private final transient Referee referee;
    private final transient GameMetrics metrics;
    private final String replica;

    public MoveServlet(Referee referee, GameMetrics metrics, String replica) {
        this.referee = referee;
        this.metrics = metrics;
        this.replica = replica;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (refusedByHttp(request, response)) {
            return;
        }
        Optional<byte[]> body = readBody(request, response);
        if (body.isEmpty()) {
            return;
        }
        try {
            Turn turn = play(MoveJson.read(body.get()));
            send(response, HttpServletResponse.SC_OK, MoveJson.write(toResponse(turn)));
        } catch (InvalidMoveException e) {
            sendError(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        }
    }

    /** Answers a request that is not a move at the HTTP level (method, media type, coding); false when it is one. */
    private static boolean refusedByHttp(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            sendError(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    "method " + request.getMethod() + " is not allowed: use POST");
            return true;
        }
        String contentType = request.getContentType();
        if (contentType == null || !JSON.equals(mediaType(contentType))) {
            sendError(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json, not " + (contentType == null ? "missing" : contentType));
            return true;
        }
        String contentEncoding = request.getHeader("Content-Encoding");
        if (contentEncoding != null && !"identity".equalsIgnoreCase(contentEncoding.strip())) {
            // RFC 9110 15.5.16: a coding the server does not decode is a 415 naming the ones it does.
            response.setHeader("Accept-Encoding", "identity");
            sendError(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Content-Encoding " + contentEncoding + " is not accepted: send the JSON uncompressed");
            return true;
        }
        return false;
    }

    /** The whole body, or empty once a body over {@link #MAX_BODY_BYTES} has been answered with a 413. */
    private static Optional<byte[]> readBody(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] body = request.getContentLengthLong() > MAX_BODY_BYTES ? null : in.readNBytes(MAX_BODY_BYTES + 1);
            if (body == null || body.length > MAX_BODY_BYTES) {
                discard(in);
                sendTooLarge(response);
                return Optional.empty();
            }
            return Optional.of(body);
        }
    }

    /** Plays the move with the request's mode and level, or their defaults, and records it. */
    private Turn play(MoveRequest move) throws InvalidMoveException {
        Mode mode = move.mode() == null ? Mode.VS_COMPUTER : Mode.fromWireName(move.mode());
        Level level = move.level() == null ? Level.PERFECT : Level.fromWireName(move.level());
        if (move.level() != null && mode == Mode.TWO_PLAYERS) {
            throw new InvalidMoveException("level applies to vs-computer mode only");
        }
        Turn turn = referee.play(Board.parse(move.board()), move.cell(), mode, level);
        metrics.record(mode, level, turn);
        return turn;
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
        send(response, status, MoveJson.writeError(message));
    }

    private static void send(HttpServletResponse response, int status, byte[] json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
