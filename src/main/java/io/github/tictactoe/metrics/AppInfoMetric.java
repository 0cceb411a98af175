package io.github.tictactoe.metrics;

import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The {@code app_info{version, replica, node} 1} series: the earlier Flask service's, plus the machine the replica runs
 * on, which the nodes dashboard joins to.
 */
public final class AppInfoMetric {

    private AppInfoMetric() {
    }

    public static void register(PrometheusRegistry registry, String version, String replica, String node) {
        Info info = Info.builder()
                .name("app_info")
                .help("Version and replica name of this instance, and the node it runs on")
                .labelNames("version", "replica", "node")
                .register(registry);
        info.setLabelValues(version, replica, node);
    }
}
