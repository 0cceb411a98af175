package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.docker.Command;
import io.github.tictactoe.docker.DockerEngine;
import io.github.tictactoe.docker.Player;
import io.github.tictactoe.docker.SwarmStack;
import io.github.tictactoe.docker.Testbed;
import io.github.tictactoe.docker.TestbedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * swarm/up.sh and swarm/down.sh run as docs/testing.md says, on the tests' own engine with the stand-ins through
 * BUILD_ARGS and the test override through -c: bad use, the first run on an engine in no swarm, the traffic service,
 * a re-run that rolls new code out while a client plays, and the removal with and without --purge.
 */
@ExtendWith(TestbedExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpScriptIT {

    private static final Path UP = Path.of("swarm/up.sh");
    private static final Path DOWN = Path.of("swarm/down.sh");
    private static final Duration SCRIPT_LIMIT = Duration.ofMinutes(10);
    private static final List<String> SECRETS = List.of("grafana_admin_password", "prometheus_password",
            "prometheus_web_config");
    private static final Pattern PRINTED_URL = Pattern.compile("^(\\w+) +http://localhost:(\\d+)(/\\S*)", Pattern.MULTILINE);
    private static final Pattern PRINTED_PASSWORD = Pattern.compile(
            "^(prometheus|grafana) +http://\\S+ +user admin +password ([A-Za-z0-9]{32})$", Pattern.MULTILINE);
    private static final Pattern APP_INFO_VERSION = Pattern.compile("app_info\\{replica=\"[^\"]+\",version=\"([^\"]+)\"}");
    /** Moves, not all requests: the healthcheck alone adds a request every 2 s to each task. */
    private static final String MOVES = "http_server_requests_total\\{.*route=\"/api/move\"";
    private static final String GAMES = "tictactoe_games_total\\{";
    private static final Pattern TRAFFIC_MINUTE = Pattern.compile("last minute: (\\d+) requests .*?, (\\d+) errors, "
            + "(\\d+) games finished");

    private static Testbed testbed;
    private static DockerEngine engine;
    private static SwarmStack stack;
    private static String version;
    /** The login up.sh printed on its first run. */
    private static String prometheusPassword;

    @BeforeAll
    static void engineInNoSwarm(Testbed shared) throws IOException {
        testbed = shared;
        version = Testbed.defaultVersion();
        engine = shared.engine();
        assertThat(swarmState()).as("the tests' engine before up.sh").isEqualTo("inactive");
    }

    @AfterAll
    static void removeEverything() {
        if (stack != null) {
            stack.stopClient();
        }
        if (swarmState().equals("active")) {
            engine.run(List.of(DOWN.toString(), "--purge"), SCRIPT_LIMIT);
            engine.docker("swarm", "leave", "--force");
        }
    }

    @Test
    @Order(1)
    void badUseSaysWhatIsWrongInOneLineAndCreatesNothing() {
        List<String> imagesBefore = images();

        Command.Result unknown = up(Map.of(), "--frobnicate");
        Command.Result noEngine = Command.run(List.of(UP.toString()), Map.of("DOCKER_HOST",
                "unix:///nonexistent/docker.sock"), SCRIPT_LIMIT, null);
        Command.Result noSwarm = up(Map.of());
        Command.Result noTag = up(Map.of(), "--no-build");
        Command.Result downUnknown = engine.run(List.of(DOWN.toString(), "--all"), SCRIPT_LIMIT);
        Command.Result downNoSwarm = engine.run(List.of(DOWN.toString()), SCRIPT_LIMIT);
        for (Command.Result result : List.of(unknown, noEngine, noSwarm, noTag, downUnknown, downNoSwarm)) {
            System.out.println(result.command() + " -> exit " + result.exitCode() + ": "
                    + result.stderr().lines().findFirst().orElse(""));
        }

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).startsWith("up.sh: unknown option: --frobnicate\nUsage: swarm/up.sh");
        assertThat(noEngine.exitCode()).isEqualTo(1);
        assertThat(noEngine.stderr().lines()).singleElement().asString()
                .startsWith("up.sh: no Docker engine answers at DOCKER_HOST=unix:///nonexistent/docker.sock");
        assertThat(noSwarm.exitCode()).isEqualTo(1);
        assertThat(noSwarm.stderr().strip())
                .isEqualTo("up.sh: this engine is not in a swarm: run docker swarm init, or pass --init");
        assertThat(noTag.exitCode()).isEqualTo(2);
        assertThat(noTag.stderr()).startsWith("up.sh: --no-build needs IMAGE_TAG");
        assertThat(downUnknown.exitCode()).isEqualTo(2);
        assertThat(downNoSwarm.exitCode()).isEqualTo(1);
        assertThat(downNoSwarm.stderr().lines()).singleElement().asString()
                .startsWith("down.sh: this engine is not a swarm manager");
        assertThat(noSwarm.stdout() + unknown.stdout() + noEngine.stdout()).as("nothing done, nothing said").isEmpty();
        assertThat(swarmState()).as("no swarm made without --init").isEqualTo("inactive");
        assertThat(images()).as("no image built").isEqualTo(imagesBefore);
    }

    @Test
    @Order(2)
    void firstRunWithInitDeploysEverythingAndPrintsAWorkingLogin() throws Exception {
        long start = System.nanoTime();
        Command.Result up = up(Map.of(), "--init");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("up.sh --init on an engine in no swarm (image built from the working tree): %.0f s%n%s%n",
                seconds, up.stdout());
        assertThat(up.exitCode()).as("%s", up).isZero();
        stack = SwarmStack.on(testbed, engine, engine);

        Matcher passwords = PRINTED_PASSWORD.matcher(up.stdout());
        Map<String, String> printed = new TreeMap<>();
        while (passwords.find()) {
            printed.put(passwords.group(1), passwords.group(2));
        }
        assertThat(printed).as("the new passwords, printed once").containsOnlyKeys("grafana", "prometheus");
        assertThat(printed.get("grafana")).isNotEqualTo(printed.get("prometheus"));
        prometheusPassword = printed.get("prometheus");
        stack.usePrometheusPassword(prometheusPassword);
        assertThat(up.stdout()).contains("Keep the passwords above");
        assertNotInTheProject(printed.values());

        assertThat(swarmState()).isEqualTo("active");
        assertThat(secretIds().keySet()).containsExactlyInAnyOrderElementsOf(SECRETS);
        assertThat(engine.dockerOk("node", "inspect", "self", "--format", "{{json .Spec.Labels}}"))
                .contains("\"tictactoe.prometheus\":\"true\"", "\"tictactoe.grafana\":\"true\"");
        assertThat(serviceReplicas()).containsEntry(SwarmStack.APP, "3/3").containsEntry(SwarmStack.PROMETHEUS, "1/1")
                .containsEntry(SwarmStack.NAME + "_traffic", "0/0");
        assertThat(engine.dockerOk("ps", "--filter", "label=com.docker.swarm.service.name=" + SwarmStack.APP,
                "--format", "{{.Status}}").lines()).hasSize(3).allMatch(status -> status.endsWith("(healthy)"));

        stack.startClient();
        assertEveryPrintedUrlAnswersInsideTheNetwork(up.stdout());
        for (String path : List.of("/", "/api/v1/query?query=up")) {
            assertThat(stack.prometheusStatus(path, null, null)).as("%s without a login", path).isEqualTo(401);
            // "/" redirects to the web UI (302), which Debian's 3.5 stand-in lacks; the API answers 200.
            assertThat(stack.prometheusStatus(path, "admin", prometheusPassword)).as("%s with the printed login", path)
                    .isEqualTo(path.equals("/") ? 302 : 200);
        }
        assertThat(versionsOfEveryTask()).hasSize(3).containsOnly(version);
    }

    @Test
    @Order(3)
    void trafficMakesEveryReplicaAndEveryPanelMoveWithinAMinute() throws Exception {
        Map<String, Double> requestsBefore = perTask(MOVES);
        Map<String, Double> gamesBefore = perTask(GAMES);
        Map<String, String> secretsBefore = secretIds();

        long start = System.nanoTime();
        Command.Result up = up(Map.of(), "--traffic");
        long started = System.nanoTime();
        System.out.printf("up.sh --traffic, the same code (image built already, nothing to roll): %.0f s%n",
                (started - start) / 1e9);
        assertThat(up.exitCode()).as("%s", up).isZero();
        assertThat(serviceReplicas()).containsEntry(SwarmStack.NAME + "_traffic", "1/1");
        assertThat(up.stdout()).as("the same code: no new image, no rollout").contains("3 replicas of tttapp:" + version
                + "-").doesNotContain("Waiting:");
        assertThat(secretIds()).isEqualTo(secretsBefore);

        Map<String, String> stillFlat;
        Map<String, String> emptyPanels = new LinkedHashMap<>();
        long deadline = started + Duration.ofSeconds(60).toNanos();
        do {
            Thread.sleep(3000);
            stillFlat = new TreeMap<>();
            Map<String, Double> requests = perTask(MOVES);
            Map<String, Double> games = perTask(GAMES);
            for (String task : requestsBefore.keySet()) {
                if (requests.getOrDefault(task, 0.0) <= requestsBefore.get(task)) {
                    stillFlat.put(task, "moves");
                }
            }
            if (sum(games) <= sum(gamesBefore)) {
                stillFlat.put("all", "games");
            }
            emptyPanels.clear();
            for (SwarmFiles.PanelQuery query : SwarmFiles.panelQueries()) {
                if (stack.query(query.resolved()).isEmpty()) {
                    emptyPanels.put(query.dashboard() + " / " + query.panel(), query.resolved());
                }
            }
        } while ((!stillFlat.isEmpty() || !emptyPanels.isEmpty()) && System.nanoTime() < deadline);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("--traffic: every replica's moves and the games grew, every panel had data, %.0f s after "
                + "up.sh returned; moves per task before %s, now %s; games %.0f -> %.0f%n", seconds,
                requestsBefore, perTask(MOVES), sum(gamesBefore),
                sum(perTask(GAMES)));

        assertThat(stillFlat).as("counters that did not grow within 60 s").isEmpty();
        assertThat(emptyPanels).as("panels whose query returned nothing").isEmpty();
        Matcher minute = awaitTrafficMinuteLine(Duration.ofSeconds(90));
        System.out.println("The traffic service's first minute: " + minute.group());
        assertThat(Integer.parseInt(minute.group(2))).as("errors the traffic met").isZero();
        assertThat(Integer.parseInt(minute.group(3))).as("games a minute at the default 2 a second").isGreaterThan(60);
        assertThat(stack.query("ALERTS{alertname=~\"TicTacToeHigh.*\"}")).as("error and latency alerts").isEmpty();
    }

    @Test
    @Order(4)
    void reRunRollsTheNewCodeOutWithNoFailedRequestAndKeepsSecretsAndLogin() throws Exception {
        Map<String, String> secretsBefore = secretIds();
        String next = version + "-next";
        Player player = stack.play(Duration.ofMinutes(8));
        Thread.sleep(2000);

        long start = System.nanoTime();
        Instant since = Instant.now();
        // New code, as far as the image is concerned: another VERSION makes another image, so another tag.
        Command.Result up = up(Map.of("VERSION", next));
        double seconds = (System.nanoTime() - start) / 1e9;
        Player.Result played = player.stop();
        System.out.printf("up.sh again with new code: %.0f s (build, rolling update, wait); the player: %s%n%s%n",
                seconds, played, up.stdout());
        // Not asserted: the traffic service is a load to watch, not the test's client; what it met is a figure.
        Command.Result trafficLog = engine.docker("service", "logs", "--raw", "--since", since.toString(),
                SwarmStack.NAME + "_traffic");
        System.out.println("The traffic service during the update:\n" + (trafficLog.stdout() + trafficLog.stderr())
                .lines().filter(line -> line.contains("requests")).collect(Collectors.joining("\n")));

        assertThat(up.exitCode()).as("%s", up).isZero();
        assertThat(stack.updateState(SwarmStack.APP)).isEqualTo("completed");
        assertThat(versionsOfEveryTask()).hasSize(3).containsOnly(next);
        assertThat(played.requests()).isGreaterThan(100);
        assertThat(played.failed()).as("%s", played).isZero();
        assertThat(secretIds()).as("no secret made again").isEqualTo(secretsBefore);
        assertThat(PRINTED_PASSWORD.matcher(up.stdout()).find()).as("no password printed again").isFalse();
        assertThat(up.stdout()).contains("password in secret prometheus_password");
        assertThat(stack.prometheusStatus("/api/v1/query?query=up", "admin", prometheusPassword)).isEqualTo(200);
        assertThat(serviceReplicas()).as("the traffic keeps running").containsEntry(SwarmStack.NAME + "_traffic", "1/1");
    }

    @Test
    @Order(5)
    void downRemovesTheStackAndPurgeItsSecretsAndVolumes() {
        stack.stopClient();
        long start = System.nanoTime();
        Command.Result down = engine.run(List.of(DOWN.toString()), SCRIPT_LIMIT);
        System.out.printf("down.sh: %.0f s%n%s%n", (System.nanoTime() - start) / 1e9, down.stdout());
        assertThat(down.exitCode()).as("%s", down).isZero();
        String namespace = "label=com.docker.stack.namespace=" + SwarmStack.NAME;
        for (String kind : List.of("service", "network", "config")) {
            assertThat(engine.dockerOk(kind, "ls", "-q", "--filter", namespace)).as(kind + "s left").isEmpty();
        }
        assertThat(engine.dockerOk("ps", "-aq", "--filter", namespace)).as("containers left").isEmpty();
        assertThat(secretIds().keySet()).as("secrets kept").containsExactlyInAnyOrderElementsOf(SECRETS);
        assertThat(volumes()).as("volumes kept").contains(SwarmStack.NAME + "_prometheus-data");

        Command.Result purge = engine.run(List.of(DOWN.toString(), "--purge"), SCRIPT_LIMIT);
        System.out.println("down.sh --purge:\n" + purge.stdout());
        assertThat(purge.exitCode()).as("%s", purge).isZero();
        assertThat(secretIds()).as("secrets left").isEmpty();
        assertThat(volumes()).as("volumes left").noneMatch(volume -> volume.startsWith(SwarmStack.NAME + "_"));
    }

    /** swarm/up.sh with the stand-ins and the test override, as docs/testing.md shows; VERSION may be set too. */
    private static Command.Result up(Map<String, String> buildArgs, String... options) {
        Map<String, String> all = new LinkedHashMap<>(Map.of("BUILD_IMAGE", testbed.standIns().build()));
        all.putAll(buildArgs);
        StringBuilder buildArgsVariable = new StringBuilder();
        all.forEach((name, value) -> buildArgsVariable.append(" --build-arg ").append(name).append('=').append(value));
        List<String> command = new ArrayList<>(List.of(UP.toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-c", "src/test/resources/docker/stack.override.yml"));
        Map<String, String> environment = new LinkedHashMap<>(testbed.stackEnvironment(SwarmFiles.SWARM));
        environment.put("BUILD_ARGS", buildArgsVariable.toString().strip());
        return engine.run(command, environment, SCRIPT_LIMIT);
    }

    private static String swarmState() {
        return engine.dockerOk("info", "--format", "{{.Swarm.LocalNodeState}}").strip();
    }

    private static List<String> images() {
        return engine.dockerOk("images", "-q", "--no-trunc").lines().sorted().toList();
    }

    private static List<String> volumes() {
        return engine.dockerOk("volume", "ls", "-q").lines().toList();
    }

    /** The stack's secrets by name, with their ids: a secret made again has a new id. */
    private static Map<String, String> secretIds() {
        Map<String, String> ids = new TreeMap<>();
        engine.dockerOk("secret", "ls", "--format", "{{.Name}} {{.ID}}").lines().map(line -> line.split(" "))
                .filter(fields -> SECRETS.contains(fields[0])).forEach(fields -> ids.put(fields[0], fields[1]));
        return ids;
    }

    private static Map<String, String> serviceReplicas() {
        Map<String, String> replicas = new TreeMap<>();
        engine.dockerOk("service", "ls", "--format", "{{.Name}} {{.Replicas}}").lines().map(line -> line.split(" "))
                .forEach(fields -> replicas.put(fields[0], fields[1]));
        return replicas;
    }

    private static void assertNotInTheProject(Iterable<String> secrets) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of(""))) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.startsWith("target"))
                    .filter(f -> !f.startsWith(".git")).toList()) {
                String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(text).as("%s holds a password up.sh made", file).doesNotContain(secret);
                }
            }
        }
    }

    /**
     * Each URL up.sh printed, asked inside the stack's network: its port is the one a service publishes, so it goes to
     * every task of that service on the port the service publishes it from.
     */
    private static void assertEveryPrintedUrlAnswersInsideTheNetwork(String printed) throws Exception {
        Map<Integer, String[]> published = new TreeMap<>();
        for (String service : engine.dockerOk("service", "ls", "--format", "{{.Name}}").lines().toList()) {
            String ports = engine.dockerOk("service", "inspect", "--format",
                    "{{range .Endpoint.Spec.Ports}}{{.PublishedPort}}:{{.TargetPort}} {{end}}", service).strip();
            for (String port : ports.isEmpty() ? new String[0] : ports.split(" ")) {
                String[] pair = port.split(":");
                published.put(Integer.parseInt(pair[0]), new String[] {service, pair[1]});
            }
        }
        Matcher url = PRINTED_URL.matcher(printed);
        int urls = 0;
        while (url.find()) {
            urls++;
            String[] target = published.get(Integer.parseInt(url.group(2)));
            assertThat(target).as("a service publishes the port of %s", url.group()).isNotNull();
            String service = target[0].substring(SwarmStack.NAME.length() + 1);
            String replicas = serviceReplicas().get(target[0]);
            if (replicas.equals("0/0")) {
                System.out.println(url.group() + ": not asked, " + target[0] + " runs no task here (no Grafana image)");
                continue;
            }
            boolean prometheus = service.equals("prometheus");
            // Prometheus' "/" redirects to its web UI, which Debian's 3.5 stand-in lacks: its answer is that redirect.
            String curl = prometheus ? "curl -s -u admin:" + prometheusPassword + " " : "curl -s -L ";
            String statuses = stack.client("sh", "-c", "for ip in $(getent ahostsv4 tasks." + service
                    + " | awk '{print $1}' | sort -u); do " + curl + "-o /dev/null -w '%{http_code} ' --max-time 5 "
                    + "http://$ip:" + target[1] + url.group(3) + "; done").stdout().strip();
            System.out.println(url.group() + " -> " + target[0] + " tasks on port " + target[1] + ": " + statuses);
            assertThat(statuses.split(" ")).as(url.group()).hasSize(service.equals("tictactoe") ? 3 : 1)
                    .containsOnly(prometheus && url.group(3).equals("/") ? "302" : "200");
        }
        assertThat(urls).as("URLs printed").isEqualTo(4);
    }

    private static List<String> versionsOfEveryTask() {
        List<String> versions = new ArrayList<>();
        for (String line : stack.appInfoOfEveryTask()) {
            Matcher matcher = APP_INFO_VERSION.matcher(line);
            assertThat(matcher.find()).as(line).isTrue();
            versions.add(matcher.group(1));
        }
        return versions;
    }

    /** The sum of the series a regular expression selects, on each task, read from the task's own /metrics. */
    private static Map<String, Double> perTask(String series) {
        String output = stack.client("sh", "-c", "for ip in $(getent ahostsv4 tasks.tictactoe | awk '{print $1}' "
                + "| sort -u); do echo \"$ip $(curl -s --max-time 3 http://$ip:3306/metrics | grep -E '^" + series
                + "' | awk '{s += $2} END {print s + 0}')\"; done").orFail();
        Map<String, Double> values = new TreeMap<>();
        output.lines().map(line -> line.split(" ")).forEach(f -> values.put(f[0], Double.parseDouble(f[1])));
        assertThat(values).as("tasks of tictactoe").hasSize(3);
        return values;
    }

    private static double sum(Map<String, Double> values) {
        return values.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static Matcher awaitTrafficMinuteLine(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Command.Result logs = engine.docker("service", "logs", "--raw", SwarmStack.NAME + "_traffic");
            Matcher matcher = TRAFFIC_MINUTE.matcher(logs.stdout() + logs.stderr());
            if (matcher.find()) {
                return matcher;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("no minute line from the traffic service within " + limit + ":\n"
                + engine.docker("service", "logs", "--raw", SwarmStack.NAME + "_traffic"));
    }
}
