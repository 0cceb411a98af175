package io.github.tictactoe.bench;

import io.github.tictactoe.AppConfig;
import io.github.tictactoe.TicTacToeServer;
import io.github.tictactoe.metrics.MetricsFilter;
import io.github.tictactoe.web.SecurityHeadersFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletHandler;
import org.eclipse.jetty.server.Server;

/**
 * The shipped server with parts taken out, for benchmarks only: what a part costs is the difference to the whole.
 *
 * <p>Usage: {@code java -cp <test classpath> io.github.tictactoe.bench.AblatedServer [metrics] [access-log]
 * [security-headers]}, each argument naming a part to remove; settings as for the real jar.
 */
public final class AblatedServer {

    private static final Set<String> PARTS = Set.of("metrics", "access-log", "security-headers");

    private AblatedServer() {
    }

    public static void main(String[] args) throws Exception {
        Set<String> removed = Set.copyOf(Arrays.asList(args));
        if (!PARTS.containsAll(removed)) {
            System.err.println("Unknown part in " + removed + "; parts are " + PARTS);
            System.exit(2);
        }
        Server server = TicTacToeServer.newServer(AppConfig.fromSystem(), new PrometheusRegistry());
        if (removed.contains("access-log")) {
            server.setRequestLog(null);
        }
        ServletHandler servlets = server.getDescendant(ServletHandler.class);
        Set<String> removedFilters = removed.stream()
                .map(part -> switch (part) {
                    case "metrics" -> MetricsFilter.class.getName();
                    case "security-headers" -> SecurityHeadersFilter.class.getName();
                    default -> "";
                })
                .collect(Collectors.toSet());
        servlets.setFilterMappings(Arrays.stream(servlets.getFilterMappings())
                .filter(mapping -> !removedFilters.contains(filterClass(servlets, mapping)))
                .toArray(FilterMapping[]::new));
        server.start();
        System.err.println(removed.isEmpty()
                ? "Started with every part"
                : "Started without " + String.join(", ", removed));
        server.join();
    }

    private static String filterClass(ServletHandler servlets, FilterMapping mapping) {
        return servlets.getFilter(mapping.getFilterName()).getClassName();
    }
}
