package io.github.tictactoe.server;

import io.github.tictactoe.AppConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import javax.management.MBeanServerFactory;
import org.eclipse.jetty.util.MemoryUtils;

/**
 * Run in a JVM of its own by {@link StartupFootprintTest}: with {@code server}, starts the whole server, plays one move
 * and stops; with {@code jetty}, only lets Jetty work out its cache line itself. Then prints how many MBean servers
 * exist (the platform one is made through {@code MBeanServerFactory}) and the references per cache line Jetty uses.
 */
public final class StartupProbe {

    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("server")) {
            TicTacToeServer server = TicTacToeServer.create(AppConfig.from(Map.of("tictactoe.port", "0",
                    "tictactoe.host", "127.0.0.1"), Map.of()), new PrometheusRegistry());
            server.start();
            try {
                System.out.println("move: " + move(server.uri().resolve("/api/move")));
            } finally {
                server.stop();
            }
        }
        System.out.println("references per cache line: " + MemoryUtils.getReferencesPerCacheLine());
        System.out.println("mbean servers: " + MBeanServerFactory.findMBeanServer(null).size());
    }

    private static int move(URI uri) throws Exception {
        // Not closed: HttpClient is AutoCloseable only from Java 21, and this JVM ends right after.
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"board\": \".........\", \"cell\": 4}")).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
