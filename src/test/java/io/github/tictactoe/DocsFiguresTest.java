package io.github.tictactoe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A measured figure is said once: in bench/RESULTS.md, where every run is recorded, and in the one page that owns it;
 * every other document, comment and configuration file links there instead of copying a number that drifts.
 */
class DocsFiguresTest {

    /** Each figure, as a pattern, and the one file besides bench/RESULTS.md that may say it, once. */
    private static final Map<Pattern, Path> OWNERS = Map.of(
            // The image's size, today's and the one it had before (a copy of either is a copy that drifts).
            Pattern.compile("\\b(115\\.6|117(\\.1)?) MB( \\(11[01] MiB\\))?|\\b11[01] MiB( \\(11[57](\\.[16])? MB\\))?"),
            Path.of("docs/deployment.md"),
            Pattern.compile("\\b104-109 MiB\\b"), Path.of("docs/performance.md"),
            // The image's start-up with its AOT cache, and the two runs of the day Java 25 replaced 17.
            Pattern.compile("\\b\\d\\.\\d\\d s\\s+(from\\s+container\\s+start\\s+to\\s+the\\s+first\\s+200\\s+)?with"
                    + "\\s+the\\s+AOT\\s+cache"),
            Path.of("docs/performance.md"),
            Pattern.compile("\\b1\\.40 and 1\\.44 s\\b"), Path.of("docs/performance.md"),
            // The app beside the floor of its design: start-up, memory and CPU per request, the README's table.
            Pattern.compile("\\b0\\.95 (s \\| |against )0\\.87 s\\b"), Path.of("README.md"),
            Pattern.compile("\\b95 (MiB \\| |against )84 MiB\\b"), Path.of("README.md"),
            Pattern.compile("\\b28\\.6 (µs \\| |against )22\\.0 µs"), Path.of("README.md"));
    private static final List<Path> ROOTS = List.of(Path.of("README.md"), Path.of("docs"), Path.of("Dockerfile"),
            Path.of("swarm"), Path.of("src/main"), Path.of("bench"));
    private static final Path RECORD = Path.of("bench/RESULTS.md");

    @Test
    void eachFigureIsSaidOnlyByItsOwner() throws IOException {
        List<String> copies = new ArrayList<>();
        for (Path file : files()) {
            String text = Files.readString(file);
            OWNERS.forEach((figure, owner) -> {
                List<MatchResult> found = figure.matcher(text).results().toList();
                if (found.size() > (file.equals(owner) ? 1 : 0)) {
                    copies.add(file + ": '" + found.get(0).group() + "' " + found.size() + " times (owned by " + owner
                            + ")");
                }
            });
        }
        assertThat(copies).as("figures said outside their owner, or more than once in it").isEmpty();
    }

    @Test
    void eachOwnerSaysItsFigure() throws IOException {
        for (Map.Entry<Pattern, Path> entry : OWNERS.entrySet()) {
            assertThat(entry.getKey().matcher(Files.readString(entry.getValue())).find())
                    .as("%s says %s", entry.getValue(), entry.getKey()).isTrue();
        }
    }

    private static List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : ROOTS) {
            try (Stream<Path> tree = Files.walk(root)) {
                tree.filter(Files::isRegularFile).filter(file -> !file.equals(RECORD))
                        .filter(DocsFiguresTest::isText).forEach(files::add);
            }
        }
        assertThat(files).as("files to read").hasSizeGreaterThan(20);
        return files;
    }

    private static boolean isText(Path file) {
        String name = file.getFileName().toString();
        return Stream.of(".md", ".java", ".sh", ".yml", ".yaml", ".json", ".args", ".lua", ".html", ".js", ".css",
                "Dockerfile").anyMatch(name::endsWith);
    }
}
