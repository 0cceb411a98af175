package io.github.tictactoe.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address of the Debian archive this machine's apt already uses, read from its sources (the deb822 file Debian 12
 * installs, or a one-line sources.list), so that no archive's address is written into the project.
 */
final class DebianArchive {

    private static final Path DEB822 = Path.of("/etc/apt/sources.list.d/debian.sources");
    private static final Path ONE_LINE = Path.of("/etc/apt/sources.list");
    static final Pattern URIS = Pattern.compile("(?m)^URIs:\\s*(\\S+)");
    static final Pattern DEB_LINE = Pattern.compile("(?m)^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+://\\S+)");

    private DebianArchive() {
    }

    static String ofThisMachine() {
        return firstMatch(DEB822, URIS).or(() -> firstMatch(ONE_LINE, DEB_LINE))
                .orElseThrow(() -> new IllegalStateException("no Debian archive in " + DEB822 + " or " + ONE_LINE
                        + ": set -Dtictactoe.debianMirror=URL"));
    }

    /** The first address in this text of a sources file, if any: split out for its test. */
    static Optional<String> first(String sources, Pattern pattern) {
        Matcher matcher = pattern.matcher(sources);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static Optional<String> firstMatch(Path file, Pattern pattern) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return first(Files.readString(file), pattern);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
