package io.github.tictactoe;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import javax.management.MBeanServerFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.MemoryUtils;

/**
 * Run in a JVM of its own by {@link NoMBeanServerTest}: with {@code server}, builds, starts and stops the whole
 * server; with {@code jetty}, only lets Jetty work out its cache line itself. Then prints how many MBean servers exist
 * (the platform one is made through {@code MBeanServerFactory}) and the references per cache line Jetty uses.
 */
public final class StartupProbe {

    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("server")) {
            Server server = TicTacToeServer.newServer(AppConfig.from(Map.of("tictactoe.port", "0",
                    "tictactoe.host", "127.0.0.1"), Map.of()), new PrometheusRegistry());
            server.start();
            server.stop();
        }
        System.out.println("references per cache line: " + MemoryUtils.getReferencesPerCacheLine());
        System.out.println("mbean servers: " + MBeanServerFactory.findMBeanServer(null).size());
    }
}
