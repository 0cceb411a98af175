package io.github.tictactoe.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.tictactoe.testing.MetricValues;
import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.testing.TestServer;
import java.io.IOException;
import java.util.List;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoveApiTest {

    private static final JsonMapper JSON = new JsonMapper();

    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void answersAMoveWithTheWholeContract() throws Exception {
        JsonNode answer = move("{\"board\": \".........\", \"cell\": 4, \"mode\": \"two-players\"}");

        assertThat(answer.get("board").asText()).isEqualTo("....X....");
        assertThat(answer.get("status").asText()).isEqualTo("in-progress");
        assertThat(answer.get("winner").isNull()).isTrue();
        assertThat(answer.get("line").isNull()).isTrue();
        assertThat(answer.get("computerCell").isNull()).isTrue();
        assertThat(answer.get("next").asText()).isEqualTo("O");
        assertThat(answer.get("replica").asText()).isEqualTo(TestServer.REPLICA);
    }

    @Test
    void twoPlayersPlayToAWinForX() throws Exception {
        JsonNode answer = playTwoPlayers(0, 3, 1, 4, 2);

        assertThat(answer.get("board").asText()).isEqualTo("XXXOO....");
        assertThat(answer.get("status").asText()).isEqualTo("x-wins");
        assertThat(answer.get("winner").asText()).isEqualTo("X");
        assertThat(JSON.convertValue(answer.get("line"), int[].class)).containsExactly(0, 1, 2);
        assertThat(answer.get("next").isNull()).isTrue();
        assertThat(games("two-players", "none", "x-wins")).isEqualTo(1);
        assertThat(moves("human")).isEqualTo(5);
        assertThat(moves("computer")).isZero();
    }

    @Test
    void twoPlayersPlayToAWinForO() throws Exception {
        JsonNode answer = playTwoPlayers(0, 3, 1, 4, 8, 5);

        assertThat(answer.get("status").asText()).isEqualTo("o-wins");
        assertThat(answer.get("winner").asText()).isEqualTo("O");
        assertThat(JSON.convertValue(answer.get("line"), int[].class)).containsExactly(3, 4, 5);
        assertThat(games("two-players", "none", "o-wins")).isEqualTo(1);
    }

    @Test
    void twoPlayersPlayToADraw() throws Exception {
        JsonNode answer = playTwoPlayers(0, 1, 2, 4, 3, 5, 7, 6, 8);

        assertThat(answer.get("board").asText()).isEqualTo("XOXXOOOXX");
        assertThat(answer.get("status").asText()).isEqualTo("draw");
        assertThat(answer.get("winner").isNull()).isTrue();
        assertThat(answer.get("next").isNull()).isTrue();
        assertThat(games("two-players", "none", "draw")).isEqualTo(1);
        assertThat(moves("human")).isEqualTo(9);
    }

    @Test
    void perfectComputerNeverLetsANaivePlayerWinAndEveryMoveIsCounted() throws Exception {
        String board = ".........";
        JsonNode answer = null;
        int humanMoves = 0;
        int computerMoves = 0;
        while (answer == null || answer.get("status").asText().equals("in-progress")) {
            int cell = board.indexOf('.');
            answer = move("{\"board\": \"" + board + "\", \"cell\": " + cell + ", \"level\": \"perfect\"}");
            humanMoves++;
            computerMoves += answer.get("computerCell").isNull() ? 0 : 1;
            board = answer.get("board").asText();
        }

        String status = answer.get("status").asText();
        assertThat(status).as("a perfect O against X").isIn("o-wins", "draw");
        String outcome = status.equals("draw") ? "draw" : "computer-wins";
        assertThat(games("vs-computer", "perfect", outcome)).isEqualTo(1);
        assertThat(games("vs-computer", "perfect", "human-wins")).isZero();
        assertThat(moves("human")).isEqualTo(humanMoves);
        assertThat(moves("computer")).isEqualTo(computerMoves);
        assertThat(server.metrics()
                .histogramCount("tictactoe_computer_think_seconds", "level", "perfect")).isEqualTo(computerMoves);
    }

    @Test
    void computerOpensWhenNoCellIsGiven() throws Exception {
        JsonNode answer = move("{\"board\": \".........\", \"level\": \"easy\"}");

        int cell = answer.get("computerCell").asInt();
        assertThat(cell).isBetween(0, 8);
        assertThat(answer.get("board").asText().charAt(cell)).isEqualTo('X');
        assertThat(answer.get("next").asText()).isEqualTo("O");
        assertThat(moves("human")).isZero();
        assertThat(moves("computer")).isEqualTo(1);
    }

    @Test
    void aHumanWinAgainstTheComputerIsCountedAsSuch() throws Exception {
        // X to move with 0-1 taken: the human completes the top row, the computer never gets to answer.
        JsonNode answer = move("{\"board\": \"XX.OO....\", \"cell\": 2, \"level\": \"easy\"}");

        assertThat(answer.get("status").asText()).isEqualTo("x-wins");
        assertThat(answer.get("computerCell").isNull()).isTrue();
        assertThat(games("vs-computer", "easy", "human-wins")).isEqualTo(1);
    }

    @Test
    void gameSeriesExistAtZeroBeforeAnyGame() throws Exception {
        MetricValues metrics = server.metrics();

        assertThat(metrics.labelSets("tictactoe_games_total")).isEqualTo(12);
        assertThat(metrics.counter("tictactoe_games_total", "mode", "vs-computer", "level", "medium",
                "outcome", "computer-wins")).isZero();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"board\": \"........\", \"cell\": 0}                     | board must have 9 cells, not 8",
        "{\"board\": \"..........\", \"cell\": 0}                   | board must have 9 cells, not 10",
        "{\"board\": \"abc......\", \"cell\": 0}                    | board cell 0 must be X, O or . (empty)",
        "{\"board\": \"OO.......\", \"cell\": 0}                    | board is unreachable",
        "{\"board\": \"XXXOOO...\", \"cell\": 8}                    | board is unreachable",
        "{\"board\": \"XXXOO....\", \"cell\": 8}                    | the game is over (x-wins)",
        "{\"board\": \"XXXOO....\"}                                 | the game is over (x-wins)",
        "{\"board\": \"X........\", \"cell\": 0}                    | cell 0 is already taken by X",
        "{\"board\": \".........\", \"cell\": 9}                    | cell must be between 0 and 8, not 9",
        "{\"board\": \".........\", \"cell\": -1}                   | cell must be between 0 and 8, not -1",
        "{\"board\": \".........\", \"cell\": \"4\"}                | cell must be an integer from 0 to 8",
        "{\"board\": \".........\", \"cell\": 4.5}                  | cell must be an integer from 0 to 8",
        "{\"board\": \".........\", \"cell\": true}                 | cell must be an integer from 0 to 8",
        "{\"board\": \".........\", \"cell\": 1e99}                 | cell must be an integer from 0 to 8",
        "{\"board\": \".........\", \"cell\": 99999999999}          | out of range",
        "{\"board\": 123, \"cell\": 0}                              | board must be a string",
        "{\"board\": [\".\"], \"cell\": 0}                          | board must be a string",
        "{\"cell\": 0}                                              | board is required",
        "{\"board\": \".........\", \"cell\": 0, \"mode\": \"solo\"}  | mode must be one of vs-computer, two-players, not \"solo\"",
        "{\"board\": \".........\", \"cell\": 0, \"level\": \"god\"}  | level must be one of easy, medium, perfect, not \"god\"",
        "{\"board\": \".........\", \"mode\": \"two-players\"}       | cell is required in two-players mode",
        "{\"board\": \".........\", \"cell\": 0, \"mode\": \"two-players\", \"level\": \"easy\"} | level applies to vs-computer mode only",
        "{\"board\": \".........\", \"cell\": 0, \"extra\": 1}       | unknown field \"extra\"",
        "{\"board\": \".........\", \"board\": \"X........\"}       | Duplicate field 'board'",
        "{\"board\": \".........\"                                  | malformed JSON",
        "{\"board\": \".........\"} {}                              | malformed JSON",
        "[]                                                          | request body must be a JSON object",
        "\"board\"                                                   | request body must be a JSON object",
        "null                                                        | request body must be a JSON object",
        "''                                                          | request body must be a JSON object",
    })
    void rejectsBadInputWith400NamingTheProblem(String body, String message) throws Exception {
        Reply reply = post(body, ContentType.APPLICATION_JSON);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(reply.bytes()).get("error").asText()).contains(message);
    }

    @Test
    void rejectsABodyOverTheLimitWith413() throws Exception {
        String body = "{\"board\": \"" + ".".repeat(MoveServlet.MAX_BODY_BYTES) + "\"}";

        Reply reply = post(body, ContentType.APPLICATION_JSON);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(JSON.readTree(reply.bytes()).get("error").asText()).contains("larger than 4096 bytes");
    }

    /** Regression: the server answered 413 before reading a 900 KiB body and closed; the client got a broken pipe. */
    @Test
    void aClientSendingAMuchLargerBodyStillReadsThe413() throws Exception {
        String body = "{\"board\": \"" + " ".repeat(900 * 1024) + "\"}";

        Reply reply = post(body, ContentType.APPLICATION_JSON);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(server.send(new HttpGet(server.uri("/healthz"))).status()).isEqualTo(200);
    }

    @Test
    void rejectsAChunkedBodyOverTheLimitWith413() throws Exception {
        HttpPost request = new HttpPost(server.uri("/api/move"));
        byte[] body = ("{\"board\": \"" + " ".repeat(5000) + "\"}").getBytes();
        request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON, true));

        assertThat(server.send(request).status()).isEqualTo(413);
    }

    @ParameterizedTest
    @CsvSource({"text/plain", "application/x-www-form-urlencoded", "application/jsonx"})
    void rejectsOtherContentTypesWith415(String type) throws Exception {
        Reply reply = post("{\"board\": \".........\", \"cell\": 0}", ContentType.create(type));

        assertThat(reply.status()).isEqualTo(415);
        assertThat(JSON.readTree(reply.bytes()).get("error").asText()).contains("application/json");
    }

    @Test
    void rejectsACompressedBodyWith415NamingTheEncodingAndChangesNoGameMetric() throws Exception {
        HttpPost request = new HttpPost(server.uri("/api/move"));
        request.setEntity(new StringEntity("{\"board\": \".........\", \"cell\": 0}", ContentType.APPLICATION_JSON));
        request.setHeader("Content-Encoding", "gzip");

        Reply reply = server.send(request);

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.header("Accept-Encoding")).isEqualTo("identity");
        assertThat(JSON.readTree(reply.bytes()).get("error").asText()).contains("Content-Encoding gzip");
        assertThat(moves("human")).isZero();
    }

    @Test
    void acceptsJsonWithACharsetParameter() throws Exception {
        Reply reply = post("{\"board\": \".........\", \"cell\": 0}", ContentType.parse("application/json; charset=UTF-8"));

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void rejectsOtherMethodsWith405() throws Exception {
        Reply get = server.send(new HttpGet(server.uri("/api/move")));
        Reply put = server.send(new HttpPut(server.uri("/api/move")));

        assertThat(List.of(get.status(), put.status())).containsOnly(405);
        assertThat(get.header("Allow")).isEqualTo("POST");
        assertThat(JSON.readTree(get.bytes()).get("error").asText()).contains("use POST");
    }

    @Test
    void badInputChangesNoGameMetric() throws Exception {
        post("{\"board\": \"X........\", \"cell\": 0}", ContentType.APPLICATION_JSON);

        assertThat(moves("human")).isZero();
        assertThat(server.metrics()
                .counter("http_server_requests_total", "method", "POST", "route", "/api/move", "status", "400"))
                .isEqualTo(1);
    }

    private JsonNode playTwoPlayers(int... cellsInOrder) throws IOException {
        String board = ".........";
        JsonNode answer = null;
        for (int cell : cellsInOrder) {
            answer = move("{\"board\": \"" + board + "\", \"cell\": " + cell + ", \"mode\": \"two-players\"}");
            board = answer.get("board").asText();
        }
        return answer;
    }

    private JsonNode move(String body) throws IOException {
        Reply reply = post(body, ContentType.APPLICATION_JSON);
        assertThat(reply.status()).as("POST %s answered %s", body, reply.body()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        return JSON.readTree(reply.bytes());
    }

    private Reply post(String body, ContentType type) throws IOException {
        HttpPost request = new HttpPost(server.uri("/api/move"));
        request.setEntity(new StringEntity(body, type));
        return server.send(request);
    }

    private double games(String mode, String level, String outcome) throws InterruptedException {
        return server.metrics()
                .counter("tictactoe_games_total", "mode", mode, "level", level, "outcome", outcome);
    }

    private double moves(String player) throws InterruptedException {
        return server.metrics().counter("tictactoe_moves_total", "player", player);
    }
}
