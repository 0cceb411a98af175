package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tictactoe.ExternalTool;
import io.github.tictactoe.HeadlessChromium;
import io.github.tictactoe.JarProcess;
import io.github.tictactoe.TestServer;
import io.github.tictactoe.TestServer.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Three real jars on three loopback addresses, as three Swarm tasks, scraped by a real Prometheus whose configuration
 * is swarm/prometheus.yml with only the service discovery replaced. Every dashboard query and alert rule is checked
 * against what that Prometheus really stored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringIT {

    private static final List<String> HOSTS = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    private static final Duration DATA_LIMIT = Duration.ofSeconds(150);
    private static final JsonMapper JSON = new JsonMapper();

    private static Path work;
    private static final List<JarProcess> replicas = new ArrayList<>();
    private static Process prometheus;
    private static URI prometheusUri;
    private static CloseableHttpClient client;
    private static int appPort;

    @BeforeAll
    static void startReplicasAndPrometheus() throws Exception {
        Path binary = ExternalTool.require("prometheus", "prometheus");
        work = Files.createTempDirectory("monitoring-it");
        client = TestServer.newClient();
        appPort = portFreeOnEveryHost();
        for (int i = 0; i < HOSTS.size(); i++) {
            // A small heap makes the collectors run within the test, so the GC and allocation panels have data.
            JarProcess jar = JarProcess.start("replica-" + (i + 1), Map.of("PORT", String.valueOf(appPort),
                    "HOST", HOSTS.get(i), "REPLICA", "tictactoe-" + (i + 1)), List.of("-Xmx32m"), work);
            replicas.add(jar);
        }
        for (int i = 0; i < HOSTS.size(); i++) {
            replicas.get(i).awaitHealthy(base(HOSTS.get(i), appPort), client);
        }

        int prometheusPort = freePort();
        prometheusUri = URI.create("http://127.0.0.1:" + prometheusPort);
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, SwarmFiles.toYaml(withStaticTargets(appPort, prometheusPort)));
        Files.copy(SwarmFiles.ALERTS, work.resolve("alerts.yml"));
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        awaitReady();

        for (int i = 0; i < HOSTS.size(); i++) {
            playAndBrowse(base(HOSTS.get(i), appPort));
        }
    }

    @AfterAll
    static void stopEverything() throws IOException {
        replicas.forEach(JarProcess::close);
        if (prometheus != null) {
            prometheus.destroy();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    @Order(1)
    void everyPanelQueryReturnsDataAndEveryRuleEvaluates() throws Exception {
        Map<String, String> empty = new LinkedHashMap<>();
        List<String> unhealthyRules = new ArrayList<>();
        long deadline = System.nanoTime() + DATA_LIMIT.toNanos();
        do {
            empty.clear();
            for (SwarmFiles.PanelQuery query : SwarmFiles.panelQueries()) {
                JsonNode answer = query(query.resolved());
                assertThat(answer.get("status").asText()).as("%s: %s", query.panel(), answer).isEqualTo("success");
                if (answer.get("data").get("result").isEmpty()) {
                    empty.put(query.dashboard() + " / " + query.panel(), query.resolved());
                }
            }
            unhealthyRules = unhealthyRules();
            if (empty.isEmpty() && unhealthyRules.isEmpty()) {
                break;
            }
            keepTrafficFlowing();
            Thread.sleep(3000);
        } while (System.nanoTime() < deadline);

        assertThat(targetsUp()).as("targets up").isEqualTo(3);
        assertThat(empty).as("panels whose query returned nothing").isEmpty();
        assertThat(unhealthyRules).as("rules not evaluated cleanly").isEmpty();
        assertThat(query("count(app_info{job=\"tictactoe\"})").get("data").get("result").get(0).get("value").get(1)
                .asText()).isEqualTo("3");
    }

    @Test
    @Order(2)
    void everyMetricNameTheDashboardsAndAlertsUseIsScraped() throws Exception {
        Set<String> stored = new TreeSet<>();
        JSON.readTree(get("/api/v1/label/__name__/values")).get("data").forEach(name -> stored.add(name.asText()));
        Set<String> used = SwarmFiles.metricNamesUsed();

        assertThat(used).contains("http_server_requests_total", "jvm_memory_used_bytes", "tictactoe_games_total",
                "app_info", "up");
        assertThat(stored).containsAll(used);
    }

    @Test
    @Order(3)
    void stoppingAReplicaMakesTheReplicaAlertPending() throws Exception {
        JarProcess stopped = replicas.get(2);
        stopped.terminate();
        assertThat(stopped.waitFor(Duration.ofSeconds(30))).isTrue();

        String state = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && !state.equals("pending") && !state.equals("firing")) {
            keepTrafficFlowing();
            Thread.sleep(2000);
            state = alertState("TicTacToeReplicasMissing");
        }
        assertThat(state).isIn("pending", "firing");
        assertThat(alertState("TicTacToeDown")).as("the other two still serve").isEmpty();
    }

    /**
     * Not a check: the picture of the request-rate panel that the README shows, taken after the runs above. With
     * {@code -Dmonitoring.demoSeconds=N} the traffic goes on for N more seconds first, for a fuller graph.
     */
    @Test
    @Order(4)
    void savesAPictureOfTheRequestRatePanel() throws Exception {
        long demoSeconds = Long.getLong("monitoring.demoSeconds", 0);
        long demoEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(demoSeconds);
        while (System.nanoTime() < demoEnd) {
            keepTrafficFlowing();
            Thread.sleep(1000);
        }
        String expr = SwarmFiles.panelQueries().stream().filter(q -> q.panel().equals("Request rate per replica"))
                .findFirst().orElseThrow().resolved();
        ChromeDriver browser = HeadlessChromium.start();
        try {
            browser.get(prometheusUri + "/classic/graph?g0.expr=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                    + "&g0.tab=0&g0.range_input=" + (demoSeconds > 0 ? "5m" : "1m"));
            Thread.sleep(3000); // the classic UI draws the graph after its query returns
            Path screenshots = Files.createDirectories(Path.of("target", "screenshots"));
            Path picture = screenshots.resolve("prometheus-request-rate.png");
            Files.write(picture, browser.getScreenshotAs(OutputType.BYTES));
            assertThat(picture).isNotEmptyFile();
        } finally {
            browser.quit();
        }
    }

    /** Uneven traffic on the replicas still running, so rates differ between them as behind a real mesh. */
    private static void keepTrafficFlowing() throws IOException {
        for (int i = 0; i < replicas.size(); i++) {
            if (replicas.get(i).process().isAlive()) {
                for (int request = 0; request < 10 * (i + 1); request++) {
                    TestServer.send(client, new HttpGet(base(HOSTS.get(i), appPort).resolve("/")));
                }
            }
        }
    }

    /** swarm/prometheus.yml with each job's discovery replaced by the addresses of this test. */
    private static JsonNode withStaticTargets(int appPort, int prometheusPort) {
        ObjectNode config = (ObjectNode) SwarmFiles.yaml(SwarmFiles.PROMETHEUS_CONFIG);
        for (JsonNode job : config.get("scrape_configs")) {
            ObjectNode scrape = (ObjectNode) job;
            ArrayNode targets = JSON.createArrayNode();
            if (scrape.get("job_name").asText().equals("tictactoe")) {
                assertThat(scrape.remove("dns_sd_configs")).as("the stack discovers replicas through DNS").isNotNull();
                HOSTS.forEach(host -> targets.add(host + ":" + appPort));
            } else {
                scrape.remove("static_configs");
                targets.add("127.0.0.1:" + prometheusPort);
            }
            scrape.putArray("static_configs").addObject().set("targets", targets);
        }
        return config;
    }

    /** Pages, assets, 404s, bad moves and whole games on one replica. */
    private static void playAndBrowse(URI base) throws IOException {
        for (int i = 0; i < 20; i++) {
            TestServer.send(client, new HttpGet(base.resolve("/")));
            TestServer.send(client, new HttpGet(base.resolve("/css/app.css")));
            TestServer.send(client, new HttpGet(base.resolve("/no-such-page-" + i)));
            assertThat(move(base, "{\"board\": \"X........\", \"cell\": 0}").status()).isEqualTo(400);
        }
        for (int game = 0; game < 3; game++) {
            String board = ".........";
            for (int cell : new int[] {0, 3, 1, 4, 2}) {
                board = answer(move(base, "{\"board\": \"" + board + "\", \"cell\": " + cell
                        + ", \"mode\": \"two-players\"}")).get("board").asText();
            }
            JsonNode answer = null;
            board = ".........";
            while (answer == null || answer.get("status").asText().equals("in-progress")) {
                answer = answer(move(base, "{\"board\": \"" + board + "\", \"cell\": " + board.indexOf('.') + "}"));
                board = answer.get("board").asText();
            }
        }
    }

    private static Reply move(URI base, String body) throws IOException {
        HttpPost post = new HttpPost(base.resolve("/api/move"));
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        return TestServer.send(client, post);
    }

    private static JsonNode answer(Reply reply) throws IOException {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return JSON.readTree(reply.bytes());
    }

    private static List<String> unhealthyRules() throws IOException {
        List<String> unhealthy = new ArrayList<>();
        for (JsonNode group : JSON.readTree(get("/api/v1/rules")).get("data").get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (!rule.get("health").asText().equals("ok")) {
                    unhealthy.add(rule.get("name").asText() + ": " + rule.get("health").asText() + " "
                            + rule.path("lastError").asText());
                }
            }
        }
        return unhealthy;
    }

    private static String alertState(String name) throws IOException {
        for (JsonNode alert : JSON.readTree(get("/api/v1/alerts")).get("data").get("alerts")) {
            if (alert.get("labels").get("alertname").asText().equals(name)) {
                return alert.get("state").asText();
            }
        }
        return "";
    }

    private static int targetsUp() throws IOException {
        int up = 0;
        for (JsonNode target : JSON.readTree(get("/api/v1/targets")).get("data").get("activeTargets")) {
            if (target.get("labels").get("job").asText().equals("tictactoe") && target.get("health").asText().equals("up")) {
                up++;
            }
        }
        return up;
    }

    private static JsonNode query(String promql) throws IOException {
        return JSON.readTree(get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    }

    private static String get(String pathAndQuery) throws IOException {
        Reply reply = TestServer.send(client, new HttpGet(prometheusUri + pathAndQuery));
        return reply.body();
    }

    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(prometheus.isAlive()).as("prometheus runs; log:%n%s",
                    Files.readString(work.resolve("prometheus.log"))).isTrue();
            try {
                if (TestServer.send(client, new HttpGet(prometheusUri + "/-/ready")).status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // retried until the deadline
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus not ready within 60 s");
    }

    private static URI base(String host, int port) {
        return URI.create("http://" + host + ":" + port);
    }

    private static int portFreeOnEveryHost() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = freePort();
            if (HOSTS.stream().allMatch(host -> canBind(host, port))) {
                return port;
            }
        }
        throw new AssertionError("no port free on all of " + HOSTS);
    }

    private static boolean canBind(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
