package io.github.tictactoe.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Prometheus' HTTP API as the tests ask it, whichever way the request travels (straight to a process of the test's
 * own, or through a container inside a stack's network): each answer parsed, and one whose status is not "success"
 * a failure that names the request.
 */
public final class PrometheusApi {

    private static final JsonMapper JSON = new JsonMapper();

    /** How a GET reaches Prometheus: a path, its query parameters in order, and the body that came back. */
    @FunctionalInterface
    public interface Transport {
        String get(String path, Map<String, String> parameters) throws IOException;
    }

    private final Transport transport;

    public PrometheusApi(Transport transport) {
        this.transport = transport;
    }

    /** A GET on the API with parameters (name, value, name, value, ...): the whole answer. */
    public JsonNode get(String path, String... parameters) throws IOException {
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i += 2) {
            named.put(parameters[i], parameters[i + 1]);
        }
        String body = transport.get(path, named);
        JsonNode answer = JSON.readTree(body);
        assertThat(answer.path("status").asText()).as("%s %s: %s", path, named, body).isEqualTo("success");
        return answer;
    }

    /** An instant query now: the result array. */
    public JsonNode query(String promql) throws IOException {
        return get("/api/v1/query", "query", promql).get("data").get("result");
    }

    /** An instant query at a time in epoch seconds: the result array. */
    public JsonNode query(String promql, double at) throws IOException {
        return get("/api/v1/query", "query", promql, "time", String.valueOf(at)).get("data").get("result");
    }

    /** A range query as Grafana sends a time series panel's: the result array. */
    public JsonNode queryRange(String promql, double start, double end, Duration step) throws IOException {
        return get("/api/v1/query_range", "query", promql, "start", String.valueOf(start), "end", String.valueOf(end),
                "step", String.valueOf(step.toSeconds())).get("data").get("result");
    }

    /** The active targets of a scrape job. */
    public List<JsonNode> targets(String job) throws IOException {
        List<JsonNode> targets = new ArrayList<>();
        for (JsonNode target : get("/api/v1/targets", "state", "active").get("data").get("activeTargets")) {
            if (target.get("labels").path("job").asText().equals(job)) {
                targets.add(target);
            }
        }
        return targets;
    }

    /** How many of a job's targets were up at their last scrape. */
    public long targetsUp(String job) throws IOException {
        return targets(job).stream().filter(target -> target.get("health").asText().equals("up")).count();
    }

    /** The state of the alert of this name (pending, firing), or "" while it is inactive. */
    public String alertState(String alertname) throws IOException {
        String state = "";
        for (JsonNode alert : get("/api/v1/alerts").get("data").get("alerts")) {
            if (alert.get("labels").get("alertname").asText().equals(alertname)) {
                state = alert.get("state").asText();
            }
        }
        return state;
    }

    /** Every rule whose last evaluation was not clean, with its health and error. */
    public List<String> unhealthyRules() throws IOException {
        List<String> unhealthy = new ArrayList<>();
        for (JsonNode group : get("/api/v1/rules").get("data").get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (!rule.get("health").asText().equals("ok")) {
                    unhealthy.add(rule.get("name").asText() + ": " + rule.get("health").asText() + " "
                            + rule.path("lastError").asText());
                }
            }
        }
        return unhealthy;
    }

    /** The names of every metric it has stored. */
    public Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        get("/api/v1/label/__name__/values").get("data").forEach(name -> names.add(name.asText()));
        return names;
    }
}
