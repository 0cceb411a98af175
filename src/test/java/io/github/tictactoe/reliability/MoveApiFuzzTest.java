package io.github.tictactoe.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.game.Board;
import io.github.tictactoe.game.InvalidMoveException;
import io.github.tictactoe.testing.TestServer;
import io.github.tictactoe.web.MoveServlet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * Thousands of generated malformed requests to the move API, against the real server: each gets a 4xx with a JSON
 * error (413, 415, 405 where they apply), none a 5xx or a dropped connection. The seed is fixed; jqwik prints it and
 * the smallest failing request when a property fails.
 */
class MoveApiFuzzTest {

    private static final JsonMapper JSON = new JsonMapper();
    private static final String SEED = "20261124";
    private static final AtomicInteger SENT = new AtomicInteger();
    private static TestServer server;

    /** One generated request and the statuses that are right for it. */
    record BadRequest(String description, String method, String contentType, byte[] body, Set<Integer> expected) {
        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return method + " " + contentType + " (" + description + ") "
                    + (text.length() > 200 ? text.substring(0, 200) + "... (" + body.length + " bytes)" : text);
        }
    }

    @BeforeContainer
    static void startServer() throws Exception {
        server = new TestServer();
        server.beforeEach(null);
    }

    @AfterContainer
    static void stopServerAfterCheckingItsHealth() throws Exception {
        try {
            assertThat(server.send(new HttpGet(server.uri("/healthz"))).status()).isEqualTo(200);
            assertThat(post("application/json", "{\"board\": \".........\", \"cell\": 4}".getBytes()).status())
                    .as("a valid move still works after %d malformed ones", SENT.get()).isEqualTo(200);
            assertThat(server.metrics().counter("http_server_requests_total", "method", "POST", "route", "/api/move",
                    "status", "500")).isZero();
            System.out.printf("move API fuzz: %d malformed requests, all answered 4xx with a JSON error%n", SENT.get());
        } finally {
            server.afterEach(null);
        }
    }

    @Property(tries = 5000, seed = SEED)
    void everyMalformedRequestGetsA4xxWithAJsonError(@ForAll("badRequests") BadRequest bad) throws Exception {
        Reply reply = send(bad);
        SENT.incrementAndGet();

        assertThat(reply.status()).as("%s -> %s", bad, reply.body()).isIn(bad.expected());
        if (!bad.method().equals("HEAD")) {
            assertThat(reply.header("Content-Type")).as("%s", bad).startsWith("application/json");
            JsonNode error = JSON.readTree(reply.bytes()).get("error");
            assertThat(error).as("%s -> %s", bad, reply.body()).isNotNull();
            assertThat(error.asText()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<BadRequest> badRequests() {
        return Arbitraries.oneOf(List.of(
                randomBytes(), truncatedJson(), deeplyNested(), hugeNumbers(), hugeStrings(), wrongTypes(),
                unicodeAndControlCharacters(), duplicateKeys(), invalidBoards(), illegalMoves(), oversizeBodies(),
                wrongContentTypes(), wrongMethods()));
    }

    private static Arbitrary<BadRequest> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(600)
                .filter(bytes -> !looksLikeAnObject(bytes))
                .map(bytes -> json("random bytes", bytes));
    }

    private static Arbitrary<BadRequest> truncatedJson() {
        String valid = "{\"board\": \"X...O....\", \"cell\": 8, \"mode\": \"vs-computer\", \"level\": \"perfect\"}";
        return Arbitraries.integers().between(0, valid.length() - 1)
                .map(cut -> json("truncated", valid.substring(0, cut)));
    }

    private static Arbitrary<BadRequest> deeplyNested() {
        return Combinators.combine(Arbitraries.integers().between(1, 3000), Arbitraries.of("[", "{\"a\":", "{\"board\":"))
                .as((depth, opener) -> json("nested " + depth, opener.repeat(depth)));
    }

    private static Arbitrary<BadRequest> hugeNumbers() {
        return Arbitraries.of("1e400", "-1e400", "99999999999999999999999", "-2147483649", "2147483648", "1.5",
                        "1e-400", "0x10", "NaN", "Infinity", "-0.0", "00", "4e0", "9".repeat(3000))
                .map(number -> json("number " + number.length(), "{\"board\": \".........\", \"cell\": " + number + "}"));
    }

    private static Arbitrary<BadRequest> hugeStrings() {
        return Arbitraries.integers().between(10, 3900)
                .map(length -> json("long board", "{\"board\": \"" + ".".repeat(length) + "\", \"cell\": 0}"));
    }

    private static Arbitrary<BadRequest> wrongTypes() {
        return Combinators.combine(Arbitraries.of("board", "cell", "mode", "level"),
                        Arbitraries.of("[]", "{}", "true", "false", "\"4\"", "[\".........\"]", "{\"x\": 1}", "3.0",
                                "123"))
                .as((field, value) -> {
                    String board = field.equals("board") ? value : "\".........\"";
                    String cell = field.equals("cell") ? value : "4";
                    String rest = field.equals("mode") || field.equals("level") ? ", \"" + field + "\": " + value : "";
                    return json("wrong type for " + field, "{\"board\": " + board + ", \"cell\": " + cell + rest + "}");
                })
                .filter(bad -> !new String(bad.body()).equals("{\"board\": \".........\", \"cell\": 4}"));
    }

    private static Arbitrary<BadRequest> unicodeAndControlCharacters() {
        return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40)
                .filter(text -> !text.matches("[XO.]{9}"))
                .map(text -> json("unicode board", "{\"board\": " + quote(text) + ", \"cell\": 0}"));
    }

    private static Arbitrary<BadRequest> duplicateKeys() {
        return Arbitraries.of("board", "cell", "mode", "level").map(field ->
                json("duplicate " + field, "{\"board\": \".........\", \"cell\": 4, \"mode\": \"vs-computer\", "
                        + "\"level\": \"easy\", \"" + field + "\": " + (field.equals("cell") ? "5" : "\"x\"") + "}"));
    }

    /** Nine cells of X, O and . that the rules cannot reach. */
    private static Arbitrary<BadRequest> invalidBoards() {
        return Arbitraries.strings().withChars("XO.").ofLength(9)
                .filter(MoveApiFuzzTest::unreachable)
                .map(board -> json("unreachable board", "{\"board\": \"" + board + "\", \"cell\": 0}"));
    }

    /** Reachable boards with a move that breaks a rule: taken or out-of-range cell, game over, no cell for two players. */
    private static Arbitrary<BadRequest> illegalMoves() {
        return Combinators.combine(Arbitraries.strings().withChars("XO.").ofLength(9).filter(b -> !unreachable(b)),
                        Arbitraries.integers().between(-20, 30), Arbitraries.of("vs-computer", "two-players"))
                .as((board, cell, mode) -> {
                    boolean legal = cell >= 0 && cell <= 8 && board.charAt(cell) == '.'
                            && Board.parse(board).next() != null;
                    int move = legal ? -1 : cell;
                    return json("illegal move", "{\"board\": \"" + board + "\", \"cell\": " + move + ", \"mode\": \""
                            + mode + "\"}");
                });
    }

    private static Arbitrary<BadRequest> oversizeBodies() {
        return Arbitraries.integers().between(MoveServlet.MAX_BODY_BYTES + 1, 64 * 1024).map(size -> {
            byte[] body = ("{\"board\": \"" + " ".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8);
            return new BadRequest("oversize", "POST", "application/json", body, Set.of(413));
        });
    }

    private static Arbitrary<BadRequest> wrongContentTypes() {
        return Arbitraries.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "application/json-patch+json", "text/json", "")
                .map(type -> new BadRequest("content type", "POST", type,
                        "{\"board\": \".........\", \"cell\": 4}".getBytes(StandardCharsets.UTF_8), Set.of(415)));
    }

    private static Arbitrary<BadRequest> wrongMethods() {
        return Arbitraries.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")
                .map(method -> new BadRequest("method", method, "application/json",
                        "{\"board\": \".........\", \"cell\": 4}".getBytes(StandardCharsets.UTF_8), Set.of(405)));
    }

    private static BadRequest json(String description, String body) {
        return json(description, body.getBytes(StandardCharsets.UTF_8));
    }

    private static BadRequest json(String description, byte[] body) {
        Set<Integer> expected = body.length > MoveServlet.MAX_BODY_BYTES ? Set.of(413) : Set.of(400);
        return new BadRequest(description, "POST", "application/json", body, expected);
    }

    private static boolean unreachable(String board) {
        try {
            Board.parse(board);
            return false;
        } catch (InvalidMoveException e) {
            return true;
        }
    }

    /** Random bytes that happen to be a valid request are vanishingly rare; this keeps them out all the same. */
    private static boolean looksLikeAnObject(byte[] bytes) {
        try {
            return JSON.readTree(bytes) != null && JSON.readTree(bytes).isObject();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Reply send(BadRequest bad) throws Exception {
        HttpUriRequestBase request = new HttpUriRequestBase(bad.method(), server.uri("/api/move"));
        if (!bad.method().equals("GET") && !bad.method().equals("HEAD") && !bad.method().equals("OPTIONS")) {
            request.setEntity(new ByteArrayEntity(bad.body(),
                    bad.contentType().isEmpty() ? null : ContentType.parse(bad.contentType())));
        }
        return server.send(request);
    }

    private static Reply post(String type, byte[] body) throws Exception {
        HttpPost post = new HttpPost(server.uri("/api/move"));
        post.setEntity(new ByteArrayEntity(body, ContentType.parse(type)));
        return server.send(post);
    }
}
