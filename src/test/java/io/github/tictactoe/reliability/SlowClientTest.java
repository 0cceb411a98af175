package io.github.tictactoe.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow-loris clients: connections that send their headers a line at a time and never finish. They must not keep
 * other clients from being served, and the server must close them once the request deadline has passed.
 */
class SlowClientTest {

    private static final int DEADLINE_SECONDS = 2;
    private static final int SLOW_CLIENTS = 50;

    @RegisterExtension
    final TestServer server = new TestServer(Map.of("REQUEST_DEADLINE_SECONDS", String.valueOf(DEADLINE_SECONDS)),
            context -> { });

    @Test
    void slowHeadersBlockNobodyAndTheServerClosesThem() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            Socket socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(200);
            write(socket, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            slow.add(socket);
        }

        int served = 0;
        long start = System.nanoTime();
        long closedAfterMillis = -1;
        // Every 250 ms each slow client sends one more header line, so Jetty's idle timeout never fires.
        for (int round = 0; round < 4 * (2 * DEADLINE_SECONDS + 3) && closedAfterMillis < 0; round++) {
            for (Socket socket : slow) {
                if (!socket.isClosed()) {
                    try {
                        write(socket, "X-Slow-" + round + ": still coming\r\n");
                    } catch (IOException closedByServer) {
                        socket.close();
                    }
                }
            }
            assertThat(server.send(new HttpGet(server.uri("/healthz"))).status()).isEqualTo(200);
            served++;
            if (slow.stream().allMatch(SlowClientTest::closedByServer)) {
                closedAfterMillis = (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(250);
        }

        System.out.printf("slow clients: %d served normally meanwhile; all %d slow connections closed after %d ms%n",
                served, SLOW_CLIENTS, closedAfterMillis);
        assertThat(closedAfterMillis).as("every slow connection closed by the server").isPositive();
        assertThat(closedAfterMillis).isLessThan((2L * DEADLINE_SECONDS + 2) * 1000);
        assertThat(served).isPositive();
        for (Socket socket : slow) {
            socket.close();
        }
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** True once the server has closed the connection: a read ends or fails instead of waiting. */
    private static boolean closedByServer(Socket socket) {
        if (socket.isClosed()) {
            return true;
        }
        try {
            InputStream in = socket.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
