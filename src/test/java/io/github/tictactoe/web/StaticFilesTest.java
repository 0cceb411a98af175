package io.github.tictactoe.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.BuildInfo;
import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.testing.TestServer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.eclipse.jetty.ee10.servlet.ResourceServlet;
import org.eclipse.jetty.ee10.servlet.ServletHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.content.CachingHttpContentFactory;
import org.eclipse.jetty.http.content.HttpContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StaticFilesTest {

    @RegisterExtension
    final TestServer server = new TestServer();

    @ParameterizedTest
    @CsvSource({
        "/css/app.css,           text/css,        --ink",
        "/js/app.js,             text/javascript, /api/move",
        "/images/favicon.svg,    image/svg+xml,   <svg",
    })
    void servesAssetsWithTheirContentTypeAndCacheHeaders(String path, String type, String content) throws Exception {
        Reply reply = server.send(new HttpGet(server.uri(path + "?v=1")));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith(type);
        assertThat(reply.body()).contains(content);
        assertThat(reply.header("ETag")).isNotBlank();
        assertThat(reply.header("Last-Modified")).isNotBlank();
        assertThat(reply.header("Cache-Control")).isEqualTo("public, max-age=3600");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    /** The page links its assets with ?v=<version>: those URLs never change content, so browsers keep them a year. */
    @ParameterizedTest
    @ValueSource(strings = {"/css/app.css", "/js/app.js", "/images/favicon.svg"})
    void assetsOfThisVersionAreImmutableForAYearOthersForAnHour(String path) throws Exception {
        Reply versioned = server.send(new HttpGet(server.uri(path + "?v=" + BuildInfo.version())));
        Reply head = server.send(new HttpHead(server.uri(path + "?v=" + BuildInfo.version())));
        Reply unversioned = server.send(new HttpGet(server.uri(path)));
        Reply otherVersion = server.send(new HttpGet(server.uri(path + "?v=0.0.1")));
        Reply moreInTheQuery = server.send(new HttpGet(server.uri(path + "?v=" + BuildInfo.version() + "&x=1")));

        assertThat(versioned.status()).isEqualTo(200);
        assertThat(versioned.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(head.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(unversioned.header("Cache-Control")).isEqualTo("public, max-age=3600");
        assertThat(otherVersion.header("Cache-Control")).isEqualTo("public, max-age=3600");
        assertThat(moreInTheQuery.header("Cache-Control")).as("not the URL the page links")
                .isEqualTo("public, max-age=3600");
    }

    @Test
    void aMissingAssetIsNotCachedEvenWithThisVersion() throws Exception {
        Reply reply = server.send(new HttpGet(server.uri("/css/missing.css?v=" + BuildInfo.version())));

        assertThat(reply.status()).isEqualTo(404);
        // The error page starts with fresh headers: Jetty's own, which forbid storing it.
        assertThat(reply.header("Cache-Control")).isEqualTo("must-revalidate,no-cache,no-store");
    }

    @Test
    void servesFilesFromABoundedCacheThatJunkPathsCannotGrow() throws Exception {
        server.send(new HttpGet(server.uri("/css/app.css")));
        CachingHttpContentFactory cache = staticFileCache();
        assertThat(cache.getCachedFiles()).as("the file just served is cached").isPositive();

        for (int i = 0; i < 500; i++) {
            assertThat(server.send(new HttpGet(server.uri("/junk/" + i + ".css"))).status()).isEqualTo(404);
        }

        assertThat(cache.getCachedFiles()).isLessThanOrEqualTo(cache.getMaxCachedFiles());
        assertThat(cache.getMaxCachedFiles()).isLessThan(500);
        assertThat(server.send(new HttpGet(server.uri("/css/app.css"))).body()).contains("--ink");
    }

    private CachingHttpContentFactory staticFileCache() throws Exception {
        ServletHolder holder = server.server().jetty().getDescendant(ServletHandler.class).getServlet("default");
        HttpContent.Factory factory = ((ResourceServlet) holder.getServlet()).getResourceService().getHttpContentFactory();
        assertThat(factory).as("Jetty's DefaultServlet caches only when asked to").isInstanceOf(CachingHttpContentFactory.class);
        return (CachingHttpContentFactory) factory;
    }

    @Test
    void revalidatesWithETagAs304() throws Exception {
        Reply first = server.send(new HttpGet(server.uri("/css/app.css")));
        HttpGet again = new HttpGet(server.uri("/css/app.css"));
        again.setHeader("If-None-Match", first.header("ETag"));

        Reply reply = server.send(again);

        assertThat(reply.status()).isEqualTo(304);
        assertThat(reply.bytes()).isEmpty();
    }

    @Test
    void revalidatesWithLastModifiedAs304() throws Exception {
        Reply first = server.send(new HttpGet(server.uri("/js/app.js")));
        HttpGet again = new HttpGet(server.uri("/js/app.js"));
        again.setHeader("If-Modified-Since", first.header("Last-Modified"));

        assertThat(server.send(again).status()).isEqualTo(304);
    }

    @Test
    void aChangedETagGetsTheFileAgain() throws Exception {
        HttpGet request = new HttpGet(server.uri("/css/app.css"));
        request.setHeader("If-None-Match", "\"something-else\"");

        assertThat(server.send(request).status()).isEqualTo(200);
    }

    @Test
    void listsNoDirectory() throws Exception {
        Reply folder = server.send(new HttpGet(server.uri("/css/")));
        Reply withoutSlash = server.send(new HttpGet(server.uri("/css")));

        assertThat(folder.status()).isEqualTo(403);
        assertThat(folder.body()).doesNotContain("app.css");
        assertThat(withoutSlash.status()).isEqualTo(302);
        assertThat(withoutSlash.header("Location")).endsWith("/css/");
    }

    @Test
    void answersAMissingFileWith404() throws Exception {
        assertThat(server.send(new HttpGet(server.uri("/css/missing.css"))).status()).isEqualTo(404);
    }

    @Test
    void refusesPostToAFile() throws Exception {
        assertThat(server.send(new HttpPost(server.uri("/css/app.css"))).status()).isEqualTo(405);
    }

    /**
     * Files outside the webapp folder sit next to it on the classpath (target/classes, or the jar's root): these
     * requests try to reach them. Jetty refuses each one outright with a 400, which also shows that the raw path
     * reached the server rather than one the client had normalised.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "/../io/github/tictactoe/build.properties",
        "/css/../../jetty-logging.properties",
        "/..%2fjetty-logging.properties",
        "/css/..%2f..%2fjetty-logging.properties",
        "/%2e%2e/jetty-logging.properties",
        "/css/%2e%2e/%2e%2e/jetty-logging.properties",
        "/css/%252e%252e/%252e%252e/jetty-logging.properties",
        "/css/..%5c..%5cjetty-logging.properties",
        "/%5c..%5cjetty-logging.properties",
        "/css/%c0%ae%c0%ae/jetty-logging.properties",
        "/css/app.css%00.properties",
        "//jetty-logging.properties",
        "//..//jetty-logging.properties",
        "/css//app.css",
    })
    void neverServesAFileOutsideTheWebapp(String path) throws Exception {
        Reply reply = server.send(new HttpGet(server.uri(path)));

        assertThat(reply.status()).as(path).isEqualTo(400);
        assertThat(reply.body()).as(path).doesNotContain("LEVEL", "version=");
    }
}
