package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.tictactoe.prometheus.PrometheusRelease;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alertmanager's configurations, checked by Alertmanager's own amtool: both valid, every alert of swarm/alerts.yml
 * routed to the receiver, the two files the same but for where notifications go, and the docs' receivers valid.
 */
class AlertmanagerConfigTest {

    private static final List<Path> CONFIGS = List.of(SwarmFiles.ALERTMANAGER_CONFIG,
            SwarmFiles.ALERTMANAGER_WEBHOOK_CONFIG);
    private static final Path MONITORING_DOCS = Path.of("docs/monitoring.md");
    private static final YAMLMapper YAML = new YAMLMapper();

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
        List<JsonNode> alerts = SwarmFiles.alertRules();
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
        List<String> names = SwarmFiles.alertRules().stream().map(rule -> rule.get("alert").asText()).toList();
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

    /** docs/monitoring.md's receivers (e-mail, two chat services), in the shipped routing: amtool accepts each. */
    @Test
    void amtoolAcceptsTheReceiversTheDocsShow(@TempDir Path folder) throws Exception {
        Matcher block = Pattern.compile("(?s)```yaml\n(receivers:\n.*?)```").matcher(SwarmFiles.read(MONITORING_DOCS));
        assertThat(block.find()).as("a yaml block of receivers in %s", MONITORING_DOCS).isTrue();
        JsonNode receivers = YAML.readTree(block.group(1)).get("receivers");
        assertThat(receivers).extracting(receiver -> receiver.get("name").asText())
                .containsExactly("email", "slack", "teams");
        for (JsonNode receiver : receivers) {
            ObjectNode config = (ObjectNode) SwarmFiles.yaml(SwarmFiles.ALERTMANAGER_CONFIG);
            config.putArray("receivers").add(receiver);
            ((ObjectNode) config.get("route")).put("receiver", receiver.get("name").asText());
            Path file = folder.resolve(receiver.get("name").asText() + ".yml");
            Files.writeString(file, SwarmFiles.toYaml(config));
            assertThat(amtool("check-config", file.toString())).as("%s", receiver).contains("SUCCESS");
        }
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
