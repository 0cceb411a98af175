package io.github.tictactoe.metrics;

import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The {@code app_info{version, replica} 1} series, the same one the earlier Flask service exposed. */
public final class AppInfoMetric {

    private AppInfoMetric() {
    }

    public static void register(PrometheusRegistry registry, String version, String replica) {
        Info info = Info.builder()
                .name("app_info")
                .help("Version and replica name of this instance")
                .labelNames("version", "replica")
                .register(registry);
        info.setLabelValues(version, replica);
    }
}
