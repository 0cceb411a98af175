package io.github.tictactoe.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs promtool 3.5 or later ({@link PrometheusRelease#promtool3}) and keeps what it said. */
public final class Promtool {

    private Promtool() {
    }

    /** How promtool ended: its exit code and its output, stdout and stderr together. */
    public record Result(int exit, String output) {
    }

    public static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PrometheusRelease.promtool3().toString()));
        command.addAll(List.of(args));
        // promtool test rules leaves a test_storage folder per test group in TMPDIR: give it one that goes.
        Path temporary = Files.createTempDirectory("promtool");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("TMPDIR", temporary.toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool %s ended", String.join(" ", args))
                    .isTrue();
            return new Result(process.exitValue(), output);
        } finally {
            try (Stream<Path> left = Files.walk(temporary)) {
                for (Path path : left.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** Runs promtool, asserts that it exited 0 and returns what it said. */
    public static String ok(String... args) throws IOException, InterruptedException {
        Result result = run(args);
        assertThat(result.exit()).as("promtool %s said:%n%s", String.join(" ", args), result.output()).isZero();
        return result.output();
    }
}
