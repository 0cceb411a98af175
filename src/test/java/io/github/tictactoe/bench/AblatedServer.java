package io.github.tictactoe.bench;

import io.github.tictactoe.AppConfig;
import io.github.tictactoe.TicTacToeServer;
import io.github.tictactoe.metrics.MetricsFilter;
import io.github.tictactoe.web.AssetCacheFilter;
import io.github.tictactoe.web.SecurityHeadersFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * The shipped server with parts taken out, for benchmarks only: what a part costs is the difference to the whole.
 *
 * <p>Usage: {@code java -cp <test classpath> io.github.tictactoe.bench.AblatedServer [drain] [compression] [metrics]
 * [security-headers] [asset-cache] [access-log]}, each argument naming a part to remove; settings as for the real jar.
 */
public final class AblatedServer {

    private static final Set<String> PARTS =
            Set.of("drain", "compression", "metrics", "security-headers", "asset-cache", "access-log");

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
        if (removed.contains("compression")) {
            unwrap(server.getDescendant(CompressionHandler.class));
        }
        if (removed.contains("drain")) {
            // The drain handler is the outermost one (TicTacToeServer.newServer).
            unwrap((Handler.Wrapper) server.getHandler());
        }
        ServletHandler servlets = server.getDescendant(ServletHandler.class);
        Set<String> removedFilters = removed.stream()
                .map(part -> switch (part) {
                    case "metrics" -> MetricsFilter.class.getName();
                    case "security-headers" -> SecurityHeadersFilter.class.getName();
                    case "asset-cache" -> AssetCacheFilter.class.getName();
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

    /** Takes a wrapper out of the handler tree, its child taking its place. */
    private static void unwrap(Handler.Wrapper wrapper) {
        Server server = wrapper.getServer();
        Handler child = wrapper.getHandler();
        wrapper.setHandler((Handler) null);
        if (server.getHandler() == wrapper) {
            server.setHandler(child);
        } else {
            server.getContainer(wrapper, Handler.Wrapper.class).setHandler(child);
        }
    }

    private static String filterClass(ServletHandler servlets, FilterMapping mapping) {
        return servlets.getFilter(mapping.getFilterName()).getClassName();
    }
}
