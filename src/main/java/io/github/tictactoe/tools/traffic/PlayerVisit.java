package io.github.tictactoe.tools.traffic;

import io.github.tictactoe.tools.traffic.MoveApiJson.Answer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One player's visit, one request per step: the page (and its assets, for a first visit), then a whole game against
 * the computer at some level or between two players, now and then a bad move or a missing page, as a browser and a
 * person would send them.
 */
final class PlayerVisit {

    private static final Duration REQUEST_LIMIT = Duration.ofSeconds(10);
    /** What the page links; a returning player has them cached (they are immutable for a year). */
    private static final List<String> ASSETS = List.of("/css/app.css", "/js/app.js", "/images/favicon.svg");
    private static final String[] LEVELS = {"easy", "medium", "perfect"};

    private final HttpClient client;
    /** Another replica's address, for the one retry after a network error; empty when there is none. */
    private final Supplier<Optional<URI>> anyReplica;
    private URI base;
    private final TrafficCounters counters;
    private final Random random;
    private final Duration meanThink;
    private final String mode;
    private final String level;
    private final boolean returning;
    private final boolean computerOpens;
    private final List<String> assetsToLoad = new ArrayList<>();
    private boolean pageLoaded;
    private boolean gameOpened;
    private String board = ".........";

    PlayerVisit(HttpClient client, Supplier<Optional<URI>> anyReplica, URI base, TrafficCounters counters,
            Random random, Duration meanThink) {
        this.client = client;
        this.anyReplica = anyReplica;
        this.base = base;
        this.counters = counters;
        this.random = random;
        this.meanThink = meanThink;
        this.mode = random.nextInt(4) == 0 ? "two-players" : "vs-computer";
        this.level = LEVELS[random.nextInt(LEVELS.length)];
        this.returning = random.nextBoolean();
        this.computerOpens = mode.equals("vs-computer") && random.nextInt(3) == 0;
        if (!returning) {
            assetsToLoad.addAll(ASSETS);
            // Browsers ask for /favicon.ico on their own; this service has none.
            if (random.nextInt(5) == 0) {
                assetsToLoad.add("/favicon.ico");
            }
        }
    }

    /**
     * Sends the visit's next request; returns how long the player waits before the next one, or empty when the visit
     * is over (its game finished, or a request failed: a player whose page broke leaves). A network error is retried
     * once on another replica, as the page retries once.
     */
    Optional<Duration> step() throws InterruptedException {
        for (boolean retried = false; ; retried = true) {
            try {
                return Optional.ofNullable(nextRequest());
            } catch (UnexpectedAnswer e) {
                counters.error(true, e.getMessage() + " (" + base.getHost() + ")");
                return Optional.empty();
            } catch (IOException e) {
                Optional<URI> other = retried ? Optional.empty() : anyReplica.get();
                if (other.isEmpty()) {
                    counters.error(false, e + " (" + base.getHost() + ")");
                    return Optional.empty();
                }
                base = other.get();
            }
        }
    }

    /** The state moves on only once a request got its answer, so that a retry sends the same request again. */
    private Duration nextRequest() throws IOException, InterruptedException, UnexpectedAnswer {
        if (!pageLoaded) {
            expect(get("/"), Set.of(200), "GET /");
            pageLoaded = true;
            return Duration.ofMillis(20);
        }
        if (!assetsToLoad.isEmpty()) {
            String path = assetsToLoad.get(0);
            int expected = path.equals("/favicon.ico") ? 404 : 200;
            expect(get(path), Set.of(expected), "GET " + path);
            assetsToLoad.remove(0);
            return assetsToLoad.isEmpty() ? think() : Duration.ofMillis(5);
        }
        return move();
    }

    /** One move (or the computer's opening, or now and then a move onto a taken cell); null once the game is over. */
    private Duration move() throws IOException, InterruptedException, UnexpectedAnswer {
        String levelSent = mode.equals("vs-computer") ? level : null;
        if (computerOpens && !gameOpened) {
            // No cell: the computer moves first.
            board = played(post(MoveApiJson.request(board, mode, levelSent, null)), "POST /api/move (computer opens)")
                    .board();
            gameOpened = true;
            return think();
        }
        int taken = board.indexOf('X') >= 0 ? board.indexOf('X') : board.indexOf('O');
        if (taken >= 0 && random.nextInt(20) == 0) {
            expect(post(MoveApiJson.request(board, mode, levelSent, taken)), Set.of(400),
                    "POST /api/move onto taken cell " + taken);
            return think();
        }
        Answer answer = played(post(MoveApiJson.request(board, mode, levelSent, randomEmptyCell())), "POST /api/move");
        gameOpened = true;
        board = answer.board();
        if (!answer.status().equals("in-progress")) {
            counters.gameFinished();
            return null;
        }
        return think();
    }

    private int randomEmptyCell() {
        List<Integer> empty = new ArrayList<>();
        for (int cell = 0; cell < board.length(); cell++) {
            if (board.charAt(cell) == '.') {
                empty.add(cell);
            }
        }
        return empty.get(random.nextInt(empty.size()));
    }

    /** Between half and one and a half times the mean, as people differ. */
    private Duration think() {
        return Duration.ofMillis((long) (meanThink.toMillis() * (0.5 + random.nextDouble())));
    }

    private HttpResponse<Void> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_LIMIT)
                .header("Accept-Encoding", "gzip").GET().build();
        return client.send(request, HttpResponse.BodyHandlers.discarding());
    }

    private HttpResponse<String> post(String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/move")).timeout(REQUEST_LIMIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Counts the answer, or throws when its status is not the one the request must get. */
    private void expect(HttpResponse<?> response, Set<Integer> expected, String what) throws UnexpectedAnswer {
        if (!expected.contains(response.statusCode())) {
            throw new UnexpectedAnswer(what + " answered " + response.statusCode() + ", expected " + expected);
        }
        counters.answered(response.statusCode() >= 400);
    }

    /** The answer to a legal move: a 200 whose JSON holds the board after it. */
    private Answer played(HttpResponse<String> response, String what) throws IOException, UnexpectedAnswer {
        expect(response, Set.of(200), what);
        return MoveApiJson.answer(response.body());
    }

    /** An answer with a status the request must not get. */
    private static final class UnexpectedAnswer extends Exception {

        UnexpectedAnswer(String message) {
            super(message);
        }
    }
}
