package io.github.tictactoe.docker;

import io.github.tictactoe.testing.Waiting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A swarm of several Docker engines on one machine: each node is a container of the tests' engine running its own
 * dockerd (its data in a volume of its own), on one bridge network with fixed addresses, all of them managers. The
 * images come in by {@code docker save} and {@code docker load}, as no registry is reachable. The host reaches each
 * node's API only through a port published on 127.0.0.1. Everything is removed at close.
 */
public final class SwarmCluster implements AutoCloseable {

    private static final String NETWORK = "tictactoe-nodes";
    /** Fixed node addresses, so that a node that restarts comes back where the other managers expect it. */
    private static final String SUBNET = "172.30.250.0/24";
    private static final String LABEL = "tictactoe.test=swarm-node";
    private static final Duration START_LIMIT = Duration.ofSeconds(90);

    /** One node: its container on the tests' engine, its address on the nodes' network, and a CLI for its engine. */
    public record Node(String name, String address, Docker docker) {
    }

    private final DockerEngine engine;
    private final List<Node> nodes;

    private SwarmCluster(DockerEngine engine, List<Node> nodes) {
        this.engine = engine;
        this.nodes = nodes;
    }

    /** Starts the nodes, makes them one swarm of managers and loads the images into every node. */
    public static SwarmCluster start(Testbed testbed, int size, List<String> images) throws Exception {
        DockerEngine engine = testbed.engine();
        String nodeImage = testbed.nodeImage();
        long start = System.nanoTime();
        engine.dockerOk("network", "create", "--subnet", SUBNET, "--label", LABEL, NETWORK);
        List<Node> nodes = new ArrayList<>();
        SwarmCluster cluster = new SwarmCluster(engine, nodes);
        try {
            for (int i = 1; i <= size; i++) {
                nodes.add(cluster.run("node-" + i, "172.30.250." + (10 + i), nodeImage));
            }
            for (Node node : nodes) {
                awaitEngine(node);
            }
            Node first = nodes.get(0);
            first.docker().dockerOk("swarm", "init", "--advertise-addr", first.address());
            String token = first.docker().dockerOk("swarm", "join-token", "-q", "manager");
            for (Node node : nodes.subList(1, nodes.size())) {
                node.docker().dockerOk("swarm", "join", "--advertise-addr", node.address(), "--token", token,
                        first.address() + ":2377");
            }
            Path archive = engine.scratch("node-images").resolve("images.tar");
            List<String> save = new ArrayList<>(List.of("save", "-o", archive.toString()));
            save.addAll(images);
            engine.dockerOk(save.toArray(String[]::new));
            for (Node node : nodes) {
                node.docker().docker(Duration.ofMinutes(5), "load", "-i", archive.toString()).orFail();
            }
            System.out.printf("Swarm of %d manager nodes with %s loaded, ready in %.0f s%n", size, images,
                    (System.nanoTime() - start) / 1e9);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private Node run(String name, String address, String image) throws IOException {
        // A fixed host port rather than an ephemeral one, which would change when a killed node is started again.
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        engine.dockerOk("run", "-d", "--name", "tictactoe-" + name, "--hostname", name,
                "--label", LABEL, "--network", NETWORK, "--ip", address,
                // What a Docker engine needs to run inside a container here (--privileged fails: the machine
                // withholds CAP_SYS_RESOURCE): every other capability, no seccomp or AppArmor profile, the
                // cgroups writable, its run directory in memory and its data on a volume, not on overlayfs.
                "--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE", "--security-opt", "seccomp=unconfined",
                "--security-opt", "apparmor=unconfined", "--security-opt", "systempaths=unconfined",
                "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs", "/run",
                "-v", "tictactoe-" + name + ":/var/lib/docker", "-p", "127.0.0.1:" + port + ":2375", image);
        return new Node(name, address, engine.cliFor("tcp://127.0.0.1:" + port));
    }

    private static void awaitEngine(Node node) {
        // A starting engine can hold the connection open without answering (the command's own time-out fails it).
        Waiting.upTo(START_LIMIT, Duration.ofMillis(250)).alias(node.name() + "'s engine answers")
                .ignoreExceptionsInstanceOf(AssertionError.class)
                .until(() -> node.docker().docker(Duration.ofSeconds(10), "version").ok());
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst().orElseThrow();
    }

    /** The node's id in the swarm. */
    public String id(Node node) {
        return node.docker().dockerOk("info", "--format", "{{.Swarm.NodeID}}");
    }

    /** Kills the node's container, as a machine that loses power. */
    public void kill(Node node) {
        engine.dockerOk("kill", "tictactoe-" + node.name());
    }

    public boolean isRunning(Node node) {
        return engine.dockerOk("inspect", "--format", "{{.State.Running}}", "tictactoe-" + node.name()).equals("true");
    }

    /** Starts a killed or stopped node again and waits for its engine. */
    public void restart(Node node) throws InterruptedException {
        engine.dockerOk("start", "tictactoe-" + node.name());
        awaitEngine(node);
    }

    @Override
    public void close() {
        String containers = engine.docker("ps", "-aq", "--filter", "label=" + LABEL).stdout().trim();
        if (!containers.isEmpty()) {
            List<String> remove = new ArrayList<>(List.of("rm", "-f"));
            remove.addAll(containers.lines().toList());
            engine.docker(Duration.ofMinutes(2), remove.toArray(String[]::new));
        }
        for (Node node : nodes) {
            engine.docker("volume", "rm", "-f", "tictactoe-" + node.name());
        }
        engine.docker("network", "rm", NETWORK);
    }
}
