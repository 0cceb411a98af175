package io.github.tictactoe.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import javax.management.MBeanServerFactory;

/**
 * Run in a JVM of its own by {@link JvmMetricsWithoutMBeanServerTest}: registers the JVM metrics, then prints how many
 * MBean servers exist (the platform one is made through {@code MBeanServerFactory}) and one line per series name.
 */
public final class JvmMetricsProbe {

    private JvmMetricsProbe() {
    }

    public static void main(String[] args) {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetricsWithoutMBeanServer.register(registry);
        System.out.println("mbean servers: " + MBeanServerFactory.findMBeanServer(null).size());
        registry.scrape().forEach(snapshot -> System.out.println(
                "series: " + snapshot.getMetadata().getPrometheusName()));
    }
}
