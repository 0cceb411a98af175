package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tictactoe.prometheus.PrometheusRelease;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Alertmanager's two configurations, checked by Alertmanager's own amtool: valid, every alert of swarm/alerts.yml routed
 * to the receiver, and the two files the same but for where notifications go.
 */
class AlertmanagerConfigTest {

    private static final List<Path> CONFIGS = List.of(SwarmFiles.ALERTMANAGER_CONFIG,
            SwarmFiles.ALERTMANAGER_WEBHOOK_CONFIG);

    @Test
    void amtoolAcceptsBothConfigurations() throws Exception {
        for (Path config : CONFIGS) {
            assertThat(amtool("check-config", config.toString())).as("%s", config).contains("SUCCESS",
                    "1 receivers");
        }
    }

    /** Every alert, with the labels Prometheus sends (its own, and the external label stack), reaches the receiver. */
    @Test
    void amtoolRoutesEveryAlertOfTheRulesToTheReceiver() throws Exception {
        String stack = SwarmFiles.yaml(SwarmFiles.PROMETHEUS_CONFIG).at("/global/external_labels/stack").asText();
        List<JsonNode> alerts = alertingRules();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(7);
        for (JsonNode rule : alerts) {
            List<String> labels = new ArrayList<>(List.of("alertname=" + rule.get("alert").asText(), "stack=" + stack));
            rule.path("labels").fields().forEachRemaining(label -> labels.add(label.getKey() + "="
                    + label.getValue().asText()));
            assertThat(routesTest(SwarmFiles.ALERTMANAGER_WEBHOOK_CONFIG, "webhook", labels)).as("%s", labels)
                    .isEqualTo("webhook");
            assertThat(routesTest(SwarmFiles.ALERTMANAGER_CONFIG, "alertmanager-page", labels)).as("%s", labels)
                    .isEqualTo("alertmanager-page");
        }
        // A receiver that the route does not name fails amtool's verification: the check above can fail.
        assertThat(amtoolExit("config", "routes", "test", "--verify.receivers=webhook",
                "--config.file=" + SwarmFiles.ALERTMANAGER_CONFIG, "alertname=TicTacToeDown")).isNotZero();
    }

    /** The inhibition names alerts that exist, and a label both carry (Prometheus adds its external labels to each). */
    @Test
    void theInhibitionNamesRealAlertsAndALabelBothCarry() {
        List<String> names = alertingRules().stream().map(rule -> rule.get("alert").asText()).toList();
        JsonNode inhibition = SwarmFiles.yaml(SwarmFiles.ALERTMANAGER_CONFIG).get("inhibit_rules").get(0);

        assertThat(inhibition.get("source_matchers").get(0).asText()).isEqualTo("alertname=\"TicTacToeDown\"");
        assertThat(inhibition.get("target_matchers").get(0).asText())
                .isEqualTo("alertname=\"TicTacToeReplicasMissing\"");
        assertThat(names).contains("TicTacToeDown", "TicTacToeReplicasMissing");
        assertThat(inhibition.get("equal")).extracting(JsonNode::asText).containsExactly("stack");
        assertThat(SwarmFiles.yaml(SwarmFiles.PROMETHEUS_CONFIG).at("/global/external_labels").has("stack")).isTrue();
    }

    /** Routing, grouping and inhibition are said once in substance: the files differ only in their receivers. */
    @Test
    void theWebhookConfigurationIsThePageOnlyOneWithAnotherReceiver() {
        ObjectNode pageOnly = (ObjectNode) SwarmFiles.yaml(SwarmFiles.ALERTMANAGER_CONFIG);
        ObjectNode webhook = (ObjectNode) SwarmFiles.yaml(SwarmFiles.ALERTMANAGER_WEBHOOK_CONFIG);
        JsonNode receiver = webhook.get("receivers").get(0);

        assertThat(receiver.at("/webhook_configs/0/url_file").asText())
                .isEqualTo("/run/secrets/alertmanager_webhook_url");
        assertThat(receiver.at("/webhook_configs/0/send_resolved").asBoolean()).isTrue();
        assertThat(receiver.at("/webhook_configs/0").has("url")).as("no URL in the file").isFalse();
        for (ObjectNode config : List.of(pageOnly, webhook)) {
            config.remove("receivers");
            ((ObjectNode) config.get("route")).remove("receiver");
        }
        assertThat(webhook).isEqualTo(pageOnly);
    }

    /** The override that sends to a webhook: the configuration above, and the secret its url_file reads. */
    @Test
    void theWebhookOverrideMountsTheSecretTheReceiverReads() {
        JsonNode override = SwarmFiles.yaml(SwarmFiles.ALERTS_TO_WEBHOOK);
        JsonNode alertmanager = SwarmFiles.yaml(SwarmFiles.STACK).get("services").get("alertmanager");

        assertThat(override.at("/configs/alertmanager_yml/file").asText()).isEqualTo("./alertmanager-webhook.yml");
        assertThat(override.at("/services/alertmanager/secrets")).extracting(JsonNode::asText)
                .containsExactly("prometheus_web_config", "alertmanager_webhook_url");
        assertThat(alertmanager.get("secrets")).extracting(JsonNode::asText).containsExactly("prometheus_web_config");
        assertThat(override.at("/secrets/alertmanager_webhook_url/external").asBoolean()).isTrue();
        assertThat(override.at("/secrets/alertmanager_webhook_url/name").asText()).isEqualTo("${ALERTS_TO_SECRET}");
        assertThat(alertmanager.get("configs").get(0).get("target").asText())
                .isEqualTo("/etc/alertmanager/alertmanager.yml");
    }

    private static List<JsonNode> alertingRules() {
        List<JsonNode> rules = new ArrayList<>();
        SwarmFiles.yaml(SwarmFiles.ALERTS).get("groups").forEach(group -> group.get("rules").forEach(rule -> {
            if (rule.has("alert")) {
                rules.add(rule);
            }
        }));
        return rules;
    }

    /** The receiver amtool routes these labels to, verified against the expected one. */
    private static String routesTest(Path config, String expected, List<String> labels) throws Exception {
        List<String> args = new ArrayList<>(List.of("config", "routes", "test", "--verify.receivers=" + expected,
                "--config.file=" + config));
        args.addAll(labels);
        return amtool(args.toArray(String[]::new)).strip();
    }

    private static String amtool(String... args) throws Exception {
        Process process = start(args);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("amtool %s said:%n%s", String.join(" ", args), output).isZero();
        return output;
    }

    private static int amtoolExit(String... args) throws Exception {
        Process process = start(args);
        process.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    /** amtool with stdout only: it warns on stderr that --config.file overrides --alertmanager.url. */
    private static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PrometheusRelease.amtool().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
