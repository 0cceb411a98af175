package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shape of the Grafana dashboards: queries, the provisioned datasource, variables and panel types. */
class DashboardFilesTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");
    private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "table", "gauge", "bargauge");

    static Iterable<Path> dashboards() {
        return SwarmFiles.DASHBOARDS;
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void everyPanelQueriesTheProvisionedDatasource(Path file) {
        String uid = SwarmFiles.yaml(SwarmFiles.DATASOURCE).get("datasources").get(0).get("uid").asText();
        JsonNode dashboard = SwarmFiles.json(file);

        assertThat(SwarmFiles.read(file)).doesNotContain("${DS_", "__inputs");
        assertThat(dashboard.get("panels")).isNotEmpty();
        for (JsonNode panel : dashboard.get("panels")) {
            String title = panel.get("title").asText();
            assertThat(panel.get("type").asText()).as(title).isIn(PANEL_TYPES);
            assertThat(panel.get("datasource").get("uid").asText()).as(title).isEqualTo(uid);
            assertThat(panel.get("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.get("expr").asText()).as(title).isNotBlank();
                assertThat(target.get("datasource").get("uid").asText()).as(title).isEqualTo(uid);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void everyVariableAPanelUsesIsDefined(Path file) {
        JsonNode dashboard = SwarmFiles.json(file);
        Set<String> defined = new HashSet<>();
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            defined.add(variable.get("name").asText());
            assertThat(variable.get("datasource").get("uid").asText()).isEqualTo("prometheus");
        }

        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher matcher = VARIABLE.matcher(target.get("expr").asText());
                while (matcher.find()) {
                    String name = matcher.group(1);
                    // Grafana's own variables ($__rate_interval, $__interval) need no definition.
                    if (!name.startsWith("__")) {
                        assertThat(defined).as("variable $%s in %s", name, panel.get("title").asText()).contains(name);
                    }
                }
            }
        }
        assertThat(defined).contains("replica");
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void panelIdsAreUniqueAndNoGcOrPoolNameIsWrittenLiterally(Path file) {
        JsonNode dashboard = SwarmFiles.json(file);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("panel id %s", panel.get("id")).isTrue();
        }
        // The collectors and pools a JVM reports change with heap size and CPU count.
        assertThat(SwarmFiles.read(file)).doesNotContain("G1 ", "Eden", "Survivor", "Old Gen", "PS ", "Copy",
                "MarkSweep", "Metaspace\"", "CodeHeap");
        assertThat(dashboard.get("uid").asText()).startsWith("tictactoe-");
    }
}
