package io.github.tictactoe.metrics;

import com.sun.management.OperatingSystemMXBean;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.lang.management.ManagementFactory;

/**
 * {@code app_memory_limit_bytes}: the memory this process may use as the JVM sees it, the container's limit inside a
 * container, so dashboards can set resident memory against it without cAdvisor.
 */
public final class MemoryLimitMetric {

    private MemoryLimitMetric() {
    }

    public static void register(PrometheusRegistry registry) {
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        GaugeWithCallback.builder()
                .name("app_memory_limit_bytes")
                .help("Memory available to this process: the container's memory limit, else the machine's memory")
                .unit(Unit.BYTES)
                .callback(callback -> callback.call(os.getTotalMemorySize()))
                .register(registry);
    }
}
