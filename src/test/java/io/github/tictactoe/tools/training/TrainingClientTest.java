package io.github.tictactoe.tools.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The image's training run: every request it sends gets the status it expects from the real server, or it fails. */
class TrainingClientTest {

    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void everyTrainingRequestGetsItsStatusFromTheRealServer() throws Exception {
        assertThat(TrainingClient.run(server.uri("/"), Duration.ofSeconds(10))).isZero();
    }

    /** A service that never comes up fails the image build instead of leaving an archive of nothing. */
    @Test
    void failsWhenNothingAnswers() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }

        assertThat(TrainingClient.run(URI.create("http://127.0.0.1:" + port + "/"), Duration.ofMillis(300)))
                .isEqualTo(1);
    }
}
