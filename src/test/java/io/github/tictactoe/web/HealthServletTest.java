package io.github.tictactoe.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.testing.TestServer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HealthServletTest {

    @RegisterExtension
    final TestServer server = new TestServer();

    @ParameterizedTest
    @ValueSource(strings = {"/healthz", "/readyz"})
    void answersOkWhileRunning(String path) throws Exception {
        Reply reply = server.send(new HttpGet(server.uri(path)));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("text/plain;charset=utf-8");
        assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
        assertThat(reply.body()).isEqualTo("ok\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/healthz", "/readyz"})
    void answersHeadForProbesThatUseIt(String path) throws Exception {
        assertThat(server.send(new HttpHead(server.uri(path))).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/healthz", "/readyz"})
    void refusesPost(String path) throws Exception {
        assertThat(server.send(new HttpPost(server.uri(path))).status()).isEqualTo(405);
    }
}
