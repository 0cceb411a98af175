package io.github.tictactoe.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompressionTest {

    @RegisterExtension
    final TestServer server = new TestServer();

    @ParameterizedTest
    @ValueSource(strings = {"/", "/css/app.css", "/js/app.js?v=1.0.0"})
    void gzipsTheTextOfThePageForAClientThatAcceptsIt(String path) throws Exception {
        Reply plain = server.send(new HttpGet(server.uri(path)));
        Reply gzipped = server.send(acceptingGzip(path));

        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gzipped.header("Vary")).containsIgnoringCase("Accept-Encoding");
        assertThat(gunzip(gzipped.bytes())).isEqualTo(plain.bytes());
        assertThat(gzipped.bytes().length).as("compressed size of %s", path).isLessThan(plain.bytes().length / 2);
        assertThat(gzipped.header("Cache-Control")).isEqualTo(plain.header("Cache-Control"));
    }

    @Test
    void leavesSmallResponsesAsTheyAre() throws Exception {
        Reply favicon = server.send(acceptingGzip("/images/favicon.svg"));
        HttpPost move = new HttpPost(server.uri("/api/move"));
        move.setHeader("Accept-Encoding", "gzip");
        move.setEntity(new StringEntity("{\"board\": \".........\", \"cell\": 4}", ContentType.APPLICATION_JSON));
        Reply moved = server.send(move);

        assertThat(favicon.bytes().length).isLessThan(1024);
        assertThat(favicon.header("Content-Encoding")).isNull();
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.header("Content-Encoding")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/css/app.css"})
    void theCompressedFormRevalidatesWithItsOwnETag(String path) throws Exception {
        Reply first = server.send(acceptingGzip(path));
        HttpGet again = acceptingGzip(path);
        again.setHeader("If-None-Match", first.header("ETag"));

        Reply reply = server.send(again);

        assertThat(first.header("ETag")).as("Jetty marks the ETag of the gzipped form").endsWith("--gzip\"");
        assertThat(reply.status()).isEqualTo(304);
        assertThat(reply.bytes()).isEmpty();
        assertThat(reply.header("ETag")).isEqualTo(first.header("ETag"));
    }

    @Test
    void theMetricsCountTheBytesTheApplicationWroteNotTheCompressedOnes() throws Exception {
        int pageBytes = server.send(new HttpGet(server.uri("/"))).bytes().length;
        server.send(acceptingGzip("/"));

        assertThat(server.metrics().histogramSum("http_server_response_size_bytes", "method", "GET", "route", "/"))
                .isEqualTo(2.0 * pageBytes);
    }

    private HttpGet acceptingGzip(String path) {
        HttpGet request = new HttpGet(server.uri(path));
        request.setHeader("Accept-Encoding", "gzip");
        return request;
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }
}
