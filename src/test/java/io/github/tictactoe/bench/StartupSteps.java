package io.github.tictactoe.bench;

import io.github.tictactoe.AppConfig;
import io.github.tictactoe.metrics.JvmMetricsWithoutMBeanServer;
import io.github.tictactoe.server.TicTacToeServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * Times the steps of a start-up one by one, in a fresh JVM, so that the start-up target can be attacked where it costs:
 * each step pays for the classes it is the first to load, so the order matters and is the order of a real start.
 *
 * <p>Usage: {@code bench/startup-steps.sh}; prints one line per step in milliseconds.
 */
public final class StartupSteps {

    private StartupSteps() {
    }

    public static void main(String[] args) throws Exception {
        print("JVM start to main", ManagementFactory.getRuntimeMXBean().getUptime());
        long start = System.nanoTime();
        JvmMetricsWithoutMBeanServer.register(new PrometheusRegistry());
        start = step("JVM and process metrics registered", start);
        Class.forName("io.github.tictactoe.game.PerfectPlay", true, StartupSteps.class.getClassLoader());
        start = step("perfect-play table computed", start);
        Class.forName("io.github.tictactoe.web.MoveServlet", true, StartupSteps.class.getClassLoader());
        start = step("Jackson mapper and reader built (MoveServlet)", start);
        new ServletContextHandler("/");
        start = step("first Jetty servlet context created", start);
        AppConfig config = AppConfig.from(Map.of("tictactoe.port", "0", "tictactoe.host", "127.0.0.1",
                "tictactoe.replica", "steps"), Map.of());
        TicTacToeServer server = TicTacToeServer.create(config, new PrometheusRegistry());
        start = step("rest of TicTacToeServer.create", start);
        server.start();
        start = step("server.start()", start);
        firstRequest(server.uri().resolve("/healthz"));
        step("first GET /healthz answered (JDK's HttpURLConnection)", start);
        server.stop();
        print("total, JVM start to answered", ManagementFactory.getRuntimeMXBean().getUptime());
    }

    private static void firstRequest(URI uri) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try (InputStream body = connection.getInputStream()) {
            body.readAllBytes();
        }
        if (connection.getResponseCode() != 200) {
            throw new IllegalStateException(uri + " answered " + connection.getResponseCode());
        }
    }

    private static long step(String name, long start) {
        print(name, (System.nanoTime() - start) / 1_000_000);
        return System.nanoTime();
    }

    private static void print(String name, long millis) {
        System.out.printf("%-48s %6d ms%n", name, millis);
    }
}
