package io.github.tictactoe.metrics;

import io.github.tictactoe.jvm.HotSpotFlags;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Registers the series of client_java's {@code JvmMetrics}, asking the platform MBean server only when it has
 * something to give: {@code JvmNativeMemoryMetrics} learns whether native memory tracking is on by invoking a
 * diagnostic command through that server, and building the server (every platform MBean, registered) costs start-up
 * time and memory (bench/RESULTS.md) for series that only exist under {@code -XX:NativeMemoryTracking}.
 */
public final class JvmMetricsWithoutMBeanServer {

    private JvmMetricsWithoutMBeanServer() {
    }

    /** Registers what {@code JvmMetrics.builder().register(registry)} would, in the same order. */
    public static void register(PrometheusRegistry registry) {
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryPoolAllocationMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        if (nativeMemoryTrackingMayBeOn()) {
            JvmNativeMemoryMetrics.builder().register(registry);
        }
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    /**
     * Reads the flag itself, which needs the HotSpot diagnostic bean but not the MBean server; on a JVM without that
     * flag, leaves the question to {@code JvmNativeMemoryMetrics}.
     */
    static boolean nativeMemoryTrackingMayBeOn() {
        return HotSpotFlags.value("NativeMemoryTracking").map(value -> !value.equals("off")).orElse(true);
    }
}
