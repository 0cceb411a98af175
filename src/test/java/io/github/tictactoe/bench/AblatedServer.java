package io.github.tictactoe.bench;

import io.github.tictactoe.AppConfig;
import io.github.tictactoe.server.Part;
import io.github.tictactoe.server.TicTacToeServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Arrays;

/**
 * The shipped server with parts taken out, for benchmarks only: what a part costs is the difference to the whole.
 *
 * <p>Usage: {@code java -cp <test classpath> io.github.tictactoe.bench.AblatedServer [drain] [compression] [metrics]
 * [security-headers] [asset-cache] [access-log]}, each argument naming a part to remove; settings as for the real jar.
 */
public final class AblatedServer {

    private AblatedServer() {
    }

    public static void main(String[] args) throws Exception {
        Part[] removed;
        try {
            removed = Arrays.stream(args).map(Part::named).toArray(Part[]::new);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        TicTacToeServer server = TicTacToeServer.builder(AppConfig.fromSystem(), new PrometheusRegistry())
                .without(removed)
                .build();
        server.start();
        System.err.println(removed.length == 0
                ? "Started with every part"
                : "Started without " + String.join(", ", args));
        server.join();
    }
}
