package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.tictactoe.AppConfig;
import io.github.tictactoe.docker.Command;
import io.github.tictactoe.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every PromQL expression the project ships (alert and recording rules, dashboard panels, docs/metrics.md's examples),
 * parsed by Prometheus 3.13's own grammar ({@code @prometheus-io/lezer-promql} 0.313.4 from npm, run by Node.js), and
 * held to the Prometheus 3 migration items that can bite a query: no server of 3.x can run here, while Debian's 2.42
 * checks the same expressions in the other tests.
 */
class PromqlGrammarTest {

    private static final Path SOURCES = Path.of("src/test/promql");
    private static final Path WORK = Path.of("target/promql-check");
    private static final Pattern DOCS_PROMQL = Pattern.compile("(?s)```promql\n(.*?)```");
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");
    /**
     * Labels that may be matched by a regex, their values from fixed sets that hold no newline: the status code, the
     * replica and node names (REPLICA and NODE, checked at start-up), the JVM's own memory pool names ("Eden Space" and
     * the like), and node-exporter's file system types and network interfaces (the kernel's names, without white
     * space). The one regex on a node's host name, nodename, is the node variable, whose "All" is .* anyway.
     */
    private static final Set<String> REGEX_LABELS = Set.of("status", "replica", "node", "pool", "fstype", "device",
            "nodename");

    private static JsonNode report;

    /** Installs the grammar from npm (the versions package-lock.json pins) and parses every expression once. */
    @BeforeAll
    static void parseEveryExpression() throws Exception {
        Path node = ExternalTool.require("node", "nodejs");
        Path npm = ExternalTool.require("npm", "npm");
        Files.createDirectories(WORK);
        boolean changed = false;
        for (String file : List.of("package.json", "package-lock.json", "check.mjs")) {
            Path target = WORK.resolve(file);
            changed |= !Files.exists(target) || Files.mismatch(SOURCES.resolve(file), target) != -1;
            Files.copy(SOURCES.resolve(file), target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (changed || !Files.isDirectory(WORK.resolve("node_modules/@prometheus-io/lezer-promql"))) {
            run(List.of(npm.toString(), "ci", "--prefix", WORK.toString(), "--no-audit", "--no-fund",
                    "--ignore-scripts"), null);
        }
        List<Map<String, String>> expressions = new ArrayList<>();
        for (JsonNode group : SwarmFiles.yaml(SwarmFiles.ALERTS).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String name = rule.has("alert") ? rule.get("alert").asText() : rule.get("record").asText();
                expressions.add(Map.of("where", "alerts.yml " + name, "expr", rule.get("expr").asText()));
            }
        }
        for (SwarmFiles.PanelQuery query : SwarmFiles.panelQueries()) {
            expressions.add(Map.of("where", query.dashboard() + " / " + query.panel() + " / " + query.legend(),
                    "expr", query.resolved()));
        }
        docsExamples().forEach(expr -> expressions.add(Map.of("where", "docs/metrics.md example", "expr", expr)));
        Path input = WORK.resolve("expressions.json");
        new JsonMapper().writeValue(input.toFile(), expressions);
        report = new JsonMapper().readTree(run(List.of(node.toString(), WORK.resolve("check.mjs").toString()),
                input));
        System.out.printf("%d expressions parsed by Prometheus 3.13's PromQL grammar%n", report.size());
    }

    @Test
    void everyExpressionParsesInPrometheus3() {
        assertThat(report.size()).as("rules, panels and docs examples").isGreaterThan(40);
        for (JsonNode entry : report) {
            assertThat(entry.get("errors")).as("syntax errors at these offsets of %s: %s", entry.get("where"),
                    entry.get("expr").asText()).isEmpty();
        }
    }

    /** Prometheus 3 writes le and quantile as floats ("1" becomes "1.0"), so a literal bound would match nothing. */
    @Test
    void noExpressionMatchesALiteralBucketBoundOrQuantile() {
        for (JsonNode entry : report) {
            for (JsonNode matcher : entry.get("matchers")) {
                assertThat(matcher.get("label").asText()).as("%s: %s", entry.get("where"), entry.get("expr").asText())
                        .isNotIn("le", "quantile");
            }
        }
    }

    /**
     * In Prometheus 3 a regex's "." also matches a newline. Regexes are used only on labels whose values cannot hold
     * one (REGEX_LABELS); a replica name with a newline is refused when the app starts.
     */
    @Test
    void regexesMatchOnlyLabelsWhoseValuesHoldNoNewline() {
        int regexes = 0;
        for (JsonNode entry : report) {
            for (JsonNode matcher : entry.get("matchers")) {
                if (matcher.get("op").asText().contains("~")) {
                    regexes++;
                    assertThat(matcher.get("label").asText()).as("%s: %s", entry.get("where"), entry.get("expr"))
                            .isIn(REGEX_LABELS);
                }
            }
        }
        assertThat(regexes).as("the 5xx ratio, the replica variable and the eden pool use regexes").isPositive();
        assertThatThrownBy(() -> AppConfig.from(Map.of(), Map.of("REPLICA", "tictactoe-1\nx")))
                .as("a replica name with a newline is refused at start-up")
                .isInstanceOf(AppConfig.InvalidConfigException.class);
    }

    /**
     * Prometheus 3's range selectors are left-open: a sample exactly at the window's start no longer counts. Every
     * window spans at least 4 scrapes, so it holds 3 samples or more either way, enough for rate() and the _over_time
     * functions.
     */
    @Test
    void everyRangeSpansAtLeastFourScrapes() {
        Duration scrape = seconds(SwarmFiles.yaml(SwarmFiles.PROMETHEUS_CONFIG).at("/global/scrape_interval")
                .asText());
        int ranges = 0;
        for (JsonNode entry : report) {
            for (JsonNode range : entry.get("ranges")) {
                ranges++;
                assertThat(seconds(range.asText())).as("%s: %s", entry.get("where"), entry.get("expr").asText())
                        .isGreaterThanOrEqualTo(scrape.multipliedBy(4));
            }
        }
        assertThat(ranges).isPositive();
    }

    private static List<String> docsExamples() throws IOException {
        List<String> expressions = new ArrayList<>();
        Matcher block = DOCS_PROMQL.matcher(Files.readString(Path.of("docs/metrics.md")));
        while (block.find()) {
            for (String line : block.group(1).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (Character.isWhitespace(line.charAt(0)) && !expressions.isEmpty()) {
                    expressions.set(expressions.size() - 1, expressions.get(expressions.size() - 1) + "\n" + line);
                } else {
                    expressions.add(line);
                }
            }
        }
        assertThat(expressions).as("docs/metrics.md's ```promql examples").isNotEmpty();
        return expressions;
    }

    private static Duration seconds(String duration) {
        Matcher matcher = DURATION.matcher(duration);
        assertThat(matcher.matches()).as("a duration of one unit: %s", duration).isTrue();
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** Runs a program and returns its standard output; fails with everything it printed. */
    private static String run(List<String> command, Path stdin) {
        return Command.run(command, Map.of(), Duration.ofMinutes(5), stdin).orFail();
    }
}
