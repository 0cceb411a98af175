package io.github.tictactoe.tools.training;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Sends one request of each kind the service answers, for the training run that makes the image's start-up archive
 * (src/main/docker/training-run.sh): Java's own HTTP client, because the runtime image has no curl and no wget.
 */
public final class TrainingClient {

    /** One request and the status the service must answer it with. */
    private record Call(String method, String path, String contentType, String body, boolean gzip, int expected) {

        static Call get(String path, int expected) {
            return new Call("GET", path, null, null, false, expected);
        }

        /** As a browser asks, so that the compression handler's classes are loaded too. */
        static Call getGzipped(String path) {
            return new Call("GET", path, null, null, true, 200);
        }

        static Call move(String json, int expected) {
            return new Call("POST", "/api/move", "application/json", json, false, expected);
        }
    }

    private static final List<Call> CALLS = List.of(
            Call.get("/", 200), Call.get("/css/app.css", 200), Call.get("/js/app.js", 200),
            Call.get("/images/favicon.svg", 200), Call.get("/readyz", 200), Call.get("/metrics", 200),
            Call.get("/no-such-file", 404),
            Call.getGzipped("/"), Call.getGzipped("/css/app.css"), Call.getGzipped("/js/app.js"),
            Call.move("{\"board\": \"X...O....\", \"cell\": 8}", 200),
            Call.move("{\"board\": \"bad\"}", 400));
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration REQUEST_LIMIT = Duration.ofSeconds(10);

    private TrainingClient() {
    }

    /** Usage: TrainingClient BASE_URL. Exits 0 when every answer had its status, 1 otherwise, saying which. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1 || !args[0].startsWith("http://")) {
            System.err.println("Usage: java -cp tictactoe.jar " + TrainingClient.class.getName() + " http://HOST:PORT");
            System.exit(2);
        }
        System.exit(run(URI.create(args[0]), START_LIMIT));
    }

    /** Waits up to startLimit for the service, sends every call; 0 when each had its status, else 1. */
    static int run(URI base, Duration startLimit) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_LIMIT).build();
        try {
            awaitHealthy(client, base, startLimit);
            for (Call call : CALLS) {
                int status = send(client, base, call);
                if (status != call.expected()) {
                    System.err.printf("training run: %s %s answered %d, expected %d%n", call.method(), call.path(),
                            status, call.expected());
                    return 1;
                }
            }
            return 0;
        } catch (IOException e) {
            System.err.println("training run: " + base + " failed: " + e);
            return 1;
        }
    }

    /** Polls /healthz until it answers 200; the service under training is starting at the same time. */
    private static void awaitHealthy(HttpClient client, URI base, Duration startLimit)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + startLimit.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                int status = send(client, base, Call.get("/healthz", 200));
                if (status == 200) {
                    return;
                }
                last = "status " + status;
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(50);
        }
        throw new IOException("no 200 from /healthz within " + startLimit + " (last: " + last + ")");
    }

    private static int send(HttpClient client, URI base, Call call) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(call.path())).timeout(REQUEST_LIMIT);
        if (call.gzip()) {
            request.header("Accept-Encoding", "gzip");
        }
        if (call.body() != null) {
            request.header("Content-Type", call.contentType())
                    .method(call.method(), HttpRequest.BodyPublishers.ofString(call.body()));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
