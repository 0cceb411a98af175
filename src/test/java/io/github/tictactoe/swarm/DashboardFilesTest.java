package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shape of the Grafana dashboards: queries, the provisioned datasource, variables and panel types. */
class DashboardFilesTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");
    /** A figure with its unit, such as 64m, 75% or 30 s; group 1 is the figure as a setting would write it. */
    private static final Pattern FIGURE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s?(%|m\\b|s\\b|ms\\b|MiB|MB)");
    private static final Pattern GROUPING = Pattern.compile("by \\(([^)]*)\\)");
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
        assertThat(defined).contains(file.equals(SwarmFiles.NODES_DASHBOARD) ? "node" : "replica");
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void panelIdsAreUniqueAndNoGcOrPoolNameIsWrittenLiterally(Path file) {
        JsonNode dashboard = SwarmFiles.json(file);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("panel id %s", panel.get("id")).isTrue();
        }
        // The collectors and pools a JVM reports change with heap size and CPU count; every generational collector
        // names its young allocation pool "... Eden Space", so eden is matched by a pattern, never by a full name.
        String text = SwarmFiles.read(file).replace("pool=~\\\".*Eden.*\\\"", "");
        assertThat(text).doesNotContain("G1 ", "Eden", "Survivor", "Old Gen", "PS ", "Copy", "MarkSweep",
                "Metaspace\"", "CodeHeap");
        assertThat(dashboard.get("uid").asText()).startsWith("tictactoe-");
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void everyPanelHasAUnitAndEveryQueryOfAPanelItsOwnLegend(Path file) {
        for (JsonNode panel : SwarmFiles.json(file).get("panels")) {
            String title = panel.get("title").asText();
            assertThat(panel.at("/fieldConfig/defaults/unit").asText()).as("unit of %s", title).isNotBlank();
            Set<String> legends = new HashSet<>();
            for (JsonNode target : panel.get("targets")) {
                String legend = target.path("legendFormat").asText();
                assertThat(legend.isEmpty() || legends.add(legend)).as("legend %s twice in %s", legend, title).isTrue();
            }
        }
    }

    /**
     * A gauge summed by replica adds the old and the new process of a slot during a start-first rolling update, and
     * draws one JVM twice its size; such queries keep the instance. Rates may add them: both served traffic.
     */
    @Test
    void gaugesAreNeverAddedAcrossTheProcessesOfOneReplica() {
        for (SwarmFiles.PanelQuery query : SwarmFiles.panelQueries()) {
            Matcher grouping = GROUPING.matcher(query.expr());
            while (!query.expr().contains("rate(") && grouping.find()) {
                List<String> labels = List.of(grouping.group(1).split(",\\s*"));
                if (labels.contains("replica")) {
                    assertThat(labels).as("%s: %s", query.panel(), grouping.group()).contains("instance");
                }
            }
        }
    }

    /**
     * Two node-exporter tasks on one node (a rolling update of the exporter) measure the same node: added up, they
     * would draw it twice, so the nodes dashboard keeps one (max) of each node's series.
     */
    @Test
    void nodeSeriesAreNeverAddedAcrossTheTasksOfOneNode() {
        for (SwarmFiles.PanelQuery query : SwarmFiles.panelQueries(List.of(SwarmFiles.NODES_DASHBOARD))) {
            assertThat(query.expr()).as(query.panel()).doesNotContain("sum by", "sum(");
        }
    }

    /** A join to an info series (the app's app_info, the node's node_uname_info) stays one-to-one. */
    @Test
    void joinsWithInfoSeriesCannotTurnManyToMany() {
        String appJoin = "group_left (replica) group by (instance, replica) (app_info{";
        String nodeJoin = "group_left (nodename) group by (instance, nodename) (node_uname_info{";
        for (SwarmFiles.PanelQuery query : SwarmFiles.panelQueries()) {
            if (query.expr().contains("group_left")) {
                assertThat(query.expr()).as(query.panel()).containsAnyOf(appJoin, nodeJoin)
                        .doesNotContain("group_left (replica) app_info", "group_left (nodename) node_uname_info");
            }
        }
    }

    /**
     * The request-duration histogram is stored as a native histogram only (prometheus.yml): its _bucket, _count and
     * _sum series do not exist, and a raw native histogram is a sample type that Grafana's time series panel does not
     * draw; Grafana's documentation turns it into floats with histogram_quantile, as these panels do.
     */
    @Test
    void latencyIsReadFromTheNativeHistogramAsQuantiles() {
        String nativeHistogram = "http_server_request_duration_seconds";
        List<String> expressions = new ArrayList<>(SwarmFiles.alertExpressions());
        SwarmFiles.panelQueries().forEach(query -> expressions.add(query.expr()));
        List<String> reading = expressions.stream().filter(expr -> expr.contains(nativeHistogram)).toList();

        assertThat(reading).as("the latency panel's three quantiles and the latency alert").hasSize(4);
        assertThat(reading).allSatisfy(expr -> assertThat(expr.strip())
                .startsWith("histogram_quantile(")
                .contains(nativeHistogram + "{job=\"tictactoe\"}")
                .doesNotContain(nativeHistogram + "_bucket", nativeHistogram + "_count", nativeHistogram + "_sum",
                        "by (le"));
    }

    /** A description quotes figures; each must be one the image or the stack really sets, unlike "75% of the limit". */
    @ParameterizedTest
    @MethodSource("dashboards")
    void descriptionsQuoteOnlyFiguresTheImageOrTheStackSets(Path file) {
        String setting = SwarmFiles.read(Path.of("Dockerfile")) + SwarmFiles.read(SwarmFiles.STACK);
        JsonNode dashboard = SwarmFiles.json(file);
        for (JsonNode panel : dashboard.get("panels")) {
            Matcher figures = FIGURE.matcher(panel.path("description").asText());
            while (figures.find()) {
                Pattern sameFigure = Pattern.compile("(?<![\\d.])" + Pattern.quote(figures.group(1)) + "(?![\\d.])");
                assertThat(sameFigure.matcher(setting).find())
                        .as("%s in the description of %s", figures.group(), panel.get("title").asText()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void dashboardsShareTheCrosshairAndLinkToEachOther(Path file) {
        JsonNode dashboard = SwarmFiles.json(file);
        assertThat(dashboard.path("graphTooltip").asInt()).as("shared crosshair").isEqualTo(1);
        assertThat(dashboard.get("tags")).extracting(JsonNode::asText).contains("tictactoe");
        JsonNode link = dashboard.get("links").get(0);
        assertThat(link.get("type").asText()).isEqualTo("dashboards");
        assertThat(link.get("tags").get(0).asText()).isEqualTo("tictactoe");
        assertThat(link.get("keepTime").asBoolean() && link.get("includeVars").asBoolean()).isTrue();
    }

    /** Prometheus' instant results carry a Time and a "Value #A" column that mean nothing in a table. */
    @ParameterizedTest
    @MethodSource("dashboards")
    void tablesHideTheTimeAndNameTheirColumns(Path file) {
        for (JsonNode panel : SwarmFiles.json(file).get("panels")) {
            if (panel.get("type").asText().equals("table")) {
                JsonNode organize = null;
                for (JsonNode transformation : panel.path("transformations")) {
                    if (transformation.get("id").asText().equals("organize")) {
                        organize = transformation.get("options");
                    }
                }
                String title = panel.get("title").asText();
                assertThat(organize).as("organize transformation of %s", title).isNotNull();
                assertThat(organize.at("/excludeByName/Time").asBoolean()).as("Time hidden in %s", title).isTrue();
                assertThat(organize.get("renameByName")).as("columns named in %s", title).isNotEmpty();
            }
        }
    }

    /**
     * Grafana 13 still provisions the Classic dashboard model from files and migrates it from schemaVersion 13 up
     * (apps/dashboard/pkg/migration/schemaversion, MIN_VERSION); a Kubernetes-style export (V1 or V2 Resource, with
     * apiVersion, kind and spec) is not what its file provider reads.
     */
    @ParameterizedTest
    @MethodSource("dashboards")
    void dashboardsAreClassicJsonThatGrafana13Migrates(Path file) {
        JsonNode dashboard = SwarmFiles.json(file);

        assertThat(dashboard.fieldNames()).toIterable().as("%s", file)
                .contains("uid", "title", "panels", "schemaVersion").doesNotContain("apiVersion", "kind", "spec",
                        "metadata");
        assertThat(dashboard.get("schemaVersion").asInt()).as("%s", file).isGreaterThanOrEqualTo(13);
    }

    /** Grafana 13 removed grafana-cli and grafana-server (the binary is "grafana"): nothing here may call them. */
    @Test
    void nothingCallsTheCommandsGrafana13Removed() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("Dockerfile")));
        for (Path folder : List.of(SwarmFiles.SWARM, Path.of("src/main"), Path.of("src/test/resources"))) {
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        for (Path file : files) {
            assertThat(Files.readString(file)).as("%s", file).doesNotContain("grafana-cli", "grafana-server");
        }
        assertThat(files).as("the stack, the image and the app").hasSizeGreaterThan(10);
    }

    @Test
    void dashboardsLandInAFolderWithAFixedUid() {
        JsonNode provider = SwarmFiles.yaml(SwarmFiles.SWARM.resolve("grafana/provisioning/dashboards.yml"))
                .get("providers").get(0);
        assertThat(provider.get("folderUid").asText()).isEqualTo("tictactoe");
    }
}
