package io.github.tictactoe.prometheus;

import io.github.tictactoe.testing.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the Prometheus programs the tests run on the PATH, by the version they print: Prometheus 3.5 or later (Debian
 * unstable's 3.5.3, which {@code .ci/fetch-unstable.sh} unpacks) for everything, and Debian 12's 2.x only where a test
 * needs what only a 2.x can give: Prometheus' own web UI, which Debian's 3.x package leaves out, and a TSDB written by
 * 2.x. A missing or older one skips the test with what to install, or fails it when CI is set.
 */
public final class PrometheusRelease {

    /** The oldest Prometheus 3 the tests accept: the line Debian unstable serves. */
    static final Version OLDEST_3 = new Version(3, 5, 3);
    private static final Pattern VERSION = Pattern.compile("version (\\d+)\\.(\\d+)\\.(\\d+)");
    /** The oldest Alertmanager the tests accept: the release Debian unstable serves. */
    static final Version OLDEST_ALERTMANAGER = new Version(0, 33, 1);
    /** The oldest node-exporter the tests accept: the release Debian unstable serves. */
    static final Version OLDEST_NODE_EXPORTER = new Version(1, 11, 1);
    private static final String HOW_TO_GET_3 = "run .ci/fetch-unstable.sh (Debian unstable's packages prometheus and "
            + "promtool 3.5.3, prometheus-alertmanager 0.33.1, prometheus-node-exporter 1.11.1, unpacked into a cache) "
            + "and put the folder it prints first on the PATH";

    private PrometheusRelease() {
    }

    /** A release number. */
    record Version(int major, int minor, int patch) implements Comparable<Version> {

        @Override
        public int compareTo(Version other) {
            return Integer.compare(major * 1_000_000 + minor * 1_000 + patch,
                    other.major * 1_000_000 + other.minor * 1_000 + other.patch);
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + patch;
        }
    }

    /** {@code prometheus}, 3.5.3 or later. */
    public static Path prometheus3() {
        return atLeast("prometheus", OLDEST_3);
    }

    /** {@code promtool}, 3.5.3 or later. */
    public static Path promtool3() {
        return atLeast("promtool", OLDEST_3);
    }

    /** Alertmanager 0.33.1 or later in the 0.x line, as Debian names its binary. */
    public static Path alertmanager() {
        return atLeast("prometheus-alertmanager", OLDEST_ALERTMANAGER);
    }

    /** Alertmanager's {@code amtool}, 0.33.1 or later. */
    public static Path amtool() {
        return atLeast("amtool", OLDEST_ALERTMANAGER);
    }

    /** node-exporter 1.11.1 or later in the 1.x line, as Debian names its binary. */
    public static Path nodeExporter() {
        return atLeast("prometheus-node-exporter", OLDEST_NODE_EXPORTER);
    }

    /** Debian 12's {@code prometheus} 2.x, for its web UI (Debian's 3.x ships none) or its TSDB. */
    public static Path prometheus2() {
        List<String> seen = new ArrayList<>();
        for (Path candidate : onPath("prometheus")) {
            Optional<Version> version = versionOf(candidate);
            seen.add(candidate + " " + version.map(Version::toString).orElse("(no version)"));
            if (version.isPresent() && version.get().major() == 2) {
                return candidate;
            }
        }
        ExternalTool.unavailable("no Prometheus 2.x on the PATH (found: " + seen + "): install it with "
                + "`apt-get install prometheus` (Debian 12's 2.42)");
        return null;
    }

    /** The version a binary prints with --version, if it prints one. */
    public static Optional<Version> versionOf(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            Matcher matcher = VERSION.matcher(output);
            return matcher.find() ? Optional.of(new Version(Integer.parseInt(matcher.group(1)),
                    Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The first program of this name on the PATH whose version is this one or later, in its major line. */
    private static Path atLeast(String program, Version oldest) {
        List<String> seen = new ArrayList<>();
        for (Path candidate : onPath(program)) {
            Optional<Version> version = versionOf(candidate);
            seen.add(candidate + " " + version.map(Version::toString).orElse("(no version)"));
            if (version.isPresent() && version.get().major() == oldest.major()
                    && version.get().compareTo(oldest) >= 0) {
                return candidate;
            }
        }
        ExternalTool.unavailable("no " + program + " " + oldest + " or later on the PATH (found: "
                + (seen.isEmpty() ? "none" : String.join(", ", seen)) + "): " + HOW_TO_GET_3);
        return null;
    }

    private static List<Path> onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .distinct()
                .toList();
    }
}
