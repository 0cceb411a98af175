package io.github.tictactoe.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The one change the tests make so that Prometheus 3.5, which they run, does what the shipped configuration asks of
 * the pinned 3.13: native histograms. 3.13 scrapes them when {@code scrape_native_histograms: true} is set (3.8 made
 * them stable, 3.9 made the feature flag a no-op); 3.5 refuses that setting ("field scrape_native_histograms not
 * found") and scrapes them only with {@code --enable-feature=native-histograms}, for every job. So the setting goes
 * out of the configuration and the flag onto the command line; nothing else changes (docs/testing.md).
 */
public final class Prometheus35 {

    /** The command-line flags 3.5 needs on top of the shipped ones. */
    public static final List<String> FLAGS = List.of("--enable-feature=native-histograms");
    static final String SETTING = "scrape_native_histograms";

    private static final YAMLMapper YAML = new YAMLMapper();

    private Prometheus35() {
    }

    /**
     * The shipped configuration (written for 3.13) as 3.5 takes it: without {@code scrape_native_histograms}. The
     * flag turns native histograms on for every job, so a configuration that turns them off anywhere, or on for only
     * some jobs, cannot be carried over and is refused.
     */
    public static String config(String shipped) {
        try {
            JsonNode root = YAML.readTree(shipped);
            JsonNode global = root.path("global");
            requireOn(global.get(SETTING), "global");
            if (global instanceof ObjectNode globalObject) {
                globalObject.remove(SETTING);
            }
            for (JsonNode job : root.path("scrape_configs")) {
                JsonNode perJob = job.get(SETTING);
                if (perJob != null) {
                    requireOn(perJob, "job " + job.path("job_name").asText());
                    ((ObjectNode) job).remove(SETTING);
                }
            }
            return YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireOn(JsonNode setting, String where) {
        if (setting == null || !setting.isBoolean() || !setting.booleanValue()) {
            throw new IllegalArgumentException(SETTING + " must be true in the " + where + " settings: Prometheus 3.5 "
                    + "can only turn native histograms on for every job, with " + FLAGS.get(0) + ", and the tests "
                    + "carry nothing else over (found " + setting + ")");
        }
    }
}
