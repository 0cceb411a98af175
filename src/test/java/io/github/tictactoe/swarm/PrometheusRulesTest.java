package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.tictactoe.prometheus.Prometheus35;
import io.github.tictactoe.prometheus.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * promtool's checks of the Prometheus configuration and alert rules, and the rules' own unit tests, with promtool 3.5
 * (the configuration as {@link Prometheus35} makes it for that release).
 */
class PrometheusRulesTest {

    /** A title in single quotes; not an apostrophe, which follows a letter ("the task's node"). */
    private static final Pattern QUOTED = Pattern.compile("(?<!\\w)'([^']+)'(?!\\w)");

    @Test
    void configurationIsValid(@TempDir Path folder) throws Exception {
        Path config = folder.resolve("prometheus.yml");
        Files.writeString(config, Prometheus35.config(Files.readString(SwarmFiles.PROMETHEUS_CONFIG)));
        Files.copy(SwarmFiles.ALERTS, folder.resolve("alerts.yml"));
        assertThat(promtool("check", "config", config.toString())).contains("SUCCESS: 1 rule files found",
                "is valid prometheus config file syntax");
    }

    @Test
    void rulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", SwarmFiles.ALERTS.toString())).contains("SUCCESS: 12 rules found");
    }

    @Test
    void everyAlertFiresWhenItShouldAndStaysSilentOtherwise() throws Exception {
        assertThat(promtool("test", "rules", SwarmFiles.ALERT_TESTS.toString())).contains("SUCCESS");
    }

    /**
     * A scale-down to 2, seen as a lost target: with the desired count changed as docs/monitoring.md says, nothing fires; with
     * the shipped rule, ReplicasMissing does, as it warns.
     */
    @Test
    void aScaleDownFiresNothingOnceTheDesiredCountIsChangedAsTheReadmeSays(@TempDir Path folder) throws Exception {
        String rules = Files.readString(SwarmFiles.ALERTS);
        assertThat(rules).containsOnlyOnce("expr: vector(3)");
        Files.writeString(folder.resolve("scaled.yml"), rules.replace("expr: vector(3)", "expr: vector(2)"));
        Files.copy(SwarmFiles.ALERTS, folder.resolve("shipped.yml"));
        for (String ruleFile : List.of("scaled.yml", "shipped.yml")) {
            Files.writeString(folder.resolve("test-" + ruleFile), """
                    rule_files: [%s]
                    evaluation_interval: 15s
                    tests:
                      # docker service scale tictactoe_tictactoe=2 at 1m: the third task leaves DNS.
                      - interval: 15s
                        input_series:
                          - {series: 'up{job="tictactoe",instance="10.0.0.1:3306"}', values: '1x60'}
                          - {series: 'up{job="tictactoe",instance="10.0.0.2:3306"}', values: '1x60'}
                          - {series: 'up{job="tictactoe",instance="10.0.0.3:3306"}', values: '1x3 stale'}
                        alert_rule_test:
                          - eval_time: 10m
                            alertname: TicTacToeReplicasMissing
                            exp_alerts: []
                    """.formatted(ruleFile));
        }

        assertThat(promtool("test", "rules", folder.resolve("test-scaled.yml").toString())).contains("SUCCESS");
        Promtool.Result shipped = Promtool.run("test", "rules", folder.resolve("test-shipped.yml").toString());
        assertThat(shipped.exit()).as(shipped.output()).isNotZero();
        assertThat(shipped.output()).contains("alertname: TicTacToeReplicasMissing", "got:[",
                "Only 2 tictactoe replicas are being scraped");
    }

    @Test
    void everyAlertHasASummaryADescriptionAndARunbook() {
        for (JsonNode rule : SwarmFiles.alertRules()) {
            assertThat(rule.get("annotations").fieldNames()).toIterable().as(rule.get("alert").asText())
                    .contains("summary", "description", "runbook");
            assertThat(rule.get("labels").get("severity").asText()).isIn("warning", "critical");
        }
    }

    @Test
    void everyAlertIsCoveredByTheRuleTests() {
        String tests = SwarmFiles.read(SwarmFiles.ALERT_TESTS);
        for (JsonNode rule : SwarmFiles.alertRules()) {
            String name = rule.get("alert").asText();
            assertThat(tests).as(name).contains("alertname: " + name + "\n");
        }
    }

    /**
     * A runbook sends people to panels by their title in single quotes; each must be a panel that exists. Quotes in a
     * command (a code span, between backticks) are the command's own: ImageIT runs those.
     */
    @Test
    void everyPanelARunbookNamesExists() {
        Set<String> titles = new HashSet<>();
        for (Path file : SwarmFiles.DASHBOARDS) {
            SwarmFiles.json(file).get("panels").forEach(panel -> titles.add(panel.get("title").asText()));
        }
        String image = SwarmFiles.read(Path.of("Dockerfile"));
        for (JsonNode rule : SwarmFiles.alertRules()) {
            Matcher quoted = QUOTED.matcher(rule.get("annotations").get("runbook").asText().replaceAll("`[^`]*`", ""));
            while (quoted.find()) {
                String name = quoted.group(1);
                assertThat(titles.contains(name) || image.contains(name))
                        .as("'%s' in the runbook of %s is neither a panel nor in the Dockerfile", name,
                                rule.get("alert").asText()).isTrue();
            }
        }
    }

    private static String promtool(String... args) throws Exception {
        return Promtool.ok(args);
    }
}
