package io.github.tictactoe.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.BuildInfo;
import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.testing.TestServer;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.eclipse.jetty.http.HttpField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GameServletTest {

    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void servesTheGamePageWithVersionAndReplica() throws Exception {
        Reply reply = server.send(new HttpGet(server.uri("/")));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(reply.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(reply.body())
                .contains("<title>Tic-tac-toe</title>", "data-cell=\"8\"")
                .contains("id=\"page-replica\">" + TestServer.REPLICA + "<")
                .contains("id=\"version\">" + BuildInfo.version() + "<")
                .contains("/css/app.css?v=" + BuildInfo.version(), "/js/app.js?v=" + BuildInfo.version())
                .doesNotContain("{{");
        assertThat(BuildInfo.version()).as("the version comes from the build").matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void revalidationWithThePagesETagGets304AndNoBody() throws Exception {
        Reply first = server.send(new HttpGet(server.uri("/")));
        String etag = first.header("ETag");
        assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");

        for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            HttpGet again = new HttpGet(server.uri("/"));
            again.setHeader("If-None-Match", ifNoneMatch);
            Reply reply = server.send(again);

            assertThat(reply.status()).as(ifNoneMatch).isEqualTo(304);
            assertThat(reply.bytes()).as(ifNoneMatch).isEmpty();
            assertThat(reply.header("ETag")).isEqualTo(etag);
        }
        HttpGet stale = new HttpGet(server.uri("/"));
        stale.setHeader("If-None-Match", "\"the-page-of-another-replica\"");
        assertThat(server.send(stale).body()).isEqualTo(first.body());
    }

    @Test
    void eachReplicaAndVersionHasItsOwnETag() {
        String template = "<p>{{version}} {{replica}}</p>";
        Set<String> etags = Stream.of(new GameServlet(template, "1.0.0", "tictactoe-1"),
                new GameServlet(template, "1.0.0", "tictactoe-2"), new GameServlet(template, "1.0.1", "tictactoe-1"))
                .map(GameServlet::etag).collect(Collectors.toSet());

        assertThat(etags).hasSize(3);
        assertThat(new GameServlet(template, "1.0.0", "tictactoe-1").etag())
                .isEqualTo(new GameServlet(template, "1.0.0", "tictactoe-1").etag());
    }

    @Test
    void thePageDescribesItselfForSearchEngines() throws Exception {
        assertThat(server.send(new HttpGet(server.uri("/"))).body())
                .containsPattern("<meta name=\"description\" content=\"[^\"]{50,160}\">");
    }

    @Test
    void indexHtmlIsTheRenderedPageNotTheTemplate() throws Exception {
        Reply root = server.send(new HttpGet(server.uri("/")));
        Reply index = server.send(new HttpGet(server.uri("/index.html")));

        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).isEqualTo(root.body());
    }

    @Test
    void pageCarriesTheSecurityHeadersAndNoServerVersion() throws Exception {
        Reply reply = server.send(new HttpGet(server.uri("/")));

        assertThat(reply.header("Content-Security-Policy"))
                .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "http:", "https:");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(reply.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(reply.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(reply.headers()).noneMatch(h -> h.getValue().toLowerCase().contains("jetty"));
    }

    @Test
    void headAnswersWithTheHeadersOfGetAndNoBody() throws Exception {
        Reply get = server.send(new HttpGet(server.uri("/")));
        Reply head = server.send(new HttpHead(server.uri("/")));

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(get.bytes().length));
        assertThat(head.bytes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE"})
    void refusesOtherMethodsWith405(String method) throws Exception {
        HttpUriRequestBase request = switch (method) {
            case "POST" -> new HttpPost(server.uri("/"));
            case "PUT" -> new HttpPut(server.uri("/"));
            default -> new HttpDelete(server.uri("/"));
        };

        assertThat(server.send(request).status()).isEqualTo(405);
    }

    @Test
    void refusesTrace() throws Exception {
        Reply reply = server.send(new HttpUriRequestBase("TRACE", server.uri("/")));

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.body()).doesNotContain("TRACE / HTTP");
    }

    @Test
    void errorPagesCarryTheSecurityHeadersAndNoServerVersion() throws Exception {
        Reply reply = server.send(new HttpGet(server.uri("/no-such-page")));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Security-Policy")).isEqualTo(SecurityHeaders.CONTENT_SECURITY_POLICY);
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(reply.body().toLowerCase()).doesNotContain("jetty", "12.1");
    }

    @Test
    void everyKindOfResponseCarriesEachSecurityHeaderOnce() throws Exception {
        HttpGet revalidation = new HttpGet(server.uri("/"));
        revalidation.setHeader("If-None-Match", server.send(new HttpGet(server.uri("/"))).header("ETag"));
        HttpPost badMove = new HttpPost(server.uri("/api/move"));
        badMove.setEntity(new StringEntity("{\"board\": 1}", ContentType.APPLICATION_JSON));
        List<HttpUriRequestBase> requests = List.of(new HttpGet(server.uri("/")), revalidation,
                new HttpGet(server.uri("/css/app.css")), new HttpGet(server.uri("/no-such-page")),
                new HttpPost(server.uri("/")), new HttpUriRequestBase("TRACE", server.uri("/")), badMove);

        for (HttpUriRequestBase request : requests) {
            Reply reply = server.send(request);
            for (HttpField field : SecurityHeaders.ALL) {
                assertThat(reply.headers()).as("%s %s (%d)", request.getMethod(), request.getPath(), reply.status())
                        .filteredOn(header -> header.getName().equalsIgnoreCase(field.getName()))
                        .extracting(Header::getValue).containsExactly(field.getValue());
            }
        }
    }
}
