package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.tictactoe.docker.AlertReceiver;
import io.github.tictactoe.docker.Command;
import io.github.tictactoe.docker.Docker;
import io.github.tictactoe.docker.Player;
import io.github.tictactoe.docker.SwarmCluster;
import io.github.tictactoe.docker.SwarmCluster.Node;
import io.github.tictactoe.docker.SwarmStack;
import io.github.tictactoe.docker.Testbed;
import io.github.tictactoe.docker.TestbedExtension;
import io.github.tictactoe.prometheus.Prometheus35;
import io.github.tictactoe.prometheus.PrometheusApi;
import io.github.tictactoe.testing.Waiting;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stack on a swarm of three manager nodes, each a Docker engine in a container of the tests' engine: node-1 is
 * labelled for Prometheus (and Alertmanager beside it), node-2 for Grafana and runs the client and the webhook
 * receiver; node-3 carries only a replica; every node runs a node-exporter. Drains, node losses and a lost quorum,
 * with the client counting every request that does not get its answer.
 */
@ExtendWith(TestbedExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeSwarmIT {

    private static final Duration CONVERGE_LIMIT = Duration.ofMinutes(3);
    /** How long a lone manager may go on answering before it notices that it cannot be elected. */
    private static final Duration QUORUM_LOSS_LIMIT = Duration.ofSeconds(90);

    private static SwarmCluster cluster;
    private static SwarmStack stack;
    private static PrometheusApi prometheus;
    private static AlertReceiver receiver;
    private static Docker manager;
    private static String version;
    private static String next;

    @BeforeAll
    static void startSwarmAndDeploy(Testbed testbed) throws Exception {
        version = Testbed.defaultVersion();
        next = version + "-next";
        cluster = SwarmCluster.start(testbed, 3, List.of(testbed.appImage(version), testbed.appImage(next),
                testbed.standIns().prometheus(), testbed.standIns().alertmanager(), testbed.standIns().nodeExporter(),
                testbed.standIns().client(), AlertReceiver.image(testbed)));
        manager = cluster.node("node-2").docker();
        manager.dockerOk("node", "update", "--label-add", "tictactoe.prometheus=true", "node-1");
        manager.dockerOk("node", "update", "--label-add", "tictactoe.grafana=true", "node-2");
        stack = SwarmStack.on(testbed, manager, manager);
        prometheus = stack.prometheusApi();
        stack.createSecrets();
        stack.sendAlertsTo(AlertReceiver.URL);
        stack.deploy(SwarmFiles.SWARM, version).orFail();
        stack.awaitRunning(SwarmStack.APP, 3, CONVERGE_LIMIT);
        stack.awaitRunning(SwarmStack.PROMETHEUS, 1, CONVERGE_LIMIT);
        stack.awaitRunning(SwarmStack.ALERTMANAGER, 1, CONVERGE_LIMIT);
        stack.awaitRunning(SwarmStack.NODE_EXPORTER, 3, CONVERGE_LIMIT);
        stack.startClient();
        receiver = stack.startAlertReceiver();
        awaitTargets(3, CONVERGE_LIMIT);
    }

    /** A test that failed halfway must not leave the next one with killed nodes. */
    @AfterEach
    void restartKilledNodes() throws InterruptedException {
        for (Node node : cluster.nodes()) {
            if (!cluster.isRunning(node)) {
                cluster.restart(node);
            }
        }
        for (Node node : cluster.nodes()) {
            awaitNodeReady(node);
        }
    }

    @AfterAll
    static void removeSwarm() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void spreadsTheReplicasOverTheNodesAndPlacesPrometheusAndGrafanaByTheirLabels() throws Exception {
        Map<String, String> placement = placement(SwarmStack.APP);
        String prometheusNode = placement(SwarmStack.PROMETHEUS).values().iterator().next();
        String alertmanagerNode = placement(SwarmStack.ALERTMANAGER).values().iterator().next();
        System.out.println("Replicas by task: " + placement + "; Prometheus on " + prometheusNode
                + ", Alertmanager on " + alertmanagerNode);

        assertThat(placement.values()).containsExactlyInAnyOrder("node-1", "node-2", "node-3");
        assertThat(prometheusNode).isEqualTo("node-1");
        assertThat(alertmanagerNode).as("beside Prometheus, on the node labelled for it").isEqualTo("node-1");
        assertThat(manager.dockerOk("service", "inspect", "--format",
                "{{.Spec.TaskTemplate.Placement.Constraints}}", SwarmStack.NAME + "_grafana"))
                .contains("node.labels.tictactoe.grafana == true");

        // The configs travel in the swarm's store to the node that runs Prometheus; no file comes from its disk.
        Docker node1 = cluster.node("node-1").docker();
        String container = node1.dockerOk("ps", "-q", "--filter",
                "label=com.docker.swarm.service.name=" + SwarmStack.PROMETHEUS);
        assertThat(node1.dockerOk("exec", container, "cat", "/etc/prometheus/prometheus.yml"))
                .isEqualTo(Prometheus35.config(Files.readString(SwarmFiles.PROMETHEUS_CONFIG)).trim());
        assertThat(node1.dockerOk("exec", container, "cat", "/etc/prometheus/alerts.yml"))
                .isEqualTo(Files.readString(SwarmFiles.ALERTS).trim());
        assertThat(node1.dockerOk("exec", container, "sh", "-c", "ls / | grep -c swarm || true"))
                .as("no swarm/ folder on the node").isEqualTo("0");
    }

    /**
     * node-exporter runs once on every node, each task its own target, and knows its node's host name; every query of
     * the nodes dashboard has a series for each of the three nodes (the replicas table: each node runs one replica).
     */
    @Test
    @Order(2)
    void everyNodeRunsAnExporterAndEveryNodesPanelHasASeriesPerNode() throws Exception {
        Set<String> nodes = Set.of("node-1", "node-2", "node-3");
        Map<String, Set<String>> perQuery = Waiting.upTo(CONVERGE_LIMIT, Duration.ofSeconds(5))
                .alias("a series for each node in every query of the nodes dashboard")
                .until(MultiNodeSwarmIT::nodesByPanelQuery, found -> found.values().stream().allMatch(nodes::equals));
        Map<String, String> targets = new TreeMap<>();
        for (JsonNode series : prometheus.query("up{job=\"node\"}")) {
            targets.put(series.at("/metric/instance").asText(), series.at("/value/1").asText());
        }
        Set<String> unameNodes = new TreeSet<>();
        prometheus.query("node_uname_info{job=\"node\"}").forEach(series -> unameNodes.add(series.at("/metric/nodename")
                .asText()));
        System.out.println("node-exporter targets (up): " + targets + "; nodes by panel query: " + perQuery
                + "; node-exporter tasks: " + placement(SwarmStack.NODE_EXPORTER).values());

        assertThat(new TreeSet<>(placement(SwarmStack.NODE_EXPORTER).values())).isEqualTo(nodes);
        assertThat(targets).hasSize(3).allSatisfy((instance, up) -> assertThat(up).as(instance).isEqualTo("1"));
        assertThat(unameNodes).as("each task knows its node's host name").isEqualTo(nodes);
        assertThat(perQuery).isNotEmpty().allSatisfy((query, seen) -> assertThat(seen).as(query).isEqualTo(nodes));
    }

    /** The drained node's task moves; the replica alert goes pending only if the count of targets really dropped. */
    @Test
    @Order(3)
    void drainingANodeMovesItsTaskWithoutLosingARequest() throws Exception {
        Node node3 = cluster.node("node-3");
        Player player = stack.play(Duration.ofMinutes(5));
        Thread.sleep(2000);

        long start = System.nanoTime();
        manager.dockerOk("node", "update", "--availability", "drain", cluster.id(node3));
        Watch watch = new Watch();
        watch.untilThreeReplicasRunWithoutOneOn("node-3");
        double moved = (System.nanoTime() - start) / 1e9;
        for (int i = 0; i < 15; i++) {
            watch.look();
        }
        Player.Result played = player.stop();
        manager.dockerOk("node", "update", "--availability", "active", cluster.id(node3));
        System.out.printf("Drain of node-3: its task moved within %.0f s, now %s; %s; the player: %s%n", moved,
                placement(SwarmStack.APP), watch, played);

        assertThat(played.failed()).as("%s", played).isZero();
        if (watch.alertWentPending) {
            assertThat(watch.fewestTargets).as("the alert went pending: the count really dropped").isLessThan(3);
        }
    }

    @Test
    @Order(4)
    void rollingUpdateAcrossTheNodesLosesNoRequest() throws Exception {
        Player player = stack.play(Duration.ofMinutes(6));
        Thread.sleep(2000);
        long start = System.nanoTime();
        String state = rollOut(next);
        double seconds = (System.nanoTime() - start) / 1e9;
        Player.Result played = player.stop();
        System.out.printf("Rolling update across the nodes: %s in %.0f s, now %s; the player: %s%n", state, seconds,
                placement(SwarmStack.APP), played);

        assertThat(state).isEqualTo("completed");
        assertThat(played.failed()).as("%s", played).isZero();
    }

    /**
     * A node that dies (its container killed) loses its task, which the swarm starts again on a surviving node; its
     * exporter's alert reaches the webhook. Bound: the target leaves DNS (15 s) or fails its scrape (15 s), the alert
     * fires after its 1 minute and an evaluation (15 s), Alertmanager waits group_wait (30 s): 3 minutes allowed.
     */
    @Test
    @Order(5)
    void aLostNodesTaskIsRescheduledOnASurvivor() throws Exception {
        Node lost = nodeWithAReplicaBesides("node-1", "node-2");
        Player player = stack.play(Duration.ofMinutes(5));
        Thread.sleep(2000);

        long start = System.nanoTime();
        Instant killed = Instant.now();
        cluster.kill(lost);
        Watch watch = new Watch();
        watch.untilThreeReplicasRunWithoutOneOn(lost.name());
        double recovered = (System.nanoTime() - start) / 1e9;
        String nodeState = managerOk("node", "inspect", "--format", "{{.Status.State}}", lost.name());
        for (int i = 0; i < 10; i++) {
            watch.look();
        }
        Player.Result played = player.stop();
        AlertReceiver.Notification gone = receiver.await(killed, notification -> notification.tellsFiring(
                "NodeExporterGone", "nodename", lost.name()), "of NodeExporterGone for " + lost.name(), CONVERGE_LIMIT);
        double notified = Duration.between(killed, gone.received()).toMillis() / 1000.0;
        System.out.printf("Loss of %s (node %s): 3 running replicas again %.0f s after the loss, on %s; %s; "
                + "the player: %s; NodeExporterGone for it at the webhook %.0f s after the loss: %s%n", lost.name(),
                nodeState, recovered, placement(SwarmStack.APP), watch, played, notified, gone);

        cluster.restart(lost);
        awaitNodeReady(lost);
        assertThat(nodeState).isEqualTo("down");
        assertThat(placement(SwarmStack.APP).values()).doesNotContain(lost.name());
        assertThat(watch.fewestTargets).as("Prometheus saw the target go").isLessThan(3);
        assertThat(notified).as("seconds from the loss to NodeExporterGone at the webhook").isLessThanOrEqualTo(180);
    }

    /**
     * Prometheus' node dies: its volume cannot follow it, so its task waits (no other node is labelled) while the
     * game goes on; when the node comes back, Prometheus starts there again with its data.
     */
    @Test
    @Order(6)
    void losingPrometheusNodeLeavesItPendingUntilTheNodeReturnsWithItsData() throws Exception {
        Node node1 = cluster.node("node-1");
        String before = Instant.now().minusSeconds(30).toString();
        JsonNode sample = prometheus.get("/api/v1/query", "query", "up{job=\"prometheus\"}", "time", before)
                .get("data").get("result");
        Player player = stack.play(Duration.ofMinutes(5));
        Thread.sleep(2000);

        long start = System.nanoTime();
        cluster.kill(node1);
        String prometheusState = Waiting.upTo(CONVERGE_LIMIT, Duration.ofSeconds(1)).alias("Prometheus' task pending")
                .until(() -> managerOk("service", "ps", "--filter", "desired-state=running", "--format",
                        "{{.CurrentState}} {{.Error}}", SwarmStack.PROMETHEUS), state -> state.startsWith("Pending"));
        stack.awaitRunning(SwarmStack.APP, 3, CONVERGE_LIMIT);
        double appRecovered = (System.nanoTime() - start) / 1e9;
        Player.Result played = player.stop();

        long restarted = System.nanoTime();
        cluster.restart(node1);
        awaitNodeReady(node1);
        stack.awaitRunning(SwarmStack.PROMETHEUS, 1, CONVERGE_LIMIT);
        double prometheusBack = (System.nanoTime() - restarted) / 1e9;
        awaitTargets(3, CONVERGE_LIMIT);
        JsonNode again = prometheus.get("/api/v1/query", "query", "up{job=\"prometheus\"}", "time", before)
                .get("data").get("result");
        System.out.printf("Loss of Prometheus' node: Prometheus \"%s\"; the app on 3 running replicas %.0f s after the "
                + "loss, the player: %s; Prometheus running again %.0f s after the node's container was started%n",
                prometheusState, appRecovered, played, prometheusBack);

        assertThat(prometheusState).startsWith("Pending").contains("no suitable node");
        assertThat(placement(SwarmStack.PROMETHEUS).values()).containsExactly("node-1");
        assertThat(again).as("a sample from before the loss").isEqualTo(sample).isNotEmpty();
    }

    /** Three managers keep working with one down; with two down there is no leader and nothing can change. */
    @Test
    @Order(7)
    void oneManagerDownKeepsTheQuorumTwoDownLoseIt() throws Exception {
        Node node3 = cluster.node("node-3");
        Node node1 = cluster.node("node-1");
        cluster.kill(node3);
        awaitNodeState(node3, "down");

        long start = System.nanoTime();
        String state = rollOut(version);
        double updated = (System.nanoTime() - start) / 1e9;

        cluster.kill(node1);
        // A lone leader serves requests until it notices that it lost the quorum (observed: within 15 s, and later).
        long lost = System.nanoTime();
        Command.Result withoutQuorum = Waiting.upTo(QUORUM_LOSS_LIMIT, Duration.ofSeconds(2))
                .alias("`docker service ls` refused without a quorum")
                .until(() -> manager.docker(Duration.ofSeconds(60), "service", "ls"), listed -> !listed.ok());
        double noticed = (System.nanoTime() - lost) / 1e9;
        Command.Result deployWithoutQuorum = stack.deploy(SwarmFiles.SWARM, next);
        int playing = stack.client("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                "http://tasks.tictactoe:3306/").stdout().equals("200") ? 1 : 0;

        long restarted = System.nanoTime();
        cluster.restart(node1);
        cluster.restart(node3);
        awaitNodeReady(node1);
        awaitNodeReady(node3);
        double quorumBack = (System.nanoTime() - restarted) / 1e9;
        stack.awaitRunning(SwarmStack.APP, 3, CONVERGE_LIMIT);
        stack.awaitRunning(SwarmStack.PROMETHEUS, 1, CONVERGE_LIMIT);
        System.out.printf("One manager down: the update %s in %.0f s. Two down: `docker service ls` exited %d (%s) "
                + "%.0f s after the second loss, a deploy exited %d; the replica on node-2 %s. Both back: quorum and "
                + "nodes ready in %.0f s%n", state, updated, withoutQuorum.exitCode(), withoutQuorum.stderr().trim(),
                noticed, deployWithoutQuorum.exitCode(), playing == 1 ? "still answered" : "did not answer",
                quorumBack);

        assertThat(state).isEqualTo("completed");
        assertThat(withoutQuorum.ok()).isFalse();
        // Which of the two a lone manager says depends on whether it has noticed yet that it cannot be elected.
        assertThat(withoutQuorum.stderr()).containsPattern("does not have a leader|context deadline exceeded");
        assertThat(deployWithoutQuorum.ok()).isFalse();
    }

    /**
     * What Prometheus and the replica alert showed while the test waited for the swarm. The target count is read at
     * the instants the alert became active, as its rule saw it then, and every second of the watch: a dip shorter than
     * the looks' 2 s can still fall on a rule evaluation. Only alerts that became active during the watch count.
     */
    private static final class Watch {
        private static final String TARGETS = "count(up{job=\"tictactoe\"} == 1) or vector(0)";

        private final Instant start = Instant.now();
        int fewestTargets = 3;
        boolean alertWentPending;
        int looks;

        /** Looks every 2 s until the app runs three replicas, none on that node; fails after CONVERGE_LIMIT. */
        void untilThreeReplicasRunWithoutOneOn(String node) {
            // No pause of the wait's own: each look ends with one.
            Waiting.upTo(CONVERGE_LIMIT, Duration.ofMillis(1)).alias("three replicas running, none on " + node)
                    .until(() -> {
                        boolean moved = !placement(SwarmStack.APP).containsValue(node) && running(SwarmStack.APP, 3);
                        if (!moved) {
                            look();
                        }
                        return moved;
                    });
        }

        void look() throws Exception {
            looks++;
            try {
                fewestTargets = Math.min(fewestTargets, targetsAt(Instant.now().toString()));
                for (JsonNode alert : prometheus.get("/api/v1/alerts").get("data").get("alerts")) {
                    // One still pending from before the watch (the stack's own start, with no target yet) is not
                    // this watch's: it ends at the next evaluation that sees 3.
                    String activeAt = alert.get("activeAt").asText();
                    if (alert.get("labels").get("alertname").asText().equals("TicTacToeReplicasMissing")
                            && !Instant.parse(activeAt).isBefore(start)) {
                        alertWentPending = true;
                        fewestTargets = Math.min(fewestTargets, targetsAt(activeAt));
                    }
                }
                JsonNode range = prometheus.get("/api/v1/query_range", "query", TARGETS, "start",
                        start.toString(), "end", Instant.now().toString(), "step", "1").get("data").get("result");
                for (JsonNode point : range.path(0).path("values")) {
                    fewestTargets = Math.min(fewestTargets, point.get(1).asInt());
                }
            } catch (AssertionError | IOException unreachable) {
                // Prometheus may be the part that is gone; the test says so where it matters.
            }
            Thread.sleep(2000);
        }

        private static int targetsAt(String time) throws IOException {
            JsonNode count = prometheus.get("/api/v1/query", "query", TARGETS, "time", time).get("data")
                    .get("result");
            return count.isEmpty() ? 0 : count.get(0).get("value").get(1).asInt();
        }

        @Override
        public String toString() {
            return "Prometheus meanwhile: fewest targets up " + fewestTargets + ", replica alert "
                    + (alertWentPending ? "pending" : "not pending") + " (" + looks + " looks, 2 s apart)";
        }
    }

    /** Deploys the stack with this tag and waits for the update's end and 3 running replicas; returns its state. */
    private static String rollOut(String tag) throws InterruptedException {
        stack.deploy(SwarmFiles.SWARM, tag).orFail();
        String state = stack.awaitUpdate(SwarmStack.APP, List.of("completed", "paused", "rollback_completed"),
                Duration.ofMinutes(5));
        stack.awaitRunning(SwarmStack.APP, 3, CONVERGE_LIMIT);
        return state;
    }

    /** Task name to node name, for the service's running tasks that are meant to run. */
    private static Map<String, String> placement(String service) {
        Map<String, String> placement = new TreeMap<>();
        for (String line : managerOk("service", "ps", "--filter", "desired-state=running", "--format",
                "{{.Name}} {{.Node}} {{.CurrentState}}", service).lines().toList()) {
            String[] fields = line.split(" ");
            if (fields[2].equals("Running")) {
                placement.put(fields[0], fields[1]);
            }
        }
        return placement;
    }

    /** A manager command, asked again for up to 90 s while the managers elect a leader; its trimmed output. */
    private static String managerOk(String... args) {
        return Waiting.upTo(Duration.ofSeconds(90), Duration.ofSeconds(1)).alias("a manager answers " + List.of(args))
                .until(() -> manager.docker(args), Command.Result::ok).orFail();
    }

    private static boolean running(String service, int replicas) {
        return placement(service).size() == replicas;
    }

    private static Node nodeWithAReplicaBesides(String... excluded) {
        List<String> busy = new ArrayList<>(placement(SwarmStack.APP).values());
        busy.removeAll(List.of(excluded));
        assertThat(busy).as("a replica on a node that neither runs Prometheus nor the client").isNotEmpty();
        return cluster.node(busy.get(0));
    }

    /** Ready, and reachable as a manager: losing another manager before then could cost the quorum. */
    private static void awaitNodeReady(Node node) {
        awaitNodeState(node, "ready reachable");
    }

    private static void awaitNodeState(Node node, String state) {
        Waiting.upTo(CONVERGE_LIMIT, Duration.ofSeconds(1)).alias(node.name() + " " + state)
                .until(() -> manager.docker("node", "inspect", "--format",
                        "{{.Status.State}} {{.ManagerStatus.Reachability}}", node.name()),
                        inspect -> inspect.ok() && inspect.stdout().trim().startsWith(state));
    }

    /**
     * Waits until Prometheus scrapes this many app targets and found each up at its last scrape. Not count(up == 1):
     * when Prometheus' node dies with replicas on it, the restarted Prometheus still holds their last up sample, which
     * no stale marker ends, and the query counts them for the 5 minutes of its lookback.
     */
    private static void awaitTargets(int count, Duration limit) {
        Waiting.upTo(limit, Duration.ofSeconds(2)).alias(count + " app targets up")
                .until(MultiNodeSwarmIT::targetsUp, up -> up.size() == count);
    }

    /** The addresses of the app's targets that were up at their last scrape; none while Prometheus cannot answer. */
    private static List<String> targetsUp() {
        try {
            return prometheus.targets("tictactoe").stream().filter(target -> target.get("health").asText()
                    .equals("up")).map(target -> target.at("/labels/instance").asText()).toList();
        } catch (AssertionError | IOException notReachableYet) {
            return List.of();
        }
    }

    /** For each query of the nodes dashboard (panel / legend), the nodes its series are of. */
    private static Map<String, Set<String>> nodesByPanelQuery() throws IOException {
        Map<String, Set<String>> perQuery = new TreeMap<>();
        for (SwarmFiles.PanelQuery query : SwarmFiles.panelQueries(List.of(SwarmFiles.NODES_DASHBOARD))) {
            Set<String> seen = new TreeSet<>();
            for (JsonNode series : prometheus.query(query.resolved())) {
                seen.add(series.get("metric").has("nodename") ? series.at("/metric/nodename").asText()
                        : series.at("/metric/node").asText());
            }
            perQuery.put(query.panel() + " / " + query.legend(), seen);
        }
        return perQuery;
    }

}
