package io.github.tictactoe.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the tests in a JVM of its own, for what only a fresh JVM shows (what start-up builds). */
public final class FreshJvm {

    private FreshJvm() {
    }

    /** Runs {@code main} with the tests' classpath and returns its output, stdout and stderr, line by line. */
    public static List<String> run(Class<?> main, List<String> jvmFlags, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("%s said:%n%s", main.getSimpleName(), output).isZero();
            return output.lines().toList();
        } finally {
            process.destroyForcibly();
        }
    }
}
