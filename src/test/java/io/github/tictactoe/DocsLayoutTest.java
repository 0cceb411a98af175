package io.github.tictactoe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * The project layout in docs/testing.md is the tree's: every path it names exists, and the main code's package lists
 * every class and package at its root, so that a new package or a moved class cannot leave the section behind.
 */
class DocsLayoutTest {

    private static final Path DOCUMENT = Path.of("docs/testing.md");
    private static final String HEADING = "Project layout";
    private static final String MAIN_CODE = "src/main/java/io/github/tictactoe/";
    /** A line that starts a path at the repository's root: no indent, then the path. */
    private static final Pattern ROOT_ENTRY = Pattern.compile("^(\\S+)");
    /** A line that names entries inside the root path above it: two spaces, then one or more names and commas. */
    private static final Pattern CHILD_ENTRIES = Pattern.compile("^ {2}((?:[\\w.]+/?,? )+)");

    @Test
    void everyPathTheLayoutNamesExists() throws IOException {
        List<String> missing = new ArrayList<>();
        Map<String, Set<String>> layout = layout();
        for (Map.Entry<String, Set<String>> entry : layout.entrySet()) {
            List<Path> roots = resolve(entry.getKey());
            if (roots.isEmpty()) {
                missing.add(entry.getKey());
            }
            for (String child : entry.getValue()) {
                if (roots.stream().noneMatch(root -> Files.exists(root.resolve(child)))) {
                    missing.add(entry.getKey() + child);
                }
            }
        }
        assertThat(layout).as("the layout section of %s, read", DOCUMENT).hasSizeGreaterThan(5);
        assertThat(missing).as("paths in the layout of %s that do not exist", DOCUMENT).isEmpty();
    }

    @Test
    void theMainCodesRootIsListedWhole() throws IOException {
        Set<String> listed = layout().get(MAIN_CODE);
        assertThat(listed).as("the %s lines of %s", MAIN_CODE, DOCUMENT).isNotNull();
        Set<String> actual;
        try (Stream<Path> children = Files.list(Path.of(MAIN_CODE))) {
            actual = children.map(child -> child.getFileName() + (Files.isDirectory(child) ? "/" : ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(new TreeSet<>(listed)).as("the classes and packages at the root of the main code").isEqualTo(actual);
    }

    /** Each root path of the layout's code block with the names listed under it, in the document's order. */
    private static Map<String, Set<String>> layout() throws IOException {
        Map<String, Set<String>> layout = new LinkedHashMap<>();
        String current = null;
        for (String line : codeBlockUnder(HEADING).lines().toList()) {
            Matcher root = ROOT_ENTRY.matcher(line);
            Matcher children = CHILD_ENTRIES.matcher(line);
            if (root.find()) {
                current = root.group(1);
                layout.put(current, new TreeSet<>());
            } else if (children.find() && current != null) {
                for (String name : children.group(1).split("[, ]+")) {
                    if (!name.isEmpty()) {
                        layout.get(current).add(name);
                    }
                }
            }
        }
        return layout;
    }

    /** A path that exists, or for one with {@code ...} in it every folder it can stand for. */
    private static List<Path> resolve(String path) throws IOException {
        int gap = path.indexOf("/.../");
        if (gap < 0) {
            return Files.exists(Path.of(path)) ? List.of(Path.of(path)) : List.of();
        }
        String end = path.substring(gap + "/...".length());
        try (Stream<Path> tree = Files.walk(Path.of(path.substring(0, gap)))) {
            return tree.filter(Files::isDirectory).filter(dir -> (dir + "/").endsWith(end)).toList();
        }
    }

    private static String codeBlockUnder(String heading) throws IOException {
        Node document = Parser.builder().build().parse(Files.readString(DOCUMENT));
        StringBuilder block = new StringBuilder();
        document.accept(new AbstractVisitor() {
            private boolean underHeading;

            @Override
            public void visit(Heading node) {
                underHeading = node.getFirstChild() instanceof Text text && text.getLiteral().equals(heading);
            }

            @Override
            public void visit(FencedCodeBlock node) {
                if (underHeading && block.isEmpty()) {
                    block.append(node.getLiteral());
                }
            }
        });
        assertThat(block).as("a code block under '%s' in %s", heading, DOCUMENT).isNotEmpty();
        return block.toString();
    }
}
