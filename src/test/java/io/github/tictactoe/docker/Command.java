package io.github.tictactoe.docker;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one external program to its end within a time limit, its output kept in files so that no pipe can fill up. */
public final class Command {

    private Command() {
    }

    /** What a finished program said. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        public boolean ok() {
            return exitCode == 0;
        }

        /** Fails with the command and everything it printed unless it exited 0; returns its trimmed stdout. */
        public String orFail() {
            if (!ok()) {
                throw new AssertionError(this.toString());
            }
            return stdout.trim();
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " exited " + exitCode + "\n--- stdout\n" + tail(stdout)
                    + "\n--- stderr\n" + tail(stderr);
        }

        private static String tail(String text) {
            return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
        }
    }

    static Result run(List<String> command, Map<String, String> environment, Duration limit) {
        return run(command, environment, limit, null);
    }

    /** @param stdin a file fed to the program's standard input, or null for none */
    public static Result run(List<String> command, Map<String, String> environment, Duration limit, Path stdin) {
        return execute(command, command, environment, limit, stdin, (process, out, deadline) ->
                process.waitFor(millisUntil(deadline), TimeUnit.MILLISECONDS) ? null : "did not end within " + limit);
    }

    /**
     * Runs a program in a process group of its own and, as soon as its standard output contains {@code marker}, sends
     * SIGTERM to the whole group, as a stop by a service manager or a CI time-out does; then waits for it to end. Fails
     * if the program ends before it printed the marker. Not SIGINT, Ctrl-C's signal: a program started in the
     * background of a non-interactive shell (as a CI job may start the tests) inherits SIGINT ignored, and bash cannot
     * trap a signal that was ignored when it started.
     */
    public static Result runAndInterrupt(List<String> command, Map<String, String> environment, Duration limit,
            String marker) {
        // setsid: the program leads a new group (its pid is the group's id), which the signal goes to, and the tests'
        // JVM is not in it.
        List<String> grouped = new ArrayList<>(List.of("setsid"));
        grouped.addAll(command);
        return execute(command, grouped, environment, limit, null, (process, out, deadline) -> {
            while (!Files.readString(out, StandardCharsets.UTF_8).contains(marker)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    return "ended or ran out of time before it printed " + marker;
                }
                Thread.sleep(50);
            }
            run(List.of("kill", "-TERM", "--", "-" + process.pid()), Map.of(), Duration.ofSeconds(10)).orFail();
            return process.waitFor(millisUntil(deadline), TimeUnit.MILLISECONDS) ? null
                    : "did not end within " + limit + " after SIGTERM";
        });
    }

    /** What happens to a started program until it ends. */
    private interface Supervision {
        /** Returns null once the program ended as it should, or what went wrong (it is then killed). */
        String untilEnd(Process process, Path out, long deadline) throws IOException, InterruptedException;
    }

    /** Starts {@code launched} (which runs {@code command}) with its output in files, and supervises it to its end. */
    private static Result execute(List<String> command, List<String> launched, Map<String, String> environment,
            Duration limit, Path stdin, Supervision supervision) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("command", ".out");
            err = Files.createTempFile("command", ".err");
            ProcessBuilder builder = new ProcessBuilder(launched)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                            : ProcessBuilder.Redirect.from(stdin.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            String failure = supervision.untilEnd(process, out, System.nanoTime() + limit.toNanos());
            if (failure != null) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " " + failure + "\n--- stdout\n"
                        + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
            }
            return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static long millisUntil(long deadline) {
        return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file; the OS cleans it up eventually
            }
        }
    }
}
