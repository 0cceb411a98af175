package io.github.tictactoe.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.tictactoe.prometheus.PrometheusApi;
import io.github.tictactoe.testing.ExternalTool;
import io.github.tictactoe.testing.Waiting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's stack on a swarm of the tests (one node, or the nodes of a {@link SwarmCluster}), deployed as the
 * docs/deployment.md says by hand: {@code docker stack deploy -c swarm/stack.yml} with the test override on top. Test traffic comes from a
 * client container inside the stack's network ({@link #client}), never from the host.
 */
public final class SwarmStack implements AutoCloseable {

    public static final String NAME = "tictactoe";
    public static final String APP = NAME + "_tictactoe";
    public static final String PROMETHEUS = NAME + "_prometheus";
    public static final String ALERTMANAGER = NAME + "_alertmanager";
    public static final String NODE_EXPORTER = NAME + "_node-exporter";
    /** The secret with the webhook URL when the stack sends its alerts to {@link #startAlertReceiver}'s receiver. */
    public static final String WEBHOOK_SECRET = "alertmanager_webhook_url_1";
    /** The app's MANAGEMENT_PORT in swarm/stack.yml: /metrics, /healthz and /readyz, on the stack's network only. */
    public static final int MANAGEMENT_PORT = 8081;
    /** Prometheus' login in the tests' stack: the user its web configuration and its own scrape use. */
    public static final String PROMETHEUS_USER = "admin";
    public static final String PROMETHEUS_PASSWORD = "another-long-test-password";
    public static final Path OVERRIDE = Path.of("src/test/resources/docker/stack.override.yml").toAbsolutePath();
    private static final Path PLAYER = Path.of("src/test/resources/docker/play.sh").toAbsolutePath();
    private static final String CLIENT = "tictactoe-test-client";
    private static final JsonMapper JSON = new JsonMapper();

    private final Testbed testbed;
    /** A manager of the swarm: where stack and service commands go. */
    private final Docker manager;
    /** The node that runs the client container, and its id. */
    private final Docker clientNode;
    private final String clientNodeId;
    private String clientContainer;
    /** Prometheus' password: the tests' own, or the one swarm/up.sh made and printed. */
    private String prometheusPassword = PROMETHEUS_PASSWORD;
    /** The webhook's secret once {@link #sendAlertsTo} made it: deploys add swarm/alerts-to-webhook.yml. */
    private String alertsToSecret;
    private AlertReceiver alertReceiver;

    private SwarmStack(Testbed testbed, Docker manager, Docker clientNode) {
        this.testbed = testbed;
        this.manager = manager;
        this.clientNode = clientNode;
        this.clientNodeId = clientNode.dockerOk("info", "--format", "{{.Swarm.NodeID}}");
    }

    /** Makes the tests' engine a one-node swarm with the node labels the stack's placement needs. */
    public static SwarmStack onNewSwarm(Testbed testbed) {
        DockerEngine engine = testbed.engine();
        requireStackCli(engine);
        engine.dockerOk("swarm", "init", "--advertise-addr", "127.0.0.1");
        String node = engine.dockerOk("info", "--format", "{{.Swarm.NodeID}}");
        engine.dockerOk("node", "update", "--label-add", "tictactoe.prometheus=true", "--label-add",
                "tictactoe.grafana=true", node);
        return new SwarmStack(testbed, engine, engine);
    }

    /** The stack on a swarm that exists already: commands go to the manager, the client runs on clientNode. */
    public static SwarmStack on(Testbed testbed, Docker manager, Docker clientNode) {
        requireStackCli(manager);
        return new SwarmStack(testbed, manager, clientNode);
    }

    private static void requireStackCli(Docker docker) {
        String cliVersion = docker.dockerOk("version", "--format", "{{.Client.Version}}");
        if (Integer.parseInt(cliVersion.split("\\.")[0]) < 23) {
            ExternalTool.unavailable("the docker CLI on the PATH is " + cliVersion + ": before 23, `docker stack "
                    + "deploy` ignores `deploy.replicas: 0` in a second -c file (docker/cli#3293); the tests need it");
        }
    }

    /** Logs in to Prometheus with this password from now on (user {@link #PROMETHEUS_USER}). */
    public void usePrometheusPassword(String password) {
        prometheusPassword = password;
    }

    /** The id of the node that runs the client (on one node: the node). */
    public String clientNodeId() {
        return clientNodeId;
    }

    /**
     * The first step by hand (docs/deployment.md): the Grafana admin password, Prometheus' password in clear and
     * Prometheus' web configuration with that password's bcrypt hash, made with htpasswd as those commands show.
     */
    public void createSecrets() throws IOException {
        Path htpasswd = ExternalTool.require("htpasswd", "apache2-utils");
        String hash = Command.run(List.of(htpasswd.toString(), "-nbBC", "10", "", PROMETHEUS_PASSWORD), Map.of(),
                Duration.ofSeconds(30)).orFail().replace(":", "").strip();
        createSecret("grafana_admin_password", "a-long-test-password");
        createSecret("prometheus_password", PROMETHEUS_PASSWORD);
        createSecret("prometheus_web_config", "basic_auth_users:\n  " + PROMETHEUS_USER + ": " + hash + "\n");
    }

    private void createSecret(String name, String content) throws IOException {
        Path file = testbed.engine().scratch("secret").resolve(name);
        Files.writeString(file, content);
        manager.docker(Map.of(), file, Duration.ofSeconds(30), "secret", "create", name, "-").orFail();
    }

    /**
     * Starts a webhook receiver in the stack's network (deploy first: the network comes with the stack), on the
     * client's node.
     */
    public AlertReceiver startAlertReceiver() throws IOException, InterruptedException {
        alertReceiver = AlertReceiver.start(testbed, manager, clientNode, clientNodeId, NAME + "_monitoring");
        return alertReceiver;
    }

    /**
     * Makes the webhook's secret with this URL, as docs/monitoring.md does by hand: from the next deploy on,
     * Alertmanager posts its notifications there.
     */
    public void sendAlertsTo(String url) throws IOException {
        createSecret(WEBHOOK_SECRET, url);
        alertsToSecret = WEBHOOK_SECRET;
    }

    /** The HTTP status of a GET on Prometheus, as {@link #status}. */
    public int prometheusStatus(String path, String user, String password) {
        return status("prometheus:9090", path, user, password);
    }

    /**
     * The HTTP status of a GET on a service's task (tasks.HOST:PORT) from inside the network, logged in as given (no
     * login when null); 0 when nothing answered (no task yet, or not in DNS yet).
     */
    public int status(String hostAndPort, String path, String user, String password) {
        // No -L: "/" redirects to the web UI's query page, which the stand-in (Debian's 3.5, built without the UI)
        // does not have; the redirect itself comes only with the login.
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "--max-time", "5"));
        if (user != null) {
            command.addAll(List.of("-u", user + ":" + password));
        }
        command.add("http://tasks." + hostAndPort + path);
        // curl writes 000 and fails when it gets no answer.
        String status = client(command.toArray(String[]::new)).stdout().strip();
        return status.matches("\\d{3}") ? Integer.parseInt(status) : 0;
    }

    /** {@code IMAGE_TAG=tag docker stack deploy -c <folder>/stack.yml -c <override> tictactoe}. */
    public Command.Result deploy(Path swarmFolder, String imageTag) {
        Map<String, String> environment = new HashMap<>(testbed.stackEnvironment(swarmFolder));
        environment.put("IMAGE_TAG", imageTag);
        List<String> command = new ArrayList<>(List.of("stack", "deploy", "-c",
                swarmFolder.resolve("stack.yml").toAbsolutePath().toString()));
        if (alertsToSecret != null) {
            environment.put("ALERTS_TO_SECRET", alertsToSecret);
            command.addAll(List.of("-c", swarmFolder.resolve("alerts-to-webhook.yml").toAbsolutePath().toString()));
        }
        command.addAll(List.of("-c", OVERRIDE.toString(), NAME));
        return manager.docker(environment, null, Duration.ofMinutes(2), command.toArray(String[]::new));
    }

    /**
     * Waits until exactly this many of the service's tasks are meant to run and do, on any node; returns the seconds
     * it took. A task whose image has a healthcheck is "Running" only once its check passed.
     */
    public double awaitRunning(String service, int replicas, Duration limit) {
        long start = System.nanoTime();
        // Not dockerOk: while the managers elect a leader, a command can fail for a few seconds.
        Waiting.telling(() -> manager.docker("service", "ps", "--no-trunc", service).stdout(), () -> Waiting
                .upTo(limit, Duration.ofMillis(250)).alias(service + ": " + replicas + " running tasks")
                .until(() -> manager.docker("service", "ps", "--filter", "desired-state=running", "--format",
                        "{{.CurrentState}}", service), listed -> listed.ok() && allRunning(listed.stdout(), replicas)));
        return (System.nanoTime() - start) / 1e9;
    }

    /** The lines are this many task states, each of them "Running ...". */
    private static boolean allRunning(String states, int replicas) {
        List<String> lines = states.lines().toList();
        return lines.size() == replicas && lines.stream().allMatch(state -> state.startsWith("Running"));
    }

    /** The service's containers on the client's node (on one node: all of them). */
    public List<String> containers(String service) {
        return clientNode.dockerOk("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + service).lines()
                .toList();
    }

    /** The state of the service's last update (completed, rollback_completed, ...), empty before any update. */
    public String updateState(String service) {
        return manager.dockerOk("service", "inspect", "--format",
                "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}", service);
    }

    /** Like {@link #updateState}, but "unknown: ..." while the managers cannot answer (electing a leader). */
    private String updateStateOrWhyNot(String service) {
        Command.Result inspect = manager.docker("service", "inspect", "--format",
                "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}", service);
        return inspect.ok() ? inspect.stdout().trim() : "unknown: " + inspect.stderr().trim();
    }

    /** Waits until the service's update reaches one of these states; returns the state. */
    public String awaitUpdate(String service, List<String> finalStates, Duration limit) {
        return Waiting.telling(() -> manager.docker("service", "ps", "--no-trunc", service).stdout(), () -> Waiting
                .upTo(limit, Duration.ofMillis(500)).alias(service + ": its update in one of " + finalStates)
                .until(() -> updateStateOrWhyNot(service), finalStates::contains));
    }

    /**
     * Starts the client container in the stack's network on the client's node, as a service of its own (the network
     * is not attachable).
     */
    public void startClient() {
        manager.dockerOk("service", "create", "--detach", "--name", CLIENT, "--network", NAME + "_monitoring",
                "--constraint", "node.id==" + clientNodeId, "--restart-condition", "none", "--stop-signal", "SIGKILL",
                testbed.standIns().client(),
                "sleep", "3600");
        clientContainer = Waiting.telling(() -> manager.docker("service", "ps", "--no-trunc", CLIENT).stdout(),
                () -> Waiting.upTo(Duration.ofSeconds(60), Duration.ofMillis(250)).alias("the client's container")
                        .until(() -> containers(CLIENT), containers -> !containers.isEmpty()).get(0));
    }

    /** Runs a program in the client container. */
    public Command.Result client(String... command) {
        List<String> args = new ArrayList<>(List.of("exec", clientContainer));
        args.addAll(List.of(command));
        return clientNode.docker(Duration.ofSeconds(60), args.toArray(String[]::new));
    }

    /**
     * GET on Alertmanager's HTTP API from inside the network (its login is Prometheus'), with form parameters (name,
     * value, name, value, ...).
     */
    public JsonNode alertmanager(String path, String... parameters) throws IOException {
        return get("alertmanager:9093", path, parameters);
    }

    /** Prometheus' HTTP API from inside the network, logged in, as {@link PrometheusApi} asks it. */
    public PrometheusApi prometheusApi() {
        return new PrometheusApi((path, parameters) -> fetch("prometheus:9090", path, parameters));
    }

    private JsonNode get(String hostAndPort, String path, String... parameters) throws IOException {
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i += 2) {
            named.put(parameters[i], parameters[i + 1]);
        }
        return JSON.readTree(fetch(hostAndPort, path, named));
    }

    /** A GET by curl in the client container, logged in as Prometheus' user; the body, or a failure naming why. */
    private String fetch(String hostAndPort, String path, Map<String, String> parameters) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail-with-body", "--max-time", "20", "-G",
                "-u", PROMETHEUS_USER + ":" + prometheusPassword));
        parameters.forEach((name, value) -> command.addAll(List.of("--data-urlencode", name + "=" + value)));
        command.add("http://tasks." + hostAndPort + path);
        return client(command.toArray(String[]::new)).orFail();
    }

    /** Starts the player script in the client container, for at most the given time. */
    public Player play(Duration limit) throws IOException {
        Path output = Files.createTempFile(testbed.engine().scratch("players"), "player", ".txt");
        Process process = clientNode.dockerProcess("exec", "-i", clientContainer, "sh", "-s", "--",
                String.valueOf(limit.toSeconds()))
                .redirectInput(PLAYER.toFile()).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new Player(this, process, output);
    }

    /** The app_info line of every task that tasks.tictactoe lists, read from each task's /metrics. */
    public List<String> appInfoOfEveryTask() {
        Command.Result result = client("sh", "-c", "for ip in $(getent ahostsv4 tasks.tictactoe | awk '{print $1}' "
                + "| sort -u); do curl -s --max-time 3 http://$ip:" + MANAGEMENT_PORT + "/metrics "
                + "| grep '^app_info'; done");
        return result.stdout().lines().toList();
    }

    /** Removes the client's service, which holds on to the stack's network. */
    public void stopClient() {
        manager.docker("service", "rm", CLIENT);
    }

    @Override
    public void close() {
        if (alertReceiver != null) {
            alertReceiver.stop();
        }
        stopClient();
        manager.docker("stack", "rm", NAME);
    }
}
