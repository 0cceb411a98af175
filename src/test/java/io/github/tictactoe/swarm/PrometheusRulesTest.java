package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.ExternalTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** promtool's checks of the Prometheus configuration and alert rules, and the rules' own unit tests. */
class PrometheusRulesTest {

    @Test
    void configurationIsValid() throws Exception {
        assertThat(promtool("check", "config", SwarmFiles.PROMETHEUS_CONFIG.toString())).contains("SUCCESS");
    }

    @Test
    void rulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", SwarmFiles.ALERTS.toString())).contains("SUCCESS: 8 rules found");
    }

    @Test
    void everyAlertFiresWhenItShouldAndStaysSilentOtherwise() throws Exception {
        assertThat(promtool("test", "rules", SwarmFiles.ALERT_TESTS.toString())).contains("SUCCESS");
    }

    @Test
    void everyAlertHasASummaryADescriptionAndARunbook() {
        for (var group : SwarmFiles.yaml(SwarmFiles.ALERTS).get("groups")) {
            for (var rule : group.get("rules")) {
                assertThat(rule.get("annotations").fieldNames()).toIterable().as(rule.get("alert").asText())
                        .contains("summary", "description", "runbook");
                assertThat(rule.get("labels").get("severity").asText()).isIn("warning", "critical");
            }
        }
    }

    @Test
    void everyAlertIsCoveredByTheRuleTests() {
        String tests = SwarmFiles.read(SwarmFiles.ALERT_TESTS);
        for (var group : SwarmFiles.yaml(SwarmFiles.ALERTS).get("groups")) {
            for (var rule : group.get("rules")) {
                String name = rule.get("alert").asText();
                assertThat(tests).as(name).contains("alertname: " + name + "\n");
            }
        }
    }

    private static String promtool(String... args) throws Exception {
        Path promtool = ExternalTool.require("promtool", "prometheus");
        List<String> command = new java.util.ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("promtool %s said:%n%s", String.join(" ", args), output).isZero();
        return output;
    }
}
