package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tictactoe.prometheus.PrometheusApi;
import io.github.tictactoe.prometheus.PrometheusServer;
import io.github.tictactoe.testing.HeadlessChromium;
import io.github.tictactoe.testing.JarProcess;
import io.github.tictactoe.testing.TestServer;
import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.testing.Waiting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Three real jars on three loopback addresses, as three Swarm tasks, scraped by a real Prometheus 3.5 whose
 * configuration is swarm/prometheus.yml with only the service discovery replaced (and native histograms turned on by
 * flag, {@link io.github.tictactoe.prometheus.Prometheus35}). Every dashboard query and alert rule is checked against
 * what that Prometheus really stored. Debian 12's Prometheus 2.42 scrapes the same replicas for one thing only: the
 * pictures of its graph page, a web UI that Debian's 3.5 package leaves out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringIT {

    private static final List<String> HOSTS = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    private static final Duration DATA_LIMIT = Duration.ofSeconds(150);
    private static final JsonMapper JSON = new JsonMapper();

    /** Logs, configuration and data; JUnit deletes it after the last test. */
    @TempDir
    static Path work;
    private static final List<JarProcess> replicas = new ArrayList<>();
    private static PrometheusServer prometheus;
    private static PrometheusServer webUi;
    private static PrometheusApi api;
    private static CloseableHttpClient client;
    private static int appPort;

    @BeforeAll
    static void startReplicasAndPrometheus() throws Exception {
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

        writeTargets(HOSTS);
        Files.copy(SwarmFiles.ALERTS, work.resolve("alerts.yml"));
        int port = PrometheusServer.freePort();
        prometheus = PrometheusServer.start3(work, "prometheus", port,
                SwarmFiles.toYaml(withTestDiscovery(port)), work.resolve("data"));
        api = prometheus.api();
        int webUiPort = PrometheusServer.freePort();
        webUi = PrometheusServer.start2(work, "prometheus-2-web-ui", webUiPort,
                SwarmFiles.toYaml(withTestDiscovery(webUiPort)), work.resolve("data-2"));

        for (int i = 0; i < HOSTS.size(); i++) {
            playAndBrowse(base(HOSTS.get(i), appPort));
        }
    }

    @AfterAll
    static void stopEverything() throws IOException {
        replicas.forEach(JarProcess::close);
        if (prometheus != null) {
            prometheus.close();
        }
        if (webUi != null) {
            webUi.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    @Order(1)
    void everyPanelQueryReturnsDataAndEveryRuleEvaluates() throws Exception {
        Waiting.upTo(DATA_LIMIT, Duration.ofSeconds(3)).untilAsserted(() -> {
            Map<String, String> empty = SwarmFiles.panelsWithoutData(api, SwarmFiles.APP_DASHBOARDS);
            List<String> unhealthyRules = api.unhealthyRules();
            if (!empty.isEmpty() || !unhealthyRules.isEmpty()) {
                keepTrafficFlowing();
            }
            assertThat(empty).as("panels whose query returned nothing").isEmpty();
            assertThat(unhealthyRules).as("rules not evaluated cleanly").isEmpty();
        });

        assertThat(api.targetsUp("tictactoe")).as("targets up").isEqualTo(3);
        assertThat(value(api.query("count(app_info{job=\"tictactoe\"})").get(0))).isEqualTo(3);
    }

    @Test
    @Order(2)
    void everyMetricNameTheDashboardsAndAlertsUseIsScraped() throws Exception {
        Set<String> stored = api.metricNames();
        Set<String> used = SwarmFiles.metricNamesUsed("tictactoe");

        assertThat(used).contains("http_server_requests_total", "jvm_memory_used_bytes", "tictactoe_games_total",
                "app_info", "up");
        assertThat(stored).containsAll(used);
    }

    /**
     * Steady traffic whose truth the client knows, then each traffic panel as Grafana would query it at the end of a
     * rate window that holds only that traffic, compared with the truth. Rates within 15%: Prometheus extrapolates
     * a window of four scrapes to its edges. Quantiles within their bucket: Prometheus interpolates inside it, and
     * with 1-2.5-5 bounds an estimate is at most 2.5 times the truth.
     */
    @Test
    @Order(3)
    void trafficPanelsShowWhatTheClientSent() throws Exception {
        Duration window = SwarmFiles.rateInterval();
        double end;
        try (KnownTraffic traffic = KnownTraffic.start(HOSTS.stream().map(host -> base(host, appPort)).toList())) {
            Thread.sleep(window.plusSeconds(10).toMillis());
            end = now();
            double from = end - window.toSeconds();
            Truth truth = new Truth(traffic, from, end);

            for (int replica = 0; replica < 3; replica++) {
                int index = replica;
                assertRate("Request rate per replica", "", Map.of("replica", "tictactoe-" + (replica + 1)), end,
                        truth.rate(sent -> sent.replica() == index));
            }
            assertRate("Requests by route and status", "", Map.of("route", "/", "status", "200"), end,
                    truth.rate(sent -> sent.kind().equals("page")));
            assertRate("Requests by route and status", "", Map.of("route", "NOT_FOUND", "status", "404"), end,
                    truth.rate(sent -> sent.kind().equals("not-found")));
            assertRate("Requests by route and status", "", Map.of("route", "/", "status", "501"), end,
                    truth.rate(sent -> sent.kind().equals("unknown-method")));
            double errorRatio = truth.count(sent -> sent.status() == 501) / truth.count(sent -> true);
            double errorPanel = panelValue("Error ratio (5xx)", "", Map.of(), end);
            System.out.printf("Error ratio (5xx): panel %.4f, truth %.4f%n", errorPanel, errorRatio);
            assertThat(errorPanel).isCloseTo(errorRatio, withinPercentage(15));
            assertRate("Games finished per minute", "", Map.of("mode", "two-players", "outcome", "x-wins"), end,
                    truth.rate(sent -> sent.kind().equals("game-move")) / 5 * 60);
            assertRate("Moves per second", "", Map.of("player", "human"), end,
                    truth.rate(sent -> sent.kind().endsWith("move")));
            assertRate("Moves per second", "", Map.of("player", "computer"), end,
                    truth.rate(sent -> sent.kind().equals("slow-move")));
            assertLatencies(truth, end);
        }
        assertThat(panelValue("Replicas up", "", Map.of(), now())).isEqualTo(3);
    }

    /** The JVM panels against figures the test set or the operating system reports. */
    @Test
    @Order(4)
    void memoryPanelsShowEachProcessAsTheJvmAndTheKernelSeeIt() throws Exception {
        List<JsonNode> heapMax = panel("Heap used, committed and max", "{{replica}} {{instance}} max", now());
        assertThat(heapMax).hasSize(3).allSatisfy(series -> assertThat(value(series)).as("-Xmx32m of %s",
                series.get("metric")).isEqualTo(32.0 * 1024 * 1024));
        for (int i = 0; i < HOSTS.size(); i++) {
            long resident = residentBytes(replicas.get(i).process().pid());
            JsonNode series = only(panel("Resident memory and container limit", "{{replica}} {{instance}} resident",
                    now()), Map.of("replica", "tictactoe-" + (i + 1)));
            System.out.printf("Resident memory of tictactoe-%d: panel %.1f MiB, VmRSS %.1f MiB%n", i + 1,
                    value(series) / (1 << 20), resident / (double) (1 << 20));
            assertThat(value(series)).as("resident bytes of tictactoe-%d, the kernel says %d", i + 1, resident)
                    .isCloseTo(resident, withinPercentage(30));
        }
    }

    /**
     * A start-first rolling update runs the old and the new task of a slot side by side, with the same replica and
     * two addresses: no per-process panel may add them up, and the version table shows both.
     */
    @Test
    @Order(5)
    void twoProcessesOfOneReplicaAreShownSideBySideNotAdded() throws Exception {
        String newTask = "127.0.0.5";
        try (JarProcess second = JarProcess.start("replica-1-new", Map.of("PORT", String.valueOf(appPort),
                "HOST", newTask, "REPLICA", "tictactoe-1"), List.of("-Xmx32m"), work)) {
            second.awaitHealthy(base(newTask, appPort), client);
            List<String> hosts = new ArrayList<>(HOSTS);
            hosts.add(newTask);
            writeTargets(hosts);
            Waiting.upTo(Duration.ofSeconds(60), Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(panel("Heap used, committed and max", "{{replica}} {{instance}} max", now()).stream()
                            .filter(series -> series.get("metric").get("replica").asText().equals("tictactoe-1")))
                            .as("tictactoe-1's two processes").hasSize(2)
                            .allSatisfy(series -> assertThat(value(series)).isEqualTo(32.0 * 1024 * 1024)));
            assertThat(panel("Version per replica", "", now()).stream()
                    .filter(series -> series.get("metric").get("replica").asText().equals("tictactoe-1")))
                    .as("version rows of tictactoe-1").hasSize(2);
        } finally {
            writeTargets(HOSTS);
        }
    }

    @Test
    @Order(6)
    void stoppingAReplicaMakesTheReplicaAlertPending() throws Exception {
        JarProcess stopped = replicas.get(2);
        stopped.terminate();
        assertThat(stopped.waitFor(Duration.ofSeconds(30))).isTrue();

        Waiting.upTo(Duration.ofSeconds(90), Duration.ofSeconds(2)).untilAsserted(() -> {
            keepTrafficFlowing();
            assertThat(api.alertState("TicTacToeReplicasMissing")).as("TicTacToeReplicasMissing")
                    .isIn("pending", "firing");
        });
        assertThat(api.alertState("TicTacToeDown")).as("the other two still serve").isEmpty();
        assertThat(panelValue("Replicas up", "", Map.of(), now())).isEqualTo(2);
    }

    /**
     * Not a check: the picture of the request-rate panel that the README and docs/monitoring.md show, taken after the
     * runs above, in the graph page of Prometheus 2.42 (Debian's 3.5 has no web UI), which scraped the same replicas. With
     * {@code -Dmonitoring.demoSeconds=N} the traffic goes on for N more seconds first, for a fuller graph.
     */
    @Test
    @Order(7)
    void savesPicturesOfTheRequestRateAndHeapPanels() throws Exception {
        long demoSeconds = Long.getLong("monitoring.demoSeconds", 0);
        long demoEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(demoSeconds);
        while (System.nanoTime() < demoEnd) {
            keepTrafficFlowing();
            Thread.sleep(1000);
        }
        Map<String, String> pictures = Map.of(
                "prometheus-request-rate.png", SwarmFiles.panelQuery("Request rate per replica", "").resolved(),
                "prometheus-heap.png",
                SwarmFiles.panelQuery("Heap used, committed and max", "{{replica}} {{instance}} used").resolved());
        ChromeDriver browser = HeadlessChromium.start();
        try {
            Path screenshots = Files.createDirectories(Path.of("target", "screenshots"));
            for (Map.Entry<String, String> picture : pictures.entrySet()) {
                browser.get(webUi.uri() + "/classic/graph?g0.expr="
                        + URLEncoder.encode(picture.getValue(), StandardCharsets.UTF_8)
                        + "&g0.tab=0&g0.range_input=" + (demoSeconds > 0 ? "10m" : "5m"));
                Thread.sleep(3000); // the classic UI draws the graph after its query returns
                Path file = screenshots.resolve(picture.getKey());
                Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
                assertThat(file).isNotEmptyFile();
            }
        } finally {
            browser.quit();
        }
    }

    /** count() of no target is no series; the panel must still say 0, and the outage alert go pending. */
    @Test
    @Order(8)
    void withEveryReplicaStoppedReplicasUpReadsZero() throws Exception {
        for (JarProcess replica : replicas) {
            replica.terminate();
        }
        for (JarProcess replica : replicas) {
            assertThat(replica.waitFor(Duration.ofSeconds(30))).isTrue();
        }
        Waiting.upTo(Duration.ofSeconds(90), Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(api.alertState("TicTacToeDown")).as("TicTacToeDown").isIn("pending", "firing"));
        assertThat(panelValue("Replicas up", "", Map.of(), now())).isZero();
    }

    /** What the client sent within one rate window. */
    private static final class Truth {
        private final List<KnownTraffic.Sent> sent;
        private final double seconds;

        Truth(KnownTraffic traffic, double from, double to) {
            this.sent = traffic.sent(from, to, any -> true);
            this.seconds = to - from;
        }

        double count(Predicate<KnownTraffic.Sent> matching) {
            return sent.stream().filter(matching).count();
        }

        double rate(Predicate<KnownTraffic.Sent> matching) {
            return count(matching) / seconds;
        }

        /** The client's latency quantile of the requests that match: the server's is never longer. */
        double clientQuantile(double quantile, Predicate<KnownTraffic.Sent> matching) {
            double[] durations = sent.stream().filter(matching).mapToDouble(KnownTraffic.Sent::seconds).sorted()
                    .toArray();
            return durations[(int) Math.min(durations.length - 1, Math.floor(quantile * durations.length))];
        }
    }

    private static void assertLatencies(Truth truth, double at) throws IOException {
        Predicate<KnownTraffic.Sent> slow = sent -> sent.kind().equals("slow-move");
        double slowShare = truth.count(slow) / truth.count(sent -> true);
        double slowest = truth.clientQuantile(1, slow);
        assertThat(slowShare).as("share of slow moves, which p99 must fall among").isGreaterThan(0.01);
        assertThat(slowest).as("the slowest slow move: else this machine measures itself").isLessThan(0.5);

        double p50 = panelValue("Latency p50, p95, p99", "p50", Map.of(), at);
        double p95 = panelValue("Latency p50, p95, p99", "p95", Map.of(), at);
        double p99 = panelValue("Latency p50, p95, p99", "p99", Map.of(), at);
        double fastP50 = truth.clientQuantile(0.5, slow.negate());
        double fastP97 = truth.clientQuantile(0.97, slow.negate());
        System.out.printf("Latency panel p50 %.6f s, p95 %.6f s, p99 %.3f s; client: fast p50 %.6f s, fast p97 %.6f s, "
                + "slow moves %.1f%% of requests, the slowest %.3f s%n", p50, p95, p99, fastP50, fastP97,
                slowShare * 100, slowest);
        assertThat(p50).as("p50, the client measured %s s", fastP50).isPositive().isLessThanOrEqualTo(2.5 * fastP50);
        assertThat(p95).as("p95, the client's 97th percentile of fast requests %s s", fastP97)
                .isPositive().isLessThanOrEqualTo(Math.max(2.5 * fastP97, 0.00005)).isLessThan(0.25);
        assertThat(p99).as("p99 among the slow moves (%s s to %s s)", KnownTraffic.SLOW_BODY, slowest)
                .isBetween(0.25, 0.5);
    }

    private static void assertRate(String panel, String legend, Map<String, String> labels, double at, double truth)
            throws IOException {
        assertThat(truth).as("known rate for %s %s", panel, labels).isPositive();
        double shown = panelValue(panel, legend, labels, at);
        System.out.printf("%s %s: panel %.3f, truth %.3f (%+.1f%%)%n", panel, labels, shown, truth,
                (shown / truth - 1) * 100);
        assertThat(shown).as("%s %s", panel, labels).isCloseTo(truth, withinPercentage(15));
    }

    /** The value of the one series of a panel's query whose labels include {@code labels}. */
    private static double panelValue(String panel, String legend, Map<String, String> labels, double at)
            throws IOException {
        return value(only(panel(panel, legend, at), labels));
    }

    private static List<JsonNode> panel(String panel, String legend, double at) throws IOException {
        List<JsonNode> series = new ArrayList<>();
        api.query(SwarmFiles.panelQuery(panel, legend).resolved(), at).forEach(series::add);
        return series;
    }

    private static JsonNode only(List<JsonNode> series, Map<String, String> labels) {
        List<JsonNode> matching = series.stream().filter(s -> labels.entrySet().stream()
                .allMatch(label -> label.getValue().equals(s.get("metric").path(label.getKey()).asText()))).toList();
        assertThat(matching).as("series with %s among %s", labels, series).hasSize(1);
        return matching.get(0);
    }

    private static double value(JsonNode series) {
        return Double.parseDouble(series.get("value").get(1).asText());
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static long residentBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new AssertionError("no VmRSS for process " + pid);
    }

    /** Uneven traffic on the replicas still running, so rates differ between them as behind a real mesh. */
    private static void keepTrafficFlowing() throws IOException {
        for (int i = 0; i < replicas.size(); i++) {
            if (replicas.get(i).process().isAlive()) {
                for (int request = 0; request < 10 * (i + 1); request++) {
                    TestServer.send(client, new HttpGet(base(HOSTS.get(i), appPort).resolve("/")));
                }
                // A move against the computer, so the think-time panel has data within its rate window.
                answer(move(base(HOSTS.get(i), appPort), "{\"board\": \".........\", \"cell\": 4}"));
            }
        }
    }

    /**
     * swarm/prometheus.yml with each job's discovery replaced: the replicas come from a file that the test rewrites
     * as tasks come and go (Prometheus watches it), Prometheus itself from its address here, without the login.
     */
    private static JsonNode withTestDiscovery(int prometheusPort) {
        // No node-exporter here: the nodes dashboard is tested on the stacks (SwarmStackIT, MultiNodeSwarmIT).
        ObjectNode config = SwarmFiles.prometheusConfigWithJobs("tictactoe", "prometheus");
        for (JsonNode job : config.get("scrape_configs")) {
            ObjectNode scrape = (ObjectNode) job;
            if (scrape.get("job_name").asText().equals("tictactoe")) {
                assertThat(scrape.remove("dns_sd_configs")).as("the stack discovers replicas through DNS").isNotNull();
                ObjectNode files = scrape.putArray("file_sd_configs").addObject();
                files.putArray("files").add(work.resolve("targets.json").toString());
                files.put("refresh_interval", "5s");
            } else {
                // This Prometheus runs without the stack's --web.config.file, so its scrape of itself needs no login.
                assertThat(scrape.remove("basic_auth")).as("the stack's Prometheus scrapes itself logged in")
                        .isNotNull();
                scrape.remove("static_configs");
                scrape.putArray("static_configs").addObject().putArray("targets").add("127.0.0.1:" + prometheusPort);
            }
        }
        return config;
    }

    /** The replicas Prometheus finds, as a file_sd file: what DNS would list for tasks.tictactoe. */
    private static void writeTargets(List<String> hosts) throws IOException {
        ArrayNode groups = JSON.createArrayNode();
        ArrayNode targets = groups.addObject().putArray("targets");
        hosts.forEach(host -> targets.add(host + ":" + appPort));
        Path file = work.resolve("targets.json");
        Path next = work.resolve("targets.json.next");
        Files.writeString(next, JSON.writeValueAsString(groups));
        // Renamed into place, so Prometheus never reads half a file.
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
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
