package io.github.tictactoe.tools.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.MetricValues;
import io.github.tictactoe.testing.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stack's traffic service against a real Jetty: whole games at every level and with two players, pages and
 * assets, bad moves and missing pages, and every answer the one it must be; nothing answering is counted as errors.
 */
class TrafficGeneratorTest {

    private static final double GAMES_PER_SECOND = 20;
    /** Short think times, so that a few seconds hold many games; the service's default is 800 ms. */
    private static final Duration MEAN_THINK = Duration.ofMillis(10);

    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void playsWholeGamesOfEveryKindAndGetsEveryAnswerItMust() throws Exception {
        TrafficCounters.Report report;
        try (TrafficGenerator generator = new TrafficGenerator(
                new TrafficSettings(server.uri(""), GAMES_PER_SECOND), MEAN_THINK)) {
            generator.start();
            Thread.sleep(6000);
            report = generator.takeReport();
        }
        MetricValues metrics = server.metrics();
        System.out.println("Traffic generator, 6 s at " + GAMES_PER_SECOND + " games/s: " + report);
        System.out.println("Games recorded by the server: " + metrics.counterSeries("tictactoe_games_total"));

        assertThat(report.errors()).as("%s", report).isZero();
        assertThat(report.gamesFinished()).isGreaterThan(50);
        assertThat(report.rejectedAsMeant()).isPositive();
        assertThat(metrics.counterSum("tictactoe_games_total")).isGreaterThanOrEqualTo(report.gamesFinished());
        for (String level : new String[] {"easy", "medium", "perfect"}) {
            assertThat(metrics.counterSum("tictactoe_games_total", "level", level)).as(level).isPositive();
        }
        assertThat(metrics.counterSum("tictactoe_games_total", "mode", "two-players")).isPositive();
        assertThat(metrics.counterSum("tictactoe_moves_total", "player", "computer")).isPositive();
        assertThat(metrics.counterSum("http_server_requests_total", "route", "/", "status", "200")).isPositive();
        assertThat(metrics.counterSum("http_server_requests_total", "route", "/*", "status", "200")).isPositive();
        assertThat(metrics.counterSum("http_server_requests_total", "route", "NOT_FOUND", "status", "404"))
                .as("/favicon.ico, as browsers ask").isPositive();
        assertThat(metrics.counterSum("http_server_requests_total", "route", "/api/move", "status", "400"))
                .as("moves onto a taken cell").isPositive();
        assertThat(metrics.counterSum("http_server_requests_total", "status", "500")).isZero();
    }

    @Test
    void countsEveryVisitThatGetsNoAnswerAsAnError() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        TrafficCounters.Report report;
        try (TrafficGenerator generator = new TrafficGenerator(
                new TrafficSettings(URI.create("http://127.0.0.1:" + port), GAMES_PER_SECOND), MEAN_THINK)) {
            generator.start();
            Thread.sleep(1000);
            report = generator.takeReport();
        }

        assertThat(report.errors()).isPositive();
        assertThat(report.requests()).isZero();
        assertThat(report.firstError()).contains("ConnectException", "127.0.0.1");
    }
}
