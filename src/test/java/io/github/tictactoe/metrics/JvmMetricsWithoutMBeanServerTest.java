package io.github.tictactoe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.FreshJvm;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The JVM series are client_java's own, with the native-memory ones exactly when tracking is on. */
class JvmMetricsWithoutMBeanServerTest {

    private static final String NATIVE_MEMORY_SERIES = "jvm_native_memory_committed_bytes";

    @Test
    void registersTheSeriesOfClientJavasJvmMetrics() {
        PrometheusRegistry ours = new PrometheusRegistry();
        JvmMetricsWithoutMBeanServer.register(ours);
        PrometheusRegistry library = new PrometheusRegistry();
        JvmMetrics.builder().register(library);

        assertThat(names(ours)).isEqualTo(names(library))
                .contains("jvm_memory_used_bytes", "jvm_memory_pool_allocated_bytes", "process_cpu_seconds");
    }

    @Test
    void startsNoMBeanServerWhenNativeMemoryTrackingIsOff() throws Exception {
        List<String> probe = FreshJvm.run(JvmMetricsProbe.class, List.of());

        assertThat(probe)
                .contains("mbean servers: 0", "series: jvm_threads_current", "series: process_start_time_seconds")
                .doesNotContain("series: " + NATIVE_MEMORY_SERIES);
    }

    @Test
    void registersTheNativeMemorySeriesWhenTrackingIsOn() throws Exception {
        assertThat(FreshJvm.run(JvmMetricsProbe.class, List.of("-XX:NativeMemoryTracking=summary")))
                .contains("series: " + NATIVE_MEMORY_SERIES);
    }

    private static Set<String> names(PrometheusRegistry registry) {
        return registry.scrape().stream().map(snapshot -> snapshot.getMetadata().getPrometheusName())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
