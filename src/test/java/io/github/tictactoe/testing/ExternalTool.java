package io.github.tictactoe.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Finds a program a test needs on the PATH: skipped with the Debian package to install, or failed when CI is set. */
public final class ExternalTool {

    private ExternalTool() {
    }

    public static Path require(String program, String debianPackage) {
        Optional<Path> found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        unavailable(program + " is not on the PATH: install it with `apt-get install " + debianPackage + "`");
        return null;
    }

    /** Skips the test with this message, or fails it when CI is set: CI installs everything, so nothing may skip. */
    public static void unavailable(String message) {
        if (System.getenv("CI") != null) {
            fail(message + " (CI is set, so a missing tool fails the test instead of skipping it)");
        }
        assumeTrue(false, message);
    }
}
