package io.github.tictactoe.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Prometheus35Test {

    private static final Path SHIPPED = Path.of("swarm/prometheus.yml");
    private static final YAMLMapper YAML = new YAMLMapper();

    /** Why the change exists: 3.5 refuses the setting the pinned 3.13 needs. */
    @Test
    void prometheus35RefusesTheShippedSetting(@TempDir Path folder) throws Exception {
        Path config = withRules(folder, Files.readString(SHIPPED));

        Promtool.Result check = Promtool.run("check", "config", config.toString());

        assertThat(check.exit()).as(check.output()).isNotZero();
        assertThat(check.output()).contains("field scrape_native_histograms not found");
    }

    @Test
    void prometheus35AcceptsTheConfigurationWithoutIt(@TempDir Path folder) throws Exception {
        Path config = withRules(folder, Prometheus35.config(Files.readString(SHIPPED)));

        assertThat(Promtool.ok("check", "config", config.toString())).contains("is valid prometheus config");
    }

    /** Nothing but the setting changes: the same tree with it taken out of the global settings. */
    @Test
    void onlyTheSettingIsTakenOut() throws Exception {
        String shipped = Files.readString(SHIPPED);
        ObjectNode expected = (ObjectNode) YAML.readTree(shipped);
        assertThat(((ObjectNode) expected.get("global")).remove(Prometheus35.SETTING).asBoolean())
                .as("the shipped configuration turns native histograms on for every job").isTrue();

        JsonNode converted = YAML.readTree(Prometheus35.config(shipped));

        assertThat(converted).isEqualTo(expected);
        assertThat(Prometheus35.FLAGS).containsExactly("--enable-feature=native-histograms");
    }

    /** 3.5's flag turns native histograms on for every job: a configuration that wants less cannot be carried over. */
    @Test
    void refusesWhatTheFlagCannotSay() {
        assertThatThrownBy(() -> Prometheus35.config("global:\n  scrape_native_histograms: false\n"))
                .hasMessageContaining("scrape_native_histograms must be true in the global settings");
        assertThatThrownBy(() -> Prometheus35.config("global:\n  scrape_interval: 15s\n"))
                .hasMessageContaining("found null");
        assertThatThrownBy(() -> Prometheus35.config("""
                global:
                  scrape_native_histograms: true
                scrape_configs:
                  - job_name: classic
                    scrape_native_histograms: false
                """)).hasMessageContaining("in the job classic settings");
    }

    private static Path withRules(Path folder, String config) throws Exception {
        Files.copy(Path.of("swarm/alerts.yml"), folder.resolve("alerts.yml"));
        return Files.writeString(folder.resolve("prometheus.yml"), config);
    }
}
