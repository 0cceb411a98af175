package io.github.tictactoe.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.tictactoe.prometheus.PrometheusApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the deployment files under {@code swarm/}: the stack, Prometheus' and Alertmanager's configuration and the
 * dashboards.
 */
final class SwarmFiles {

    static final Path SWARM = Path.of("swarm");
    static final Path STACK = SWARM.resolve("stack.yml");
    static final Path PROMETHEUS_CONFIG = SWARM.resolve("prometheus.yml");
    static final Path ALERTS = SWARM.resolve("alerts.yml");
    static final Path ALERT_TESTS = SWARM.resolve("alerts.test.yml");
    static final Path ALERTMANAGER_CONFIG = SWARM.resolve("alertmanager.yml");
    static final Path ALERTMANAGER_WEBHOOK_CONFIG = SWARM.resolve("alertmanager-webhook.yml");
    static final Path ALERTS_TO_WEBHOOK = SWARM.resolve("alerts-to-webhook.yml");
    static final Path DATASOURCE = SWARM.resolve("grafana/provisioning/datasource.yml");
    /** The dashboards of the app's replicas, which select them through a replica variable from app_info. */
    static final List<Path> APP_DASHBOARDS = List.of(
            SWARM.resolve("grafana/dashboards/service.json"), SWARM.resolve("grafana/dashboards/jvm.json"));
    /** The dashboard of the nodes, from node-exporter, which selects them through a node variable. */
    static final Path NODES_DASHBOARD = SWARM.resolve("grafana/dashboards/nodes.json");
    static final List<Path> DASHBOARDS = List.of(APP_DASHBOARDS.get(0), APP_DASHBOARDS.get(1), NODES_DASHBOARD);

    /**
     * A metric name directly before a selector that starts with its job: every query here selects with
     * {job="tictactoe"...} or {job="node"...}. Group 1 is the name, group 2 the job.
     */
    private static final Pattern SELECTED_METRIC = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{job=\"([a-z]+)\"");

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonMapper JSON = new JsonMapper();

    private SwarmFiles() {
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String toYaml(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One query of one dashboard panel. */
    record PanelQuery(String dashboard, String panel, String legend, String expr) {

        /** The query as Grafana would send it, with the replica and node variables set to all. */
        String resolved() {
            return expr.replace("$__rate_interval", rateInterval().toSeconds() + "s").replace("$replica", ".*")
                    .replace("$node", ".*");
        }
    }

    /**
     * {@code $__rate_interval} as Grafana computes it: max($__interval + scrape interval, 4 x scrape interval), the
     * scrape interval being the datasource's {@code timeInterval}. The dashboards open on one hour, which Grafana
     * splits into about 1,200 points, a $__interval of 3 s.
     */
    static Duration rateInterval() {
        String text = yaml(DATASOURCE).get("datasources").get(0).get("jsonData").get("timeInterval").asText();
        Duration scrape = Duration.ofSeconds(Long.parseLong(text.replaceFirst("s$", "")));
        Duration interval = Duration.ofHours(1).dividedBy(1200);
        Duration withInterval = interval.plus(scrape);
        Duration fourScrapes = scrape.multipliedBy(4);
        return withInterval.compareTo(fourScrapes) > 0 ? withInterval : fourScrapes;
    }

    /** The query of the panel with this title whose legend starts with {@code legend}. */
    static PanelQuery panelQuery(String panel, String legend) {
        return panelQueries().stream().filter(q -> q.panel().equals(panel) && q.legend().startsWith(legend))
                .findFirst().orElseThrow(() -> new AssertionError("no panel " + panel + " with legend " + legend));
    }

    /** The queries of every panel of every dashboard. */
    static List<PanelQuery> panelQueries() {
        return panelQueries(DASHBOARDS);
    }

    /** The queries of every panel of these dashboards. */
    static List<PanelQuery> panelQueries(List<Path> dashboards) {
        List<PanelQuery> queries = new ArrayList<>();
        for (Path file : dashboards) {
            JsonNode dashboard = json(file);
            for (JsonNode panel : dashboard.get("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new PanelQuery(dashboard.get("title").asText(), panel.get("title").asText(),
                            target.path("legendFormat").asText(), target.path("expr").asText()));
                }
            }
        }
        return queries;
    }

    /** Each panel of these dashboards (dashboard / title) whose query this Prometheus answers with no series now. */
    static Map<String, String> panelsWithoutData(PrometheusApi prometheus, List<Path> dashboards) throws IOException {
        Map<String, String> empty = new LinkedHashMap<>();
        for (PanelQuery query : panelQueries(dashboards)) {
            if (prometheus.query(query.resolved()).isEmpty()) {
                empty.put(query.dashboard() + " / " + query.panel(), query.resolved());
            }
        }
        return empty;
    }

    /** The alerting rules, without the recording rules beside them. */
    static List<JsonNode> alertRules() {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : yaml(ALERTS).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (rule.has("alert")) {
                    rules.add(rule);
                }
            }
        }
        return rules;
    }

    static List<String> alertExpressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode group : yaml(ALERTS).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                expressions.add(rule.get("expr").asText());
            }
        }
        return expressions;
    }

    /** The metric names that the dashboards and the alert rules select from this job. */
    static Set<String> metricNamesUsed(String job) {
        Set<String> names = new LinkedHashSet<>();
        List<String> expressions = new ArrayList<>(alertExpressions());
        panelQueries().forEach(query -> expressions.add(query.expr()));
        for (String expr : expressions) {
            Matcher matcher = SELECTED_METRIC.matcher(expr);
            while (matcher.find()) {
                if (matcher.group(2).equals(job)) {
                    names.add(matcher.group(1));
                }
            }
        }
        return names;
    }

    /**
     * swarm/prometheus.yml for a Prometheus of a test outside the stack: only these scrape jobs (their discovery is the
     * test's to replace), and no alerting section, as no Alertmanager runs beside it.
     */
    static ObjectNode prometheusConfigWithJobs(String... jobs) {
        ObjectNode config = (ObjectNode) yaml(PROMETHEUS_CONFIG);
        config.remove("alerting");
        ArrayNode kept = config.putArray("scrape_configs");
        for (JsonNode job : yaml(PROMETHEUS_CONFIG).get("scrape_configs")) {
            if (List.of(jobs).contains(job.get("job_name").asText())) {
                kept.add(job);
            }
        }
        if (kept.size() != jobs.length) {
            throw new AssertionError("not every job of " + List.of(jobs) + " is in " + PROMETHEUS_CONFIG);
        }
        return config;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
