package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.tictactoe.docker.Command;
import io.github.tictactoe.docker.DockerEngine;
import io.github.tictactoe.docker.Player;
import io.github.tictactoe.docker.SwarmStack;
import io.github.tictactoe.docker.Testbed;
import io.github.tictactoe.docker.TestbedExtension;
import io.github.tictactoe.testing.Waiting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * BUILD_ARGS and the test overrides through -c: bad use, a first run on an engine in no swarm stopped at each step and
 * completed by the next with the same passwords, a half-made pair of Prometheus secrets, Grafana waited for, the
 * traffic service, a re-run that rolls new code out while a client plays, and the removal with and without --purge.
 *
 * <p>The tests are one user's session, in order, and cannot run alone: each starts from what the one before left (the
 * swarm and the kept passwords of the first completed run, the stack it deployed, the traffic service), as a user's
 * next command would. To run a later one, select it with every test before it.
 */
@ExtendWith(TestbedExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpScriptIT {

    private static final Path UP = Path.of("swarm/up.sh");
    private static final Path DOWN = Path.of("swarm/down.sh");
    private static final Duration SCRIPT_LIMIT = Duration.ofMinutes(10);
    private static final Path OVERRIDES = Path.of("src/test/resources/docker");
    private static final String UNHEALTHY_GRAFANA = OVERRIDES.resolve("grafana-unhealthy.override.yml").toString();
    private static final String METRICS_PUBLISHED = "swarm/metrics-published.yml";
    /** The secrets whose passwords up.sh keeps: Prometheus' web configuration holds the hash of prometheus_password's. */
    private static final List<String> KEPT = List.of("grafana_admin_password", "prometheus_password");
    private static final String GRAFANA = SwarmStack.NAME + "_grafana";
    private static final List<String> SECRETS = List.of("grafana_admin_password", "prometheus_password",
            "prometheus_web_config");
    private static final Pattern PRINTED_URL = Pattern.compile("^(\\w+) +http://localhost:(\\d+)(/\\S*)", Pattern.MULTILINE);
    private static final Pattern PRINTED_PASSWORD = Pattern.compile(
            "^(prometheus|alertmanager|grafana) +http://\\S+ +user admin +password ([A-Za-z0-9]{32})", Pattern.MULTILINE);
    /**
     * Webhook URLs for --alerts-to that lead nowhere but the Alertmanager task's own loopback (port 9, discard): an
     * alert during the test sends nothing out of the machine. Each is in a secret, never in a file or an output.
     */
    private static final String FIRST_WEBHOOK = "http://127.0.0.1:9/first-token-4f1d";
    private static final String SECOND_WEBHOOK = "http://127.0.0.1:9/second-token-8c2e";
    private static final Pattern ALERTS_LINE = Pattern.compile(
            "^alerts +posted to the webhook URL in secret (alertmanager_webhook_url_\\d{14}); ", Pattern.MULTILINE);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Pattern APP_INFO_VERSION = Pattern.compile(
            "app_info\\{node=\"[^\"]+\",replica=\"[^\"]+\",version=\"([^\"]+)\"}");
    /** Moves, not all requests: only players make them (scrapes and healthchecks are not counted at all). */
    private static final String MOVES = "http_server_requests_total\\{.*route=\"/api/move\"";
    private static final String GAMES = "tictactoe_games_total\\{";
    private static final Pattern TRAFFIC_MINUTE = Pattern.compile("last minute: (\\d+) requests .*?, (\\d+) errors, "
            + "(\\d+) games finished");

    private static Testbed testbed;
    private static DockerEngine engine;
    private static SwarmStack stack;
    private static String version;
    /** The login up.sh kept on its first run. */
    private static String prometheusPassword;
    /** XDG_STATE_HOME of every up.sh and down.sh run: where they keep the passwords, in the engine's scratch folder. */
    private static Path stateHome;

    @BeforeAll
    static void engineInNoSwarm(Testbed shared) throws IOException {
        testbed = shared;
        version = Testbed.defaultVersion();
        engine = shared.engine();
        stateHome = engine.scratch("xdg-state");
        assertThat(swarmState()).as("the tests' engine before up.sh").isEqualTo("inactive");
    }

    @AfterAll
    static void removeEverything() {
        if (stack != null) {
            stack.stopClient();
        }
        if (swarmState().equals("active")) {
            engine.run(List.of(DOWN.toString(), "--purge"), Map.of("XDG_STATE_HOME", stateHome.toString()), SCRIPT_LIMIT);
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
        Command.Result notAUrl = up(Map.of(), "--alerts-to", "hooks.example/no scheme");
        // Alone: up() puts the test's -c overrides after the options, which --alerts-to would take for its URL.
        Command.Result noUrl = engine.run(List.of(UP.toString(), "--alerts-to"), upEnvironment(Map.of()), SCRIPT_LIMIT);
        Command.Result downUnknown = down("--all");
        Command.Result downNoSwarm = down();
        for (Command.Result result : List.of(unknown, noEngine, noSwarm, noTag, notAUrl, noUrl, downUnknown,
                downNoSwarm)) {
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
        assertThat(notAUrl.exitCode()).isEqualTo(2);
        assertThat(notAUrl.stderr()).startsWith("up.sh: --alerts-to hooks.example/no scheme: not a webhook URL "
                + "(http://HOST/... or https://HOST/..., no spaces)\nUsage: swarm/up.sh");
        assertThat(noUrl.exitCode()).isEqualTo(2);
        assertThat(noUrl.stderr()).startsWith("up.sh: --alerts-to needs a URL\nUsage: swarm/up.sh");
        assertThat(downUnknown.exitCode()).isEqualTo(2);
        assertThat(downNoSwarm.exitCode()).isEqualTo(1);
        assertThat(downNoSwarm.stderr().lines()).singleElement().asString()
                .startsWith("down.sh: this engine is not a swarm manager");
        assertThat(noSwarm.stdout() + unknown.stdout() + noEngine.stdout() + notAUrl.stdout())
                .as("nothing done, nothing said").isEmpty();
        assertThat(swarmState()).as("no swarm made without --init").isEqualTo("inactive");
        assertThat(images()).as("no image built").isEqualTo(imagesBefore);
    }

    /**
     * A first run stopped during the build, after the secrets, after the deploy and during the wait (Grafana never
     * answering): no password is lost, each is kept where only this user can read it and the run says where, and the
     * next run completes the stack with the same secrets. Between the first two, half a pair of Prometheus secrets with
     * no kept password stops up.sh before it makes anything.
     */
    @Test
    @Order(2)
    void aRunStoppedAtAnyStepLosesNoPasswordAndTheNextCompletesTheStack() throws Exception {
        Command.Result duringBuild = upInterrupted("Building the image", "--init");
        report("SIGTERM during the build of the first run, with --init", duringBuild);
        assertThat(duringBuild.exitCode()).as("%s", duringBuild).isEqualTo(143);
        assertThat(swarmState()).as("--init made the swarm before the build").isEqualTo("active");
        assertThat(secretIds()).as("no secret before the build ends").isEmpty();
        assertThat(passwordsFolder()).doesNotExist();

        for (String half : List.of("prometheus_password", "prometheus_web_config")) {
            String other = half.equals("prometheus_password") ? "prometheus_web_config" : "prometheus_password";
            engine.docker(Map.of(), writeScratch("half", "made by hand"), Duration.ofSeconds(30), "secret", "create",
                    half, "-").orFail();
            Command.Result refused = up(Map.of());
            report("only " + half, refused);
            assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
            assertThat(refused.stderr().lines()).singleElement().asString()
                    .startsWith("up.sh: secret " + half + " exists without " + other + ", and no password kept in "
                            + passwordsFolder() + " says what it holds");
            assertThat(refused.stdout()).as("nothing built, nothing made").isEmpty();
            assertThat(secretIds().keySet()).containsExactly(half);
            engine.dockerOk("secret", "rm", half);
        }

        Command.Result afterSecrets = upInterrupted("Made the secrets");
        report("SIGTERM after the secrets", afterSecrets);
        assertThat(afterSecrets.exitCode()).as("%s", afterSecrets).isEqualTo(143);
        Map<String, String> secrets = secretIds();
        assertThat(secrets.keySet()).containsExactlyInAnyOrderElementsOf(SECRETS);
        assertThat(afterSecrets.stdout()).contains("their passwords are kept in " + passwordsFolder()
                + ", which only you can read");
        assertThat(afterSecrets.stderr()).contains("are kept in " + passwordsFolder());
        Map<String, String> kept = keptPasswords();
        assertThat(kept.values()).allMatch(password -> password.matches("[A-Za-z0-9]{32}"));
        assertThat(kept.get("grafana_admin_password")).isNotEqualTo(kept.get("prometheus_password"));

        Command.Result afterDeploy = upInterrupted("Deployed; waiting");
        report("SIGTERM after the deploy", afterDeploy);
        assertThat(afterDeploy.exitCode()).as("%s", afterDeploy).isEqualTo(143);
        assertThat(afterDeploy.stdout()).doesNotContain("Made the secrets");
        assertThat(serviceReplicas()).containsKeys(SwarmStack.APP, SwarmStack.PROMETHEUS, GRAFANA);

        // A failure during the wait, injected through the stack files: a Grafana that never answers its health path.
        long start = System.nanoTime();
        Command.Result grafanaDown = up(Map.of("UP_WAIT_SECONDS", "90"), "-c", UNHEALTHY_GRAFANA);
        report(String.format("Grafana never healthy, UP_WAIT_SECONDS=90 (%.0f s)", (System.nanoTime() - start) / 1e9),
                grafanaDown);
        assertThat(grafanaDown.exitCode()).as("%s", grafanaDown).isEqualTo(1);
        // The build's output goes to stderr before it: up.sh's own line is the last.
        assertThat(lastLine(grafanaDown.stderr()))
                .startsWith("up.sh: not ready after 90 s: grafana (0 of 1 tasks run and answer /api/health)")
                .doesNotContain("tictactoe (", "prometheus (", "traffic (");

        start = System.nanoTime();
        Command.Result completed = up(Map.of(), "--alerts-to", FIRST_WEBHOOK);
        System.out.printf("up.sh --alerts-to URL after four stopped runs: %.0f s%n%s%n",
                (System.nanoTime() - start) / 1e9, completed.stdout());
        assertThat(completed.exitCode()).as("%s", completed).isZero();
        assertThat(secretIds()).as("the same secrets").isEqualTo(secrets);
        assertThat(keptPasswords()).as("the same passwords").isEqualTo(kept);
        assertThat(PRINTED_PASSWORD.matcher(completed.stdout()).find()).as("made by an earlier run: not printed")
                .isFalse();
        for (String line : List.of("prometheus  http://localhost:9090/  user admin  password in "
                + passwordsFolder().resolve("prometheus_password"), "alertmanager http://localhost:9093/  user admin  "
                + "password in " + passwordsFolder().resolve("prometheus_password") + " (Prometheus' login)",
                "grafana     http://localhost:3000/  user admin  password in "
                + passwordsFolder().resolve("grafana_admin_password"))) {
            assertThat(completed.stdout().lines()).contains(line);
        }
        assertNotInTheProject(kept.values());
        assertThat(webhookSecrets()).as("the webhook's secret").containsExactly(printedWebhookSecret(completed));
        assertThat(completed.stdout() + completed.stderr()).as("the URL is in the secret only")
                .doesNotContain(FIRST_WEBHOOK);
        try (Stream<Path> keptFiles = Files.list(passwordsFolder())) {
            for (Path file : keptFiles.toList()) {
                assertThat(Files.readString(file)).as("%s: up.sh keeps no webhook URL", file)
                        .doesNotContain(FIRST_WEBHOOK);
            }
        }

        stack = SwarmStack.on(testbed, engine, engine);
        prometheusPassword = kept.get("prometheus_password");
        stack.usePrometheusPassword(prometheusPassword);
        assertThat(mountedWebhookUrl()).as("the URL Alertmanager reads").isEqualTo(FIRST_WEBHOOK);
        assertThat(engine.dockerOk("node", "inspect", "self", "--format", "{{json .Spec.Labels}}"))
                .contains("\"tictactoe.prometheus\":\"true\"", "\"tictactoe.grafana\":\"true\"");
        assertThat(serviceReplicas()).containsEntry(SwarmStack.APP, "3/3").containsEntry(SwarmStack.PROMETHEUS, "1/1")
                .containsEntry(SwarmStack.ALERTMANAGER, "1/1").containsEntry(SwarmStack.NODE_EXPORTER, "1/1")
                .containsEntry(GRAFANA, "1/1").containsEntry(SwarmStack.NAME + "_traffic", "0/0");
        assertThat(engine.dockerOk("ps", "--filter", "label=com.docker.swarm.service.name=" + SwarmStack.APP,
                "--format", "{{.Status}}").lines()).hasSize(3).allMatch(status -> status.endsWith("(healthy)"));
        assertThat(engine.dockerOk("ps", "--filter", "label=com.docker.swarm.service.name=" + GRAFANA,
                "--format", "{{.Status}}").lines()).singleElement().asString().endsWith("(healthy)");

        stack.startClient();
        assertThat(assertEveryPrintedUrlAnswersInsideTheNetwork(completed.stdout())).as("URLs printed").isEqualTo(4);
        for (String path : List.of("/", "/api/v1/query?query=up")) {
            assertThat(stack.prometheusStatus(path, null, null)).as("%s without a login", path).isEqualTo(401);
            // "/" redirects to the web UI (302), which Debian's 3.5 stand-in lacks; the API answers 200.
            assertThat(stack.prometheusStatus(path, "admin", prometheusPassword)).as("%s with the kept login", path)
                    .isEqualTo(path.equals("/") ? 302 : 200);
        }
        assertThat(versionsOfEveryTask()).hasSize(3).containsOnly(version);
        assertMetricsOnlyOnTheManagementPortWhichPrometheusScrapes();
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
                + "-").doesNotContain("Waiting (");
        assertThat(secretIds()).isEqualTo(secretsBefore);
        assertThat(printedWebhookSecret(up)).as("no --alerts-to: the URL given before is kept")
                .isEqualTo(webhookSecrets().get(0));
        assertThat(mountedWebhookUrl()).isEqualTo(FIRST_WEBHOOK);

        // Within a minute of up.sh's return: every replica's moves and the games grew, every panel has data.
        Waiting.upTo(Duration.ofSeconds(60).minusNanos(System.nanoTime() - started), Duration.ofSeconds(3))
                .untilAsserted(() -> {
                    assertThat(notGrown(requestsBefore, gamesBefore)).as("counters that did not grow").isEmpty();
                    assertThat(SwarmFiles.panelsWithoutData(stack.prometheusApi(), SwarmFiles.DASHBOARDS))
                            .as("panels whose query returned nothing").isEmpty();
                });
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("--traffic: every replica's moves and the games grew, every panel had data, %.0f s after "
                + "up.sh returned; moves per task before %s, now %s; games %.0f -> %.0f%n", seconds,
                requestsBefore, perTask(MOVES), sum(gamesBefore), sum(perTask(GAMES)));

        Matcher minute = awaitTrafficMinuteLine(Duration.ofSeconds(90));
        System.out.println("The traffic service's first minute: " + minute.group());
        assertThat(Integer.parseInt(minute.group(2))).as("errors the traffic met").isZero();
        assertThat(Integer.parseInt(minute.group(3))).as("games a minute at the default 2 a second").isGreaterThan(60);
        assertThat(stack.prometheusApi().query("ALERTS{alertname=~\"TicTacToeHigh.*\"}")).as("error and latency alerts")
                .isEmpty();
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
        assertThat(up.stdout()).contains("password in " + passwordsFolder().resolve("prometheus_password"));
        assertThat(stack.prometheusStatus("/api/v1/query?query=up", "admin", prometheusPassword)).isEqualTo(200);
        assertThat(serviceReplicas()).as("the traffic keeps running").containsEntry(SwarmStack.NAME + "_traffic", "1/1");
    }

    /**
     * down.sh keeps the secrets, volumes and kept passwords; up.sh then completes a half-made pair of Prometheus secrets
     * from the kept password (here with the opt-in file that publishes the metrics); down.sh --purge removes it all.
     */
    @Test
    @Order(5)
    void downKeepsWhatUpMadeAHalfPairIsCompletedFromTheKeptPasswordAndPurgeRemovesIt() throws Exception {
        stack.stopClient();
        String deployedTag = engine.dockerOk("service", "inspect", "--format",
                "{{.Spec.TaskTemplate.ContainerSpec.Image}}", SwarmStack.APP).replaceAll("@.*", "")
                .replace("tttapp:", "");
        long start = System.nanoTime();
        Command.Result down = down();
        System.out.printf("down.sh: %.0f s%n%s%n", (System.nanoTime() - start) / 1e9, down.stdout());
        assertThat(down.exitCode()).as("%s", down).isZero();
        String namespace = "label=com.docker.stack.namespace=" + SwarmStack.NAME;
        for (String kind : List.of("service", "network", "config")) {
            assertThat(engine.dockerOk(kind, "ls", "-q", "--filter", namespace)).as(kind + "s left").isEmpty();
        }
        assertThat(engine.dockerOk("ps", "-aq", "--filter", namespace)).as("containers left").isEmpty();
        Map<String, String> secrets = secretIds();
        assertThat(secrets.keySet()).as("secrets kept").containsExactlyInAnyOrderElementsOf(SECRETS);
        assertThat(volumes()).as("volumes kept").contains(SwarmStack.NAME + "_prometheus-data");
        Map<String, String> kept = keptPasswords();

        List<String> webhookBefore = webhookSecrets();
        assertThat(webhookBefore).as("the webhook's secret kept").hasSize(1);

        // As if a run had stopped between Prometheus' two secrets: the kept password makes the missing one. And
        // another webhook URL, which replaces the first.
        engine.dockerOk("secret", "rm", "prometheus_web_config");
        Command.Result completed = up(Map.of("IMAGE_TAG", deployedTag), "--no-build", "-c", METRICS_PUBLISHED,
                "--alerts-to", SECOND_WEBHOOK);
        System.out.println("up.sh --no-build --alerts-to ANOTHER after down.sh, without prometheus_web_config:\n"
                + completed.stdout());
        assertThat(completed.exitCode()).as("%s", completed).isZero();
        assertThat(secretIds()).containsEntry("prometheus_password", secrets.get("prometheus_password"))
                .containsEntry("grafana_admin_password", secrets.get("grafana_admin_password"))
                .containsKey("prometheus_web_config");
        assertThat(completed.stdout().lines()).contains("prometheus  http://localhost:9090/  user admin  password "
                + kept.get("prometheus_password"));
        assertThat(keptPasswords()).isEqualTo(kept);
        assertThat(mountedWebhookUrl()).as("the new URL").isEqualTo(SECOND_WEBHOOK);
        assertThat(webhookSecrets()).as("the old secret removed once the stack was ready")
                .containsExactly(printedWebhookSecret(completed)).doesNotContainAnyElementsOf(webhookBefore);
        assertThat(completed.stdout()).contains("Removed the secret " + webhookBefore.get(0));
        stack.startClient();
        assertThat(stack.prometheusStatus("/api/v1/query?query=up", "admin", kept.get("prometheus_password")))
                .as("the web configuration made from the kept password").isEqualTo(200);
        assertThat(completed.stdout().lines()).contains("metrics     http://localhost:3308/metrics  (a replica per "
                + "request; app_info says which)");
        assertThat(assertEveryPrintedUrlAnswersInsideTheNetwork(completed.stdout())).as("URLs printed").isEqualTo(5);
        stack.stopClient();

        Command.Result purge = down("--purge");
        System.out.println("down.sh --purge:\n" + purge.stdout());
        assertThat(purge.exitCode()).as("%s", purge).isZero();
        assertThat(secretIds()).as("secrets left").isEmpty();
        assertThat(webhookSecrets()).as("webhook secrets left").isEmpty();
        assertThat(volumes()).as("volumes left").noneMatch(volume -> volume.startsWith(SwarmStack.NAME + "_"));
        assertThat(passwordsFolder()).as("the kept passwords").doesNotExist();
    }

    /** docs/deployment.md's way to undo --init, after down.sh --purge: the engine is in no swarm again. */
    @Test
    @Order(6)
    void leavingTheSwarmAsTheDocsSayUndoesInit() throws IOException {
        String undo = "`docker swarm leave --force`";
        assertThat(Files.readString(Path.of("docs/deployment.md"))).contains("**Undoing `--init`**", undo);

        engine.run(List.of("bash", "-c", undo.replace("`", "")), SCRIPT_LIMIT).orFail();

        assertThat(swarmState()).isEqualTo("inactive");
        assertThat(engine.docker("node", "ls").stderr()).as("no swarm to ask").contains("not a swarm manager");
    }

    /**
     * swarm/up.sh with the stand-ins and the test overrides (the Grafana stand-in's too), as docs/testing.md shows;
     * {@code environment} adds variables, VERSION among them goes to the build.
     */
    private static Command.Result up(Map<String, String> environment, String... options) {
        return engine.run(upCommand(options), upEnvironment(environment), SCRIPT_LIMIT);
    }

    /** swarm/up.sh as {@link #up}, stopped by SIGTERM to its process group once it printed the marker. */
    private static Command.Result upInterrupted(String marker, String... options) {
        return engine.runAndInterrupt(upCommand(options), upEnvironment(Map.of()), SCRIPT_LIMIT, marker);
    }

    private static List<String> upCommand(String... options) {
        List<String> command = new ArrayList<>(List.of(UP.toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-c", OVERRIDES.resolve("stack.override.yml").toString(), "-c",
                OVERRIDES.resolve("grafana.override.yml").toString()));
        return command;
    }

    private static Map<String, String> upEnvironment(Map<String, String> more) {
        Map<String, String> buildArgs = new LinkedHashMap<>(Map.of("BUILD_IMAGE", testbed.standIns().build()));
        Map<String, String> environment = new LinkedHashMap<>(testbed.stackEnvironment(SwarmFiles.SWARM));
        environment.put("XDG_STATE_HOME", stateHome.toString());
        more.forEach((name, value) -> {
            if (name.equals("VERSION")) {
                buildArgs.put(name, value);
            } else {
                environment.put(name, value);
            }
        });
        StringBuilder buildArgsVariable = new StringBuilder();
        buildArgs.forEach((name, value) -> buildArgsVariable.append(" --build-arg ").append(name).append('=')
                .append(value));
        environment.put("BUILD_ARGS", buildArgsVariable.toString().strip());
        return environment;
    }

    private static Command.Result down(String... options) {
        List<String> command = new ArrayList<>(List.of(DOWN.toString()));
        command.addAll(List.of(options));
        return engine.run(command, Map.of("XDG_STATE_HOME", stateHome.toString()), SCRIPT_LIMIT);
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static void report(String what, Command.Result result) {
        System.out.println(what + " -> exit " + result.exitCode() + "\n--- stdout\n" + result.stdout()
                + "--- stderr\n" + result.stderr());
    }

    /** Where up.sh keeps this swarm's passwords: $XDG_STATE_HOME/tictactoe/swarm-CLUSTER_ID. */
    private static Path passwordsFolder() {
        return stateHome.resolve("tictactoe").resolve("swarm-"
                + engine.dockerOk("info", "--format", "{{.Swarm.Cluster.ID}}").strip());
    }

    /** The passwords up.sh kept, by secret, after checking that only their owner can read them. */
    private static Map<String, String> keptPasswords() throws IOException {
        Path folder = passwordsFolder();
        assertThat(Files.getPosixFilePermissions(folder)).as("%s", folder)
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Map<String, String> passwords = new TreeMap<>();
        for (String secret : KEPT) {
            Path file = folder.resolve(secret);
            assertThat(Files.getPosixFilePermissions(file)).as("%s", file).isEqualTo(OWNER_ONLY);
            passwords.put(secret, Files.readString(file).strip());
        }
        return passwords;
    }

    private static Path writeScratch(String name, String content) throws IOException {
        return Files.writeString(engine.scratch("up-script-it").resolve(name), content);
    }

    /**
     * The port the stack publishes for the game answers the game and 404 on /metrics, /healthz and /readyz on every
     * task; the management port serves them; and Prometheus scrapes every replica there.
     */
    private static void assertMetricsOnlyOnTheManagementPortWhichPrometheusScrapes() throws Exception {
        Map<String, String> statuses = new TreeMap<>();
        for (String path : List.of("/", "/metrics", "/healthz", "/readyz")) {
            for (int port : List.of(3306, SwarmStack.MANAGEMENT_PORT)) {
                statuses.put(port + " " + path, stack.client("sh", "-c", "for ip in $(getent ahostsv4 tasks.tictactoe"
                        + " | awk '{print $1}' | sort -u); do curl -s -o /dev/null -w '%{http_code} ' --max-time 3 "
                        + "http://$ip:" + port + path + "; done").stdout().strip());
            }
        }
        System.out.println("Status codes on each task: " + statuses);
        assertThat(statuses).isEqualTo(Map.of("3306 /", "200 200 200", "3306 /metrics", "404 404 404",
                "3306 /healthz", "404 404 404", "3306 /readyz", "404 404 404", "8081 /", "404 404 404",
                "8081 /metrics", "200 200 200", "8081 /healthz", "200 200 200", "8081 /readyz", "200 200 200"));

        List<String> scraped = Waiting.upTo(Duration.ofSeconds(60), Duration.ofSeconds(2))
                .alias("three tictactoe targets up").until(UpScriptIT::scrapedInstances, up -> up.size() == 3);
        System.out.println("Prometheus scrapes, up: " + scraped);
        assertThat(scraped).hasSize(3).allMatch(instance -> instance.endsWith(":" + SwarmStack.MANAGEMENT_PORT));
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
     * every task of that service on the port the service publishes it from. Returns how many there were.
     */
    private static int assertEveryPrintedUrlAnswersInsideTheNetwork(String printed) throws Exception {
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
            boolean loginNeeded = prometheus || service.equals("alertmanager");
            // Prometheus' "/" redirects to its web UI, which Debian's 3.5 stand-in lacks: its answer is that redirect.
            String curl = loginNeeded ? "curl -s -u admin:" + prometheusPassword + " " : "curl -s -L ";
            String statuses = stack.client("sh", "-c", "for ip in $(getent ahostsv4 tasks." + service
                    + " | awk '{print $1}' | sort -u); do " + curl + "-o /dev/null -w '%{http_code} ' --max-time 5 "
                    + "http://$ip:" + target[1] + url.group(3) + "; done").stdout().strip();
            System.out.println(url.group() + " -> " + target[0] + " tasks on port " + target[1] + ": " + statuses);
            assertThat(statuses.split(" ")).as(url.group()).hasSize(service.equals("tictactoe") ? 3 : 1)
                    .containsOnly(prometheus && url.group(3).equals("/") ? "302" : "200");
        }
        return urls;
    }

    /** The secrets that hold a webhook URL of --alerts-to. */
    private static List<String> webhookSecrets() {
        return engine.dockerOk("secret", "ls", "--format", "{{.Name}}").lines()
                .filter(name -> name.startsWith("alertmanager_webhook_url_")).sorted().toList();
    }

    /** The secret up.sh printed that the alerts go to. */
    private static String printedWebhookSecret(Command.Result up) {
        Matcher line = ALERTS_LINE.matcher(up.stdout());
        assertThat(line.find()).as("the alerts line in%n%s", up.stdout()).isTrue();
        return line.group(1);
    }

    /** The webhook URL as Alertmanager's task reads it, from the secret's mount. */
    private static String mountedWebhookUrl() {
        return engine.dockerOk("exec", stack.containers(SwarmStack.ALERTMANAGER).get(0), "cat",
                "/run/secrets/alertmanager_webhook_url");
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
                + "| sort -u); do echo \"$ip $(curl -s --max-time 3 http://$ip:" + SwarmStack.MANAGEMENT_PORT + "/metrics | grep -E '^" + series
                + "' | awk '{s += $2} END {print s + 0}')\"; done").orFail();
        Map<String, Double> values = new TreeMap<>();
        output.lines().map(line -> line.split(" ")).forEach(f -> values.put(f[0], Double.parseDouble(f[1])));
        assertThat(values).as("tasks of tictactoe").hasSize(3);
        return values;
    }

    private static double sum(Map<String, Double> values) {
        return values.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The replicas' counters (moves per task, games of all) that are no higher than they were. */
    private static Map<String, String> notGrown(Map<String, Double> requestsBefore, Map<String, Double> gamesBefore) {
        Map<String, String> notGrown = new TreeMap<>();
        Map<String, Double> requests = perTask(MOVES);
        requestsBefore.forEach((task, before) -> {
            if (requests.getOrDefault(task, 0.0) <= before) {
                notGrown.put(task, "moves");
            }
        });
        if (sum(perTask(GAMES)) <= sum(gamesBefore)) {
            notGrown.put("all", "games");
        }
        return notGrown;
    }

    /** The instances of the app that Prometheus' last scrape found up. */
    private static List<String> scrapedInstances() throws IOException {
        List<String> instances = new ArrayList<>();
        for (JsonNode series : stack.prometheusApi().query("up{job=\"tictactoe\"} == 1")) {
            instances.add(series.get("metric").get("instance").asText());
        }
        return instances;
    }

    private static Matcher awaitTrafficMinuteLine(Duration limit) {
        String logs = Waiting.upTo(limit, Duration.ofSeconds(2)).alias("a minute line from the traffic service")
                .until(UpScriptIT::trafficLogs, text -> TRAFFIC_MINUTE.matcher(text).find());
        Matcher minute = TRAFFIC_MINUTE.matcher(logs);
        assertThat(minute.find()).isTrue();
        return minute;
    }

    private static String trafficLogs() {
        Command.Result logs = engine.docker("service", "logs", "--raw", SwarmStack.NAME + "_traffic");
        return logs.stdout() + logs.stderr();
    }
}
