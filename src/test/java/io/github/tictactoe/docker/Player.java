package io.github.tictactoe.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The player script running in the stack's client container (src/test/resources/docker/play.sh): pages, moves and
 * games against every task, each request checked against the status it must get.
 */
public final class Player {

    /** What the player saw: every request, and those that did not get their expected status, counted by kind. */
    public record Result(int requests, Map<String, Integer> failures, double seconds) {

        public int failed() {
            return failures.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public String toString() {
            return String.format("%d requests in %.0f s, %d failed %s", requests, seconds, failed(), failures);
        }
    }

    private final SwarmStack stack;
    private final Process process;
    private final Path output;
    private final long start = System.nanoTime();

    Player(SwarmStack stack, Process process, Path output) {
        this.stack = stack;
        this.process = process;
        this.output = output;
    }

    /** Asks the script to stop after its current round, waits for it, and counts its lines. */
    public Result stop() throws IOException, InterruptedException {
        stack.client("touch", "/tmp/stop-playing");
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the player did not stop within 60 s");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> lines = Files.readAllLines(output);
        Map<String, Integer> failures = new LinkedHashMap<>();
        for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields.length != 3 || !fields[0].equals(fields[1])) {
                failures.merge(line, 1, Integer::sum);
            }
        }
        return new Result(lines.size(), failures, seconds);
    }
}
