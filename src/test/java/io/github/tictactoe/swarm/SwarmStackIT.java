package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.tictactoe.docker.AlertReceiver;
import io.github.tictactoe.docker.Command;
import io.github.tictactoe.docker.DockerEngine;
import io.github.tictactoe.docker.Player;
import io.github.tictactoe.docker.SwarmStack;
import io.github.tictactoe.docker.Testbed;
import io.github.tictactoe.docker.TestbedExtension;
import io.github.tictactoe.prometheus.PrometheusApi;
import io.github.tictactoe.testing.Waiting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stack as a user deploys it, on a one-node swarm of the tests' own engine: the real image, the real stack file,
 * Prometheus reading its Swarm configs, rolling updates, a rollback, a killed task, an outage that Alertmanager tells a
 * webhook of, and a changed configuration, with a client in the stack's network counting every request that does not
 * get its answer.
 *
 * <p>Why the tests share one stack, in order, and cannot run alone: the first deploys without the secrets (so it needs
 * a swarm where none exist yet), the second creates them and deploys, and every later one works on that stack and
 * leaves it as it found it, three healthy replicas of {@link #deployed}. A stack and a swarm of their own for each of
 * them would add a deploy and Prometheus' first scrapes and rule evaluations to each, minutes on a CI run that is
 * already the project's tightest budget. A test that leaves the stack broken therefore fails the ones after it too:
 * read the first failure. To run one test, select it with the first two, e.g.
 * {@code -Dit.test='SwarmStackIT#deployWithout*+deploysThree*+rollingUpdate*'}.
 */
@ExtendWith(TestbedExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmStackIT {

    private static final Duration CONVERGE_LIMIT = Duration.ofMinutes(3);
    private static final Pattern APP_INFO = Pattern.compile(
            "app_info\\{node=\"[^\"]+\",replica=\"([^\"]+)\",version=\"([^\"]+)\"}");

    private static Testbed testbed;
    private static DockerEngine engine;
    private static SwarmStack stack;
    private static PrometheusApi prometheus;
    private static AlertReceiver receiver;
    private static String version;
    /** The tag the stack runs at the moment. */
    private static String deployed;

    @BeforeAll
    static void startSwarm(Testbed shared) throws IOException {
        testbed = shared;
        engine = shared.engine();
        version = Testbed.defaultVersion();
        shared.appImage(version);
        stack = SwarmStack.onNewSwarm(shared);
        prometheus = stack.prometheusApi();
    }

    @AfterAll
    static void removeStackAndSwarm() {
        if (stack != null) {
            stack.close();
            engine.docker("swarm", "leave", "--force");
        }
    }

    /** docs/deployment.md says to create the secrets first; without them nothing runs, and `docker stack rm` clears up. */
    @Test
    @Order(1)
    void deployWithoutTheSecretsFailsNamingOneAndStackRmLeavesNothing() throws Exception {
        Command.Result deploy = stack.deploy(SwarmFiles.SWARM, version);

        assertThat(deploy.ok()).as("%s", deploy).isFalse();
        assertThat(deploy.stderr())
                .containsPattern("secret not found: (grafana_admin_password|prometheus_(password|web_config))");
        assertThat(engine.dockerOk("service", "ls", "-q")).as("no service was created").isEmpty();

        engine.dockerOk("stack", "rm", SwarmStack.NAME);
        Waiting.upTo(Duration.ofSeconds(30), Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(leftovers()).as("networks and configs of the failed deploy").isEmpty());
    }

    @Test
    @Order(2)
    void deploysThreeHealthyReplicasThatPrometheusFindsThroughItsSwarmConfigs() throws Exception {
        stack.createSecrets();
        stack.sendAlertsTo(AlertReceiver.URL);
        long start = System.nanoTime();
        stack.deploy(SwarmFiles.SWARM, version).orFail();
        deployed = version;
        double healthy = stack.awaitRunning(SwarmStack.APP, 3, CONVERGE_LIMIT);
        System.out.printf("Deploy to 3/3 healthy replicas: %.1f s (awaited from the deploy's return: %.1f s)%n",
                (System.nanoTime() - start) / 1e9, healthy);
        assertThat(engine.dockerOk("ps", "--filter", "label=com.docker.swarm.service.name=" + SwarmStack.APP,
                "--format", "{{.Status}}").lines()).as("a task runs once its healthcheck passed").hasSize(3)
                .allMatch(status -> status.endsWith("(healthy)"));
        stack.awaitRunning(SwarmStack.ALERTMANAGER, 1, CONVERGE_LIMIT);
        stack.awaitRunning(SwarmStack.NODE_EXPORTER, 1, CONVERGE_LIMIT);
        assertThat(engine.dockerOk("service", "ls", "--format", "{{.Name}} {{.Replicas}}")).contains(
                SwarmStack.APP + " 3/3", SwarmStack.PROMETHEUS + " 1/1", SwarmStack.ALERTMANAGER + " 1/1",
                SwarmStack.NODE_EXPORTER + " 1/1", SwarmStack.NAME + "_grafana 0/0");

        stack.startClient();
        receiver = stack.startAlertReceiver();
        awaitPrometheusReady();
        JsonNode flags = prometheus.get("/api/v1/status/flags").get("data");
        assertThat(flags.get("config.file").asText()).isEqualTo("/etc/prometheus/prometheus.yml");
        String config = prometheus.get("/api/v1/status/config").get("data").get("yaml").asText();
        assertThat(config).as("the configuration from the Swarm config")
                .contains("tasks.tictactoe", "stack: tictactoe");

        Map<String, String> targets = awaitTargets(3);
        System.out.println("tictactoe targets: " + targets);
        assertThat(targets.values()).as("health of each target").containsOnly("up");

        Set<String> rulesLoaded = new TreeSet<>();
        List<String> unhealthy = new ArrayList<>();
        for (JsonNode group : prometheus.get("/api/v1/rules").get("data").get("groups")) {
            assertThat(group.get("file").asText()).isEqualTo("/etc/prometheus/alerts.yml");
            for (JsonNode rule : group.get("rules")) {
                rulesLoaded.add(rule.get("name").asText());
                if (!rule.get("health").asText().matches("ok|unknown")) {
                    unhealthy.add(rule.get("name").asText() + ": " + rule.path("lastError").asText());
                }
            }
        }
        assertThat(rulesLoaded).isEqualTo(ruleNames());
        assertThat(unhealthy).isEmpty();

        // node-exporter's one task (one node), scraped as the replicas are, knows the node's host name.
        String nodeName = engine.dockerOk("info", "--format", "{{.Name}}");
        JsonNode uname = awaitSeries("node_uname_info{job=\"node\"}");
        System.out.println("node-exporter: " + uname);
        assertThat(uname).hasSize(1);
        assertThat(uname.get(0).at("/metric/nodename").asText()).isEqualTo(nodeName);

        // Prometheus finds Alertmanager's task through tasks.alertmanager, as it finds the replicas.
        JsonNode alertmanagers = awaitActiveAlertmanagers();
        System.out.println("Prometheus sends alerts to: " + alertmanagers);
        assertThat(alertmanagers).hasSize(1);
        assertThat(alertmanagers.get(0).get("url").asText()).matches("http://[0-9.]+:9093/api/v2/alerts");

        Map<String, String> versions = new TreeMap<>();
        for (JsonNode series : prometheus.query("app_info{job=\"tictactoe\"}")) {
            versions.put(series.get("metric").get("replica").asText(), series.get("metric").get("version").asText());
        }
        assertThat(versions).isEqualTo(Map.of("tictactoe-1", version, "tictactoe-2", version, "tictactoe-3", version));
    }

    /** Every page and API call of Prometheus needs the login from its secret; its own scrape logs in as well. */
    @Test
    @Order(3)
    void prometheusAnswersOnlyWithItsLoginAndStillScrapesItselfAndTheReplicas() throws Exception {
        for (String path : List.of("/", "/api/v1/query?query=up", "/api/v1/targets")) {
            int without = stack.prometheusStatus(path, null, null);
            int wrong = stack.prometheusStatus(path, SwarmStack.PROMETHEUS_USER, "not-the-password");
            int right = stack.prometheusStatus(path, SwarmStack.PROMETHEUS_USER, SwarmStack.PROMETHEUS_PASSWORD);
            System.out.printf("Prometheus %s: %d without a login, %d with a wrong password, %d with the login%n",
                    path, without, wrong, right);
            // "/" redirects to the web UI (302), which Debian's 3.5 stand-in lacks; the API answers 200.
            assertThat(List.of(without, wrong, right)).as(path)
                    .containsExactly(401, 401, path.equals("/") ? 302 : 200);
        }

        Waiting.upTo(Duration.ofSeconds(60), Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(prometheus.query("up{job=\"prometheus\"} == 1"))
                        .as("Prometheus' scrape of itself, logged in").hasSize(1));
        assertThat(prometheus.query("up{job=\"tictactoe\"} == 1")).as("the replicas").hasSize(3);
        assertThat(prometheus.query("tictactoe:replicas:desired").get(0).get("value").get(1).asText())
                .as("a recording rule evaluated").isEqualTo("3");
    }

    /**
     * Alertmanager asks for Prometheus' login on every page and API call, and its receiver reads the webhook URL from
     * the secret: the URL is in no configuration it shows.
     */
    @Test
    @Order(4)
    void alertmanagerAnswersOnlyWithTheLoginAndReadsTheWebhookUrlFromItsSecret() throws Exception {
        for (String path : List.of("/", "/api/v2/status", "/api/v2/alerts", "/-/ready")) {
            int without = stack.status("alertmanager:9093", path, null, null);
            int wrong = stack.status("alertmanager:9093", path, SwarmStack.PROMETHEUS_USER, "not-the-password");
            int right = stack.status("alertmanager:9093", path, SwarmStack.PROMETHEUS_USER,
                    SwarmStack.PROMETHEUS_PASSWORD);
            System.out.printf("Alertmanager %s: %d without a login, %d with a wrong password, %d with the login%n",
                    path, without, wrong, right);
            assertThat(List.of(without, wrong, right)).as(path).containsExactly(401, 401, 200);
        }
        JsonNode status = stack.alertmanager("/api/v2/status");
        String config = status.at("/config/original").asText();
        assertThat(config).as("the loaded configuration").contains("url_file: /run/secrets/alertmanager_webhook_url",
                "receiver: webhook").doesNotContain(AlertReceiver.URL);
        assertThat(status.at("/cluster/status").asText()).as("no cluster: one replica").isEqualTo("disabled");
        String container = stack.containers(SwarmStack.ALERTMANAGER).get(0);
        assertThat(engine.dockerOk("exec", container, "cat", "/run/secrets/alertmanager_webhook_url"))
                .isEqualTo(AlertReceiver.URL);
    }

    /**
     * The app, Prometheus, Alertmanager and node-exporter as the stack runs them: no capability, their own user,
     * nothing writable but a tmpfs or the data volume. The stand-ins are Debian's binaries laid out as prom/prometheus,
     * prom/alertmanager and prom/node-exporter (same user, paths).
     */
    @Test
    @Order(5)
    void tasksRunWithoutCapabilitiesAsTheirUserOnAReadOnlyRootFileSystem() throws IOException {
        String app = stack.containers(SwarmStack.APP).get(0);
        assertThat(privileges(app))
                .containsExactlyInAnyOrder("CapEff:\t0000000000000000", "Uid:\t10001\t10001\t10001\t10001");
        // The app's image has bash and no touch or rm: the file is made by a redirection and left in the tmpfs.
        Map<String, Boolean> appWrites = writable(app, List.of("bash", "-c", ": > \"$1\""), "/", "/app",
                "/opt/java/openjdk", "/tmp");
        System.out.println("App task, writable: " + appWrites);
        assertThat(appWrites)
                .isEqualTo(Map.of("/", false, "/app", false, "/opt/java/openjdk", false, "/tmp", true));

        String prometheus = stack.containers(SwarmStack.PROMETHEUS).get(0);
        assertThat(privileges(prometheus))
                .containsExactlyInAnyOrder("CapEff:\t0000000000000000", "Uid:\t65534\t65534\t65534\t65534");
        Map<String, Boolean> prometheusWrites = writable(prometheus, List.of("sh", "-c", "touch \"$1\" && rm \"$1\""),
                "/", "/etc/prometheus", "/tmp", "/prometheus");
        System.out.println("Prometheus task, writable: " + prometheusWrites);
        assertThat(prometheusWrites)
                .isEqualTo(Map.of("/", false, "/etc/prometheus", false, "/tmp", false, "/prometheus", true));

        String alertmanager = stack.containers(SwarmStack.ALERTMANAGER).get(0);
        assertThat(privileges(alertmanager))
                .containsExactlyInAnyOrder("CapEff:\t0000000000000000", "Uid:\t65534\t65534\t65534\t65534");
        Map<String, Boolean> alertmanagerWrites = writable(alertmanager,
                List.of("sh", "-c", "touch \"$1\" && rm \"$1\""), "/", "/etc/alertmanager", "/tmp", "/alertmanager");
        System.out.println("Alertmanager task, writable: " + alertmanagerWrites);
        assertThat(alertmanagerWrites)
                .isEqualTo(Map.of("/", false, "/etc/alertmanager", false, "/tmp", false, "/alertmanager", true));

        // node-exporter reads the node's /proc, /sys and / and can write none of them, nor its own root. Below the
        // node's /, a file system mounted on its own and writable by all (/dev/shm) is read-only only where the engine
        // makes read-only binds recursive, from Docker 25 (docs/security.md); the tests' engine is Debian's 20.10.
        String nodeExporter = stack.containers(SwarmStack.NODE_EXPORTER).get(0);
        assertThat(privileges(nodeExporter))
                .containsExactlyInAnyOrder("CapEff:\t0000000000000000", "Uid:\t65534\t65534\t65534\t65534");
        Map<String, Boolean> nodeExporterWrites = writable(nodeExporter,
                List.of("sh", "-c", "touch \"$1\" && rm \"$1\""), "/", "/host/root", "/host/root/tmp", "/host/sys",
                "/host/root/dev/shm", "/tmp");
        int engineMajor = Integer.parseInt(engine.dockerOk("version", "--format", "{{.Server.Version}}")
                .split("\\.")[0]);
        System.out.println("node-exporter task, writable: " + nodeExporterWrites + " (engine " + engineMajor + ")");
        assertThat(nodeExporterWrites).isEqualTo(Map.of("/", false, "/host/root", false, "/host/root/tmp", false,
                "/host/sys", false, "/host/root/dev/shm", engineMajor < 25, "/tmp", true));
    }

    @Test
    @Order(6)
    void everyPanelQueryOfBothDashboardsReturnsDataFromThisPrometheus() throws Exception {
        Player player = stack.play(Duration.ofMinutes(5));
        long start = System.nanoTime();
        Player.Result played;
        try {
            Waiting.upTo(Duration.ofMinutes(4), Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(SwarmFiles.panelsWithoutData(prometheus, SwarmFiles.DASHBOARDS))
                            .as("panels whose query returned nothing").isEmpty());
        } finally {
            played = player.stop();
        }
        System.out.printf("Every panel had data after %.0f s of play; the player: %s%n",
                (System.nanoTime() - start) / 1e9, played);

        assertThat(played.failed()).as("%s", played).isZero();
    }

    /** One task at a time, start-first: the client sees no failure, and versions change one replica at a time. */
    @Test
    @Order(7)
    void rollingUpdateToANewTagLosesNoRequest() throws Exception {
        String next = version + "-next";
        testbed.appImage(next);
        Player player = stack.play(Duration.ofMinutes(6));
        Thread.sleep(2000);

        long start = System.nanoTime();
        Instant updateStarted = Instant.now();
        stack.deploy(SwarmFiles.SWARM, next).orFail();
        List<Map<String, Set<String>>> observed = new ArrayList<>();
        // Back to back: every look at the replicas' versions between two is one more moment checked.
        String state = Waiting.upTo(Duration.ofMinutes(5), Duration.ofMillis(1)).alias("the update completed")
                .until(() -> {
                    observed.add(versionsByReplica(stack.appInfoOfEveryTask()));
                    String now = stack.updateState(SwarmStack.APP);
                    assertThat(now).as("the update neither pauses nor rolls back").isIn("updating", "completed");
                    return now;
                }, "completed"::equals);
        double seconds = (System.nanoTime() - start) / 1e9;
        stack.awaitRunning(SwarmStack.APP, 3, CONVERGE_LIMIT);
        Player.Result played = player.stop();
        deployed = next;
        System.out.printf("Rolling update %s -> %s: %.0f s to \"completed\"; the player: %s%n", version, next, seconds,
                played);
        System.out.println("Versions per replica, as seen on every task during the update: " + distinct(observed));

        assertThat(state).isEqualTo("completed");
        assertThat(played.requests()).isGreaterThan(100);
        assertThat(played.failed()).as("%s", played).isZero();
        assertOneReplicaAtATime(observed, next);
        assertNothingFiredOrWasSentSince(updateStarted, "the rolling update");
        // The replaced tasks drained and exited by themselves, on their read-only root file system, without a kill.
        List<String> exits = engine.dockerOk("ps", "-a", "--filter", "status=exited", "--filter",
                "label=com.docker.swarm.service.name=" + SwarmStack.APP, "--format", "{{.Status}}").lines().toList();
        System.out.println("Replaced tasks: " + exits);
        assertThat(exits).hasSize(3).allMatch(status -> status.startsWith("Exited (0)"));
        assertThat(versionsByReplica(stack.appInfoOfEveryTask())).isEqualTo(Map.of("tictactoe-1", Set.of(next),
                "tictactoe-2", Set.of(next), "tictactoe-3", Set.of(next)));
    }

    /** An image whose healthcheck never passes (it listens on the wrong address) is rolled back by Swarm itself. */
    @Test
    @Order(8)
    void brokenImageIsRolledBackAutomaticallyWithoutLosingARequest() throws Exception {
        String broken = testbed.buildFrom("tttapp:broken", "FROM tttapp:" + deployed + "\n"
                + "# Listens on 127.0.0.2 only: the process runs, the healthcheck on 127.0.0.1 never passes.\n"
                + "ENV HOST=127.0.0.2\n");
        Player player = stack.play(Duration.ofMinutes(6));
        Thread.sleep(2000);

        long start = System.nanoTime();
        stack.deploy(SwarmFiles.SWARM, "broken").orFail();
        String state = stack.awaitUpdate(SwarmStack.APP, List.of("rollback_completed", "paused", "rollback_paused",
                "completed"), Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - start) / 1e9;
        stack.awaitRunning(SwarmStack.APP, 3, CONVERGE_LIMIT);
        Player.Result played = player.stop();
        String brokenTasks = engine.dockerOk("service", "ps", "--no-trunc", "--filter", "desired-state=shutdown",
                "--format", "{{.Image}} | {{.CurrentState}} | {{.Error}}", SwarmStack.APP);
        System.out.printf("Broken image: %s %.0f s after the deploy; the player: %s%nIts tasks:%n%s%n", state, seconds,
                played, brokenTasks.lines().filter(line -> line.startsWith(broken)).toList());

        assertThat(state).isEqualTo("rollback_completed");
        assertThat(engine.dockerOk("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
                SwarmStack.APP)).isEqualTo("tttapp:" + deployed);
        assertThat(played.failed()).as("%s", played).isZero();
        assertThat(versionsByReplica(stack.appInfoOfEveryTask())).hasSize(3);
    }

    /**
     * A killed task comes back by itself. To watch the replica alert go pending, the node is paused for the second
     * kill, so that the replacement waits: a replacement within seconds falls between Prometheus' scrapes.
     */
    @Test
    @Order(9)
    void killedTaskIsReplacedAndTheReplicaAlertGoesPendingThenResolves() throws Exception {
        long firstKill = System.nanoTime();
        engine.dockerOk("kill", stack.containers(SwarmStack.APP).get(0));
        Thread.sleep(1000);
        stack.awaitRunning(SwarmStack.APP, 3, CONVERGE_LIMIT);
        System.out.printf("A killed task: 3 healthy replicas again %.1f s after the kill%n",
                (System.nanoTime() - firstKill) / 1e9);

        engine.dockerOk("node", "update", "--availability", "pause", stack.clientNodeId());
        engine.dockerOk("kill", stack.containers(SwarmStack.APP).get(0));
        long killed = System.nanoTime();
        String alert = awaitAlertState("TicTacToeReplicasMissing", Set.of("pending", "firing"), Duration.ofMinutes(2));
        double pendingAfter = (System.nanoTime() - killed) / 1e9;
        String counted = prometheus.query("count(up{job=\"tictactoe\"} == 1)").get(0).get("value").get(1).asText();

        engine.dockerOk("node", "update", "--availability", "active", stack.clientNodeId());
        long resumed = System.nanoTime();
        stack.awaitRunning(SwarmStack.APP, 3, CONVERGE_LIMIT);
        awaitTargets(3);
        String after = awaitAlertState("TicTacToeReplicasMissing", Set.of(""), Duration.ofMinutes(2));
        System.out.printf("Replica alert %s %.0f s after the kill with %s targets up; inactive again %.0f s after the "
                + "node was resumed%n", alert, pendingAfter, counted, (System.nanoTime() - resumed) / 1e9);

        assertThat(alert).isEqualTo("pending");
        assertThat(counted).isEqualTo("2");
        assertThat(after).isEmpty();
        assertThat(prometheus.alertState("TicTacToeDown")).isEmpty();
    }

    /**
     * All replicas gone, for real: TicTacToeDown reaches the webhook with its labels and annotations, the
     * missing-replica alert that comes with it is inhibited, and the resolution follows once the replicas are back.
     * Bound: targets leave with the next DNS refresh (15 s), the alert fires after its 1 minute and the next evaluation
     * (15 s), and Alertmanager waits group_wait (30 s): 2 minutes, 3 allowed. The resolution: healthy tasks, their DNS
     * entry and scrape (30 s), an evaluation (15 s) and at most one group_interval (1 minute): 3 minutes allowed after
     * the replicas are healthy.
     */
    @Test
    @Order(10)
    void allReplicasGoneReachTheWebhookOnceWithTheMissingReplicasInhibitedAndTheResolutionFollows() throws Exception {
        Instant stopped = Instant.now();
        engine.dockerOk("service", "scale", "--detach", SwarmStack.APP + "=0");
        AlertReceiver.Notification firing = receiver.await(stopped, n -> n.tells("TicTacToeDown", "firing"),
                "of TicTacToeDown firing", Duration.ofMinutes(3));
        JsonNode alert = firing.alert("TicTacToeDown");
        Instant firedAt = Instant.parse(alert.get("startsAt").asText());

        String missing = awaitAlertState("TicTacToeReplicasMissing", Set.of("firing"), Duration.ofMinutes(3));
        JsonNode inhibited = awaitAlertmanagerState("TicTacToeReplicasMissing", "suppressed", Duration.ofMinutes(1));
        // Past group_wait: had the inhibition not held, the missing replicas would have been sent by now.
        Thread.sleep(35_000);
        List<AlertReceiver.Notification> whileDown = receiver.after(stopped);

        Instant restarted = Instant.now();
        engine.dockerOk("service", "scale", "--detach", SwarmStack.APP + "=3");
        stack.awaitRunning(SwarmStack.APP, 3, CONVERGE_LIMIT);
        Instant healthy = Instant.now();
        AlertReceiver.Notification resolved = receiver.await(restarted, n -> n.tells("TicTacToeDown", "resolved"),
                "of TicTacToeDown resolved", Duration.ofMinutes(3));
        Instant resolvedAt = Instant.parse(resolved.alert("TicTacToeDown").get("endsAt").asText());
        System.out.printf("All replicas stopped: TicTacToeDown fired %.0f s after the scale to 0 and reached the "
                + "webhook %.0f s after it fired (%.0f s after the scale); TicTacToeReplicasMissing %s and inhibited "
                + "by %s; resolved %.0f s after the replicas were healthy (%.0f s after the scale to 3), received "
                + "%.0f s after Prometheus resolved it. While down the webhook got: %s%n",
                seconds(stopped, firedAt), seconds(firedAt, firing.received()), seconds(stopped, firing.received()),
                missing, inhibited.at("/status/inhibitedBy"), seconds(healthy, resolved.received()),
                seconds(restarted, resolved.received()), seconds(resolvedAt, resolved.received()), whileDown);

        assertThat(firing.body().get("receiver").asText()).isEqualTo("webhook");
        assertThat(alert.get("labels").get("severity").asText()).isEqualTo("critical");
        assertThat(alert.get("labels").get("stack").asText()).isEqualTo("tictactoe");
        assertThat(alert.get("annotations").get("summary").asText()).isEqualTo("No tictactoe replica is up");
        assertThat(alert.get("annotations").get("runbook").asText()).contains("docker service ps");
        assertThat(seconds(stopped, firing.received())).as("seconds from the outage to the webhook")
                .isLessThanOrEqualTo(180);
        assertThat(missing).isEqualTo("firing");
        assertThat(inhibited.at("/status/inhibitedBy")).as("inhibited by TicTacToeDown").isNotEmpty();
        assertThat(whileDown).as("what the webhook got while the replicas were down")
                .noneMatch(n -> n.tells("TicTacToeReplicasMissing", "firing"));
    }

    /**
     * A silence on TicTacToeDown, made with docs/monitoring.md's amtool command: the same outage is on Alertmanager's
     * page, marked silenced, and sends nothing.
     */
    @Test
    @Order(11)
    void aSilenceStopsTheNotification() throws Exception {
        String silenceId = amtool("silence", "add", "alertname=TicTacToeDown", "--duration=1h",
                "--comment=planned maintenance").strip();

        Instant stopped = Instant.now();
        engine.dockerOk("service", "scale", "--detach", SwarmStack.APP + "=0");
        String firing = awaitAlertState("TicTacToeDown", Set.of("firing"), Duration.ofMinutes(3));
        JsonNode silenced = awaitAlertmanagerState("TicTacToeDown", "suppressed", Duration.ofMinutes(1));
        // Past group_wait and a group_interval: without the silence, the notification would have come by now.
        Thread.sleep(65_000);
        List<AlertReceiver.Notification> received = receiver.after(stopped);

        engine.dockerOk("service", "scale", "--detach", SwarmStack.APP + "=3");
        stack.awaitRunning(SwarmStack.APP, 3, CONVERGE_LIMIT);
        awaitTargets(3);
        amtool("silence", "expire", silenceId);
        System.out.printf("Silenced outage: TicTacToeDown %s, on Alertmanager's page silenced by %s; the webhook got: "
                + "%s%n", firing, silenced.at("/status/silencedBy"), received);

        assertThat(firing).isEqualTo("firing");
        assertThat(silenced.at("/status/silencedBy")).extracting(JsonNode::asText).containsExactly(silenceId);
        assertThat(received).as("what the webhook got during the silenced outage")
                .noneMatch(notification -> notification.alerts().stream()
                        .anyMatch(name -> name.startsWith("TicTacToeDown=")));
    }

    @Test
    @Order(12)
    void prometheusKeepsItsDataAcrossARestartOfItsTask() throws Exception {
        String before = Instant.now().minusSeconds(30).toString();
        JsonNode sample = prometheus.get("/api/v1/query", "query", "up{job=\"prometheus\"}", "time", before)
                .get("data").get("result");
        assertThat(sample).as("a sample from 30 s ago").hasSize(1);
        String startedBefore = prometheusStart();

        engine.dockerOk("service", "update", "--detach", "--force", SwarmStack.PROMETHEUS);
        stack.awaitUpdate(SwarmStack.PROMETHEUS, List.of("completed"), CONVERGE_LIMIT);
        awaitPrometheusReady();
        awaitTargets(3);
        JsonNode again = prometheus.get("/api/v1/query", "query", "up{job=\"prometheus\"}", "time", before)
                .get("data").get("result");
        // Until the new process has scraped itself, the query still finds the old process' last sample.
        String startedAfter = Waiting.upTo(Duration.ofSeconds(60), Duration.ofSeconds(1))
                .alias("a new Prometheus process' start time").until(SwarmStackIT::prometheusStart,
                        started -> !started.equals(startedBefore));
        System.out.printf("Prometheus restarted (process start %s -> %s); the sample of %s: %s -> %s%n", startedBefore,
                startedAfter, before, sample, again);

        assertThat(startedAfter).as("a new Prometheus process").isNotEqualTo(startedBefore);
        assertThat(again).isEqualTo(sample);
    }

    /** docs/deployment.md's way to change a file: edit it, swarm/rename-configs.sh, deploy again. On a copy, not on swarm/. */
    @Test
    @Order(13)
    void changedPrometheusConfigurationRollsOutWithAPlainDeploy() throws Exception {
        Path copy = engine.scratch("swarm-edited");
        copyFolder(SwarmFiles.SWARM, copy);
        Path config = copy.resolve("prometheus.yml");
        String original = Files.readString(config);
        assertThat(original).contains("    stack: tictactoe\n");
        Files.writeString(config, original.replace("    stack: tictactoe\n",
                "    stack: tictactoe\n    edited: by-swarm-stack-it\n"));
        String renamed = engine.run(List.of("bash", copy.resolve("rename-configs.sh").toString()),
                Duration.ofSeconds(30)).orFail();
        assertThat(renamed).as("the new name").doesNotContain(configName(SwarmFiles.STACK, "prometheus_yml"))
                .contains(configName(copy.resolve("stack.yml"), "prometheus_yml"));

        long start = System.nanoTime();
        stack.deploy(copy, deployed).orFail();
        stack.awaitUpdate(SwarmStack.PROMETHEUS, List.of("completed"), CONVERGE_LIMIT);
        awaitPrometheusReady();
        String loaded = prometheus.get("/api/v1/status/config").get("data").get("yaml").asText();
        System.out.printf("Changed prometheus.yml rolled out in %.0f s as config %s%n",
                (System.nanoTime() - start) / 1e9, configName(copy.resolve("stack.yml"), "prometheus_yml"));

        assertThat(loaded).contains("edited: by-swarm-stack-it");
        assertThat(stack.updateState(SwarmStack.APP)).as("the app's own update is untouched").isNotEqualTo("updating");
    }

    /**
     * The stack's lock-down (docs/security.md): MANAGEMENT_PORT 8081, which is not published, serves the metrics and
     * health and Prometheus scrapes it; the game's port, the one the stack publishes, hides them. Scrapes and
     * healthchecks reach only the management port, and the metrics count neither.
     */
    @Test
    @Order(14)
    void prometheusScrapesTheManagementPortAndThePublishedPortHidesTheMetrics() throws Exception {
        int management = SwarmStack.MANAGEMENT_PORT;
        String published = engine.dockerOk("service", "inspect", "--format",
                "{{range .Endpoint.Spec.Ports}}{{.PublishedPort}}:{{.TargetPort}} {{end}}", SwarmStack.APP).strip();
        assertThat(published).as("the app's published ports").isEqualTo("3307:3306");
        Map<String, List<Integer>> statuses = new LinkedHashMap<>();
        for (String path : List.of("/metrics", "/healthz", "/readyz", "/")) {
            statuses.put(management + " " + path, statusOnEveryTask(management, path));
        }
        // While Prometheus cannot answer (its task restarting after the test before), asked again.
        Waiting.upTo(Duration.ofMinutes(2), Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() ->
                assertThat(scrapedUrls()).as("the healthy targets: the three tasks, on the management port only")
                        .hasSize(3).allMatch(url -> url.endsWith(":" + management + "/metrics")));
        System.out.println("Prometheus scrapes, healthy: " + scrapedUrls());

        // A minute of scrapes (15 s) and healthchecks (2 s) on the management port, and no public request.
        String counted = "sum(http_server_requests_total{job=\"tictactoe\"})";
        String notFound = "sum(http_server_requests_total{job=\"tictactoe\", route=\"NOT_FOUND\"})";
        double before = sum(queryOrEmpty(counted));
        double notFoundBefore = sum(queryOrEmpty(notFound));
        Thread.sleep(65_000);
        double quiet = sum(queryOrEmpty(counted)) - before;
        for (String path : List.of("/metrics", "/healthz", "/readyz", "/")) {
            statuses.put("3306 " + path, statusOnEveryTask(3306, path));
        }
        System.out.println("Status codes, each task: " + statuses);
        double publicRequests = Waiting.upTo(Duration.ofSeconds(60), Duration.ofSeconds(2))
                .alias("12 public requests counted").until(() -> sum(queryOrEmpty(counted)) - before, n -> n >= 12);
        System.out.printf("Requests counted in a minute of scrapes and healthchecks: %.0f; after 12 public requests:"
                + " %.0f (%.0f NOT_FOUND)%n", quiet, publicRequests, sum(queryOrEmpty(notFound)) - notFoundBefore);

        assertThat(statuses).isEqualTo(Map.of(
                "8081 /metrics", List.of(200, 200, 200), "8081 /healthz", List.of(200, 200, 200),
                "8081 /readyz", List.of(200, 200, 200), "8081 /", List.of(404, 404, 404),
                "3306 /metrics", List.of(404, 404, 404), "3306 /healthz", List.of(404, 404, 404),
                "3306 /readyz", List.of(404, 404, 404), "3306 /", List.of(200, 200, 200)));
        assertThat(quiet).as("scrapes and healthchecks counted").isZero();
        assertThat(publicRequests).as("the public requests, and only they").isEqualTo(12);
        assertThat(sum(queryOrEmpty(notFound)) - notFoundBefore).isEqualTo(9);
    }

    /** The scrape URLs of Prometheus' healthy targets of the app. */
    private static List<String> scrapedUrls() throws IOException {
        return prometheus.targets("tictactoe").stream().filter(target -> target.get("health").asText().equals("up"))
                .map(target -> target.get("scrapeUrl").asText()).toList();
    }

    /** The start time of the Prometheus process that answers, as its own scrape of itself last stored it. */
    private static String prometheusStart() throws IOException {
        return prometheus.query("process_start_time_seconds{job=\"prometheus\"}").get(0).get("value").get(1).asText();
    }

    private static void awaitPrometheusReady() {
        Waiting.telling(() -> engine.docker("service", "logs", "--tail", "30", SwarmStack.PROMETHEUS).toString(),
                () -> Waiting.upTo(Duration.ofSeconds(90), Duration.ofMillis(500)).alias("Prometheus ready")
                        .until(() -> stack.prometheusStatus("/-/ready", SwarmStack.PROMETHEUS_USER,
                                SwarmStack.PROMETHEUS_PASSWORD) == 200));
    }

    /** Waits until Prometheus has exactly this many tictactoe targets, all scraped once; returns address to health. */
    private static Map<String, String> awaitTargets(int count) {
        return Waiting.upTo(Duration.ofMinutes(2), Duration.ofSeconds(1)).alias(count + " tictactoe targets up")
                .until(SwarmStackIT::targetHealth, targets -> targets.size() == count
                        && targets.values().stream().allMatch(health -> health.equals("up")));
    }

    /** The health of each tictactoe target, by address; every one found through tasks.tictactoe. */
    private static Map<String, String> targetHealth() throws IOException {
        Map<String, String> targets = new TreeMap<>();
        for (JsonNode target : prometheus.targets("tictactoe")) {
            assertThat(target.get("discoveredLabels").get("__meta_dns_name").asText()).isEqualTo("tasks.tictactoe");
            targets.put(target.get("labels").get("instance").asText(), target.get("health").asText());
        }
        return targets;
    }

    /**
     * amtool in Alertmanager's task, as docs/monitoring.md runs it: its login on standard input, never in a file or
     * an argument.
     */
    private static String amtool(String... args) throws IOException {
        Path login = engine.scratch("amtool").resolve("http.yml");
        Files.writeString(login, "basic_auth: {username: " + SwarmStack.PROMETHEUS_USER + ", password: "
                + SwarmStack.PROMETHEUS_PASSWORD + "}\n");
        List<String> command = new ArrayList<>(List.of("exec", "-i", stack.containers(SwarmStack.ALERTMANAGER).get(0),
                "amtool", args[0], args[1], "--alertmanager.url=http://127.0.0.1:9093",
                "--http.config.file=/dev/stdin"));
        command.addAll(List.of(args).subList(2, args.length));
        return engine.docker(Map.of(), login, Duration.ofSeconds(30), command.toArray(String[]::new)).orFail();
    }

    /** Waits until an instant query returns a series; returns the result. */
    private static JsonNode awaitSeries(String promql) {
        return Waiting.upTo(Duration.ofMinutes(1), Duration.ofSeconds(1)).alias("a series of " + promql)
                .until(() -> prometheus.query(promql), result -> !result.isEmpty());
    }

    /** Waits until Prometheus lists an Alertmanager to send to; returns the list. */
    private static JsonNode awaitActiveAlertmanagers() {
        return Waiting.upTo(Duration.ofMinutes(1), Duration.ofSeconds(1)).alias("an active Alertmanager")
                .until(() -> prometheus.get("/api/v1/alertmanagers").at("/data/activeAlertmanagers"),
                        active -> !active.isEmpty());
    }

    /**
     * Waits until Alertmanager holds the alert in this state (active, suppressed); returns the alert as its API gives
     * it, whose status says what suppresses it.
     */
    private static JsonNode awaitAlertmanagerState(String name, String state, Duration limit) {
        return Waiting.upTo(limit, Duration.ofSeconds(1)).alias(name + " " + state + " in Alertmanager")
                .until(() -> alertmanagerAlert(name, state), Optional::isPresent).orElseThrow();
    }

    /** The alert of this name in this state in Alertmanager, if it holds one. */
    private static Optional<JsonNode> alertmanagerAlert(String name, String state) throws IOException {
        for (JsonNode alert : stack.alertmanager("/api/v2/alerts", "filter", "alertname=\"" + name + "\"")) {
            if (alert.at("/status/state").asText().equals(state)) {
                return Optional.of(alert);
            }
        }
        return Optional.empty();
    }

    /**
     * Since {@code start} no alert fired, none is still pending (so none fires later from what happened), and the
     * webhook received nothing.
     */
    private static void assertNothingFiredOrWasSentSince(Instant start, String what) throws Exception {
        Waiting.upTo(Duration.ofMinutes(3), Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(prometheus.query("ALERTS")).as("alerts pending or firing after %s", what).isEmpty());
        long window = Duration.between(start, Instant.now()).toSeconds() + 1;
        JsonNode fired = prometheus.query("max_over_time(ALERTS{alertstate=\"firing\"}[" + window + "s])");
        List<AlertReceiver.Notification> received = receiver.after(start);
        System.out.printf("Alerts after %s: none pending or firing now, fired in the last %d s %s; the webhook got "
                + "%s%n", what, window, fired, received);
        assertThat(fired).as("alerts that fired during %s", what).isEmpty();
        assertThat(received).as("notifications during %s", what).isEmpty();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /** Waits until the alert's state ("" when inactive) is one of the wanted ones; returns it. */
    private static String awaitAlertState(String name, Set<String> wanted, Duration limit) {
        return Waiting.upTo(limit, Duration.ofSeconds(1)).alias(name + " in one of the states " + wanted)
                .until(() -> prometheus.alertState(name), wanted::contains);
    }

    /** The HTTP status of a GET on each task that tasks.tictactoe lists, by address (0 where none came). */
    private static List<Integer> statusOnEveryTask(int port, String path) {
        String codes = stack.client("sh", "-c", "for ip in $(getent ahostsv4 tasks.tictactoe | awk '{print $1}' "
                + "| sort -u); do curl -s -o /dev/null -w '%{http_code}\\n' --max-time 3 http://$ip:" + port + path
                + "; done").stdout();
        return codes.lines().map(code -> code.matches("\\d{3}") ? Integer.parseInt(code) : 0).toList();
    }

    /** An instant query's result, or an empty one while Prometheus cannot answer (its task restarting). */
    private static JsonNode queryOrEmpty(String promql) {
        try {
            return prometheus.query(promql);
        } catch (IOException | RuntimeException | AssertionError e) {
            return JsonNodeFactory.instance.arrayNode();
        }
    }

    /** The sum of an instant vector's values (0 for an empty one). */
    private static double sum(JsonNode vector) {
        double sum = 0;
        for (JsonNode sample : vector) {
            sum += sample.get("value").get(1).asDouble();
        }
        return sum;
    }

    /** The effective capabilities and the user ids of the container's first process. */
    private static List<String> privileges(String container) throws IOException {
        return engine.processStatus(container).stream().filter(line -> line.matches("(CapEff|Uid):.*")).toList();
    }

    /** For each folder, whether the container's user can create a file in it with the probe (a shell, file as $1). */
    private static Map<String, Boolean> writable(String container, List<String> probe, String... folders) {
        Map<String, Boolean> writable = new TreeMap<>();
        for (String folder : folders) {
            List<String> exec = new ArrayList<>(List.of("exec", container));
            exec.addAll(probe);
            exec.addAll(List.of("probe", folder.replaceFirst("/$", "") + "/.write-test"));
            writable.put(folder, engine.docker(exec.toArray(String[]::new)).ok());
        }
        return writable;
    }

    /** The names of the alerting and recording rules in swarm/alerts.yml. */
    private static Set<String> ruleNames() {
        Set<String> names = new TreeSet<>();
        for (JsonNode group : SwarmFiles.yaml(SwarmFiles.ALERTS).get("groups")) {
            group.get("rules").forEach(rule -> names.add(rule.path("alert").asText(rule.path("record").asText())));
        }
        return names;
    }

    private static List<String> leftovers() {
        List<String> left = new ArrayList<>();
        left.addAll(engine.dockerOk("network", "ls", "--format", "{{.Name}}", "--filter", "name=" + SwarmStack.NAME)
                .lines().toList());
        left.addAll(engine.dockerOk("config", "ls", "--format", "{{.Name}}").lines().toList());
        return left.stream().filter(name -> !name.isBlank()).toList();
    }

    private static Map<String, Set<String>> versionsByReplica(List<String> appInfoLines) {
        Map<String, Set<String>> versions = new TreeMap<>();
        for (String line : appInfoLines) {
            Matcher matcher = APP_INFO.matcher(line);
            assertThat(matcher.find()).as(line).isTrue();
            versions.computeIfAbsent(matcher.group(1), replica -> new TreeSet<>()).add(matcher.group(2));
        }
        return versions;
    }

    /** At no moment are two replicas between versions, and once a replica runs only the new one it stays there. */
    private static void assertOneReplicaAtATime(List<Map<String, Set<String>>> observed, String next) {
        Set<String> done = new TreeSet<>();
        for (Map<String, Set<String>> moment : observed) {
            long mixed = moment.values().stream().filter(versions -> versions.size() > 1).count();
            assertThat(mixed).as("replicas running two versions at once in %s", moment).isLessThanOrEqualTo(1);
            for (String replica : done) {
                assertThat(moment.getOrDefault(replica, Set.of(next))).as("%s went back in %s", replica, moment)
                        .isEqualTo(Set.of(next));
            }
            moment.forEach((replica, versions) -> {
                if (versions.equals(Set.of(next))) {
                    done.add(replica);
                }
            });
        }
        assertThat(done).hasSize(3);
    }

    private static List<Map<String, Set<String>>> distinct(List<Map<String, Set<String>>> observed) {
        List<Map<String, Set<String>>> changes = new ArrayList<>();
        for (Map<String, Set<String>> moment : observed) {
            if (changes.isEmpty() || !changes.get(changes.size() - 1).equals(moment)) {
                changes.add(moment);
            }
        }
        return changes;
    }

    private static String configName(Path stackFile, String config) {
        return SwarmFiles.yaml(stackFile).get("configs").get(config).get("name").asText();
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
