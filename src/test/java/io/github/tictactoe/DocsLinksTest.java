package io.github.tictactoe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.ext.heading.anchor.IdGenerator;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * Every relative link and image in README.md and docs/ points at a file that exists, and every #anchor at a heading
 * of its document, with the heading ids GitHub gives (commonmark's heading-anchor generator); every document in docs/
 * is one link away from the README.
 */
class DocsLinksTest {

    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    /** A scheme (http:, https:, mailto:): a link out of the repository, not checked here. */
    private static final Pattern EXTERNAL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Parser PARSER = Parser.builder().build();

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path document : documents()) {
            for (String destination : destinations(document)) {
                if (EXTERNAL.matcher(destination).find()) {
                    continue;
                }
                checked++;
                int hash = destination.indexOf('#');
                String file = hash < 0 ? destination : destination.substring(0, hash);
                Path target = file.isEmpty() ? document : document.resolveSibling(file).normalize();
                if (!Files.exists(target)) {
                    broken.add(document + ": " + destination + ": no file " + target);
                } else if (hash >= 0 && !anchors(target).contains(destination.substring(hash + 1))) {
                    broken.add(document + ": " + destination + ": no heading with that id in " + target
                            + " (it has " + anchors(target) + ")");
                }
            }
        }
        System.out.println("Relative links and anchors checked in README.md and docs/: " + checked);

        assertThat(broken).as("broken links").isEmpty();
        assertThat(checked).as("links found: a parser that found none would pass anything").isGreaterThan(30);
    }

    @Test
    void everyDocumentIsLinkedFromTheReadme() throws IOException {
        Set<Path> linked = new HashSet<>();
        for (String destination : destinations(README)) {
            linked.add(Path.of(destination.replaceAll("#.*", "")).normalize());
        }
        try (Stream<Path> docs = Files.list(DOCS)) {
            assertThat(docs.filter(path -> path.toString().endsWith(".md"))).as("docs/*.md").isNotEmpty()
                    .allMatch(linked::contains, "linked from README.md");
        }
    }

    /** GitHub's ids are unique in a document: a repeated heading gets -1, -2, which the generator does too. */
    @Test
    void anchorsAreTheOnesGitHubMakes() {
        Map<String, String> expected = new TreeMap<>(Map.of(
                "Why client_java 1.x and not `simpleclient_servlet`", "why-client_java-1x-and-not-simpleclient_servlet",
                "Monitoring: alerts and dashboards", "monitoring-alerts-and-dashboards",
                "One command: `swarm/up.sh`", "one-command-swarmupsh"));
        for (Map.Entry<String, String> heading : expected.entrySet()) {
            assertThat(headingIds("## " + heading.getKey() + "\n")).containsExactly(heading.getValue());
        }
        assertThat(headingIds("## Usage\n\n## Usage\n")).containsExactly("usage", "usage-1");
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(README));
        try (Stream<Path> docs = Files.list(DOCS)) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    private static List<String> destinations(Path document) throws IOException {
        List<String> destinations = new ArrayList<>();
        PARSER.parse(Files.readString(document)).accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                destinations.add(link.getDestination());
                visitChildren(link);
            }

            @Override
            public void visit(Image image) {
                destinations.add(image.getDestination());
                visitChildren(image);
            }
        });
        return destinations;
    }

    private static List<String> anchors(Path document) {
        try {
            return headingIds(Files.readString(document));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> headingIds(String markdown) {
        IdGenerator ids = IdGenerator.builder().build();
        List<String> anchors = new ArrayList<>();
        PARSER.parse(markdown).accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                anchors.add(ids.generateId(text(heading)));
            }
        });
        return anchors;
    }

    /** A heading's text as GitHub reads it for its id: the words and the code spans, without the markup. */
    private static String text(Node node) {
        StringBuilder text = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text literal) {
                text.append(literal.getLiteral());
            }

            @Override
            public void visit(Code code) {
                text.append(code.getLiteral());
            }
        });
        return text.toString();
    }
}
