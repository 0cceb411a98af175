package io.github.tictactoe.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.TestServer;
import io.github.tictactoe.TestServer.Reply;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The project's real Dockerfile, built on the tests' own engine and run as a container, as a user runs it. */
@ExtendWith(TestbedExtension.class)
class ImageIT {

    private static final String LABEL = "tictactoe.test=image-it";
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private static Testbed testbed;
    private static DockerEngine engine;
    private static String version;
    private static String image;
    private static CloseableHttpClient client;

    @BeforeAll
    static void buildTheImage(Testbed shared) throws IOException {
        testbed = shared;
        engine = shared.engine();
        version = Testbed.defaultVersion();
        image = shared.appImage(version);
        client = TestServer.newClient();
    }

    @AfterAll
    static void closeClient() throws IOException {
        if (client != null) {
            client.close();
        }
    }

    @AfterEach
    void removeContainers() {
        String containers = engine.dockerOk("ps", "-aq", "--filter", "label=" + LABEL);
        if (!containers.isEmpty()) {
            List<String> remove = new ArrayList<>(List.of("rm", "-f"));
            remove.addAll(containers.lines().toList());
            engine.dockerOk(remove.toArray(String[]::new));
        }
    }

    @Test
    void imageCarriesItsVersionAndRunsAsUid10001() throws Exception {
        assertThat(engine.dockerOk("image", "inspect", "--format",
                "{{index .Config.Labels \"org.opencontainers.image.version\"}} {{.Config.User}}", image))
                .isEqualTo(version + " 10001:10001");

        String container = run(image);
        URI base = awaitServing(container);

        assertThat(engine.dockerOk("exec", container, "sh", "-c", "grep -E '^(Uid|Gid):' /proc/1/status"))
                .as("the JVM, PID 1, runs as 10001").containsPattern("Uid:\\s+10001\\s+10001\\s+10001\\s+10001")
                .containsPattern("Gid:\\s+10001\\s+10001\\s+10001\\s+10001");
        assertThat(get(base, "/metrics").body()).contains("app_info{replica=\"image-it\",version=\"" + version + "\"}");
        Reply page = get(base, "/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("/css/app.css?v=" + version);
        assertThat(get(base, "/css/app.css").status()).as("a static file from inside the jar").isEqualTo(200);
    }

    /** Only a changed pom.xml fetches dependencies again: a new version or new sources reuse their layer. */
    @Test
    void aNewVersionReusesTheDependencyLayer() {
        String progress = testbed.appBuild(version + "-next").stderr();

        assertThat(stepOutcome(progress, "RUN mvn -B -q package -DskipTests")).as("the dependency step")
                .isEqualTo("CACHED");
        assertThat(stepOutcome(progress, "RUN mvn -B -q -o package")).as("the offline package step").isEqualTo("DONE");
    }

    /** Without BuildKit (Debian's docker.io, a CLI without buildx) it builds too, and VERSION is the app's. */
    @Test
    void classicBuilderBuildsTheSameDockerfileAndVersionReachesTheApp() throws Exception {
        String classicVersion = version + "-classic";
        long start = System.nanoTime();
        Command.Result build = testbed.build(false, "tttapp:" + classicVersion, Map.of("VERSION", classicVersion));
        System.out.printf("Built tttapp:%s with the classic builder in %.1f s%n", classicVersion,
                (System.nanoTime() - start) / 1e9);
        assertThat(build.ok()).as("%s", build).isTrue();

        URI base = awaitServing(run("tttapp:" + classicVersion));

        assertThat(get(base, "/metrics").body())
                .contains("app_info{replica=\"image-it\",version=\"" + classicVersion + "\"}");
        assertThat(get(base, "/").body()).contains("?v=" + classicVersion);
    }

    @Test
    void turnsHealthyWithinSecondsOfServing() throws Exception {
        String container = run(image);
        awaitServing(container);
        long serving = System.nanoTime();
        long deadline = serving + START_LIMIT.toNanos();
        String health = "";
        while (!health.equals("healthy") && System.nanoTime() < deadline) {
            health = engine.dockerOk("inspect", "--format", "{{.State.Health.Status}}", container);
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - serving) / 1e9;
        System.out.printf("Healthy %.1f s after the first 200 from /healthz%n", seconds);

        assertThat(health).isEqualTo("healthy");
        assertThat(seconds).as("the healthcheck runs every 2 s from the start").isLessThan(5);
    }

    /** The runtime image holds the JRE, the jar and its archive, read-only; no build tool, repository or source. */
    @Test
    void imageHoldsOnlyWhatRuns() {
        String found = engine.dockerOk("run", "--rm", "--label", LABEL, "--entrypoint", "sh", image, "-c",
                "for tool in mvn javac gradle; do command -v $tool; done; "
                        + "ls -d /root/.m2 /home/*/.m2 /build /src /app/src /usr/local/bin/app-cds.sh 2>/dev/null; "
                        + "find / -xdev -type f \\( -name '*.java' -o -name pom.xml \\) -print 2>/dev/null; true");
        String app = engine.dockerOk("run", "--rm", "--label", LABEL, "--entrypoint", "sh", image, "-c",
                "cd /app && stat -c '%a %U %n' . * && du -sk .");
        String sizes = engine.dockerOk("run", "--rm", "--label", LABEL, "--entrypoint", "sh", image, "-c",
                "du -sk /app/* \"$(dirname \"$(dirname \"$(readlink -f \"$(command -v java)\")\")\")\"");
        String size = engine.dockerOk("image", "inspect", "--format", "{{.Size}}", image);
        System.out.printf("Image %s: %d MiB; /app: %s; KiB: %s%n", image, Long.parseLong(size) >> 20,
                String.join("; ", app.lines().toList()), String.join("; ", sizes.lines().toList()));

        assertThat(found).as("build tools, Maven repositories, sources").isEmpty();
        assertThat(app.lines().limit(3))
                .containsExactly("755 root .", "444 root tictactoe.jar", "444 root tictactoe.jsa");
    }

    /** With MANAGEMENT_PORT the healthcheck probes that port, since /healthz leaves the public one. */
    @Test
    void withAManagementPortTheHealthcheckFollowsIt() throws Exception {
        String container = engine.dockerOk("run", "-d", "--label", LABEL, "--cpus", "1", "--memory", "192m",
                "-p", "127.0.0.1::3306", "-p", "127.0.0.1::9100", "-e", "REPLICA=image-it",
                "-e", "MANAGEMENT_PORT=9100", image);
        URI management = URI.create("http://"
                + engine.dockerOk("port", container, "9100/tcp").lines().findFirst().orElseThrow());
        URI site = URI.create("http://"
                + engine.dockerOk("port", container, "3306/tcp").lines().findFirst().orElseThrow());
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        String health = "";
        while (!health.equals("healthy") && System.nanoTime() < deadline) {
            health = engine.dockerOk("inspect", "--format", "{{.State.Health.Status}}", container);
            Thread.sleep(100);
        }

        assertThat(health).as("health; logs:%n%s", engine.docker("logs", container)).isEqualTo("healthy");
        assertThat(get(management, "/metrics").body()).contains("app_info{replica=\"image-it\"");
        assertThat(get(site, "/metrics").status()).isEqualTo(404);
        assertThat(get(site, "/").status()).isEqualTo(200);
    }

    /** The archive made at build time works with the image's JVM and jar: -Xshare:on refuses to start otherwise. */
    @Test
    void startsWithItsAppCdsArchive() throws Exception {
        String container = start("-Xshare:on -Xlog:class+load=info:file=/tmp/class-load.log");
        awaitServing(container);
        assertThat(engine.dockerOk("exec", container, "grep", "-c", "source: shared objects file (top)",
                "/tmp/class-load.log")).as("classes mapped from the application archive").matches("[1-9]\\d{2,}");
        assertThat(engine.dockerOk("exec", container, "grep", "io.github.tictactoe.Main ", "/tmp/class-load.log"))
                .contains("source: shared objects file (top)");

        List<Double> withArchive = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            withArchive.add(secondsToFirstResponse("-Xshare:auto"));
            without.add(secondsToFirstResponse("-Xshare:off"));
        }
        System.out.printf("Container start to first 200 (1 CPU, 192 MiB, median of 3): %.2f s with the AppCDS archive "
                + "%s, %.2f s without %s%n", median(withArchive), withArchive, median(without), without);
    }

    @Test
    void exitsZeroOnDockerStopWithinItsGracePeriod() throws Exception {
        String container = run(image);
        URI base = awaitServing(container);
        get(base, "/");

        long start = System.nanoTime();
        engine.dockerOk("stop", "--time", "30", container);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("docker stop took %.1f s%n", seconds);

        assertThat(engine.dockerOk("inspect", "--format", "{{.State.ExitCode}} {{.State.OOMKilled}}", container))
                .isEqualTo("0 false");
        assertThat(seconds).as("stopped by the app itself, long before Docker's 30 s SIGKILL").isLessThan(25);
        String logs = engine.docker("logs", container).stderr();
        assertThat(logs).contains("SIGTERM received", "Stopped cleanly");
        assertThat(engine.docker("logs", container).stdout()).as("the access log").contains("\"GET / HTTP/1.1\" 200");
    }

    private double secondsToFirstResponse(String share) throws Exception {
        String container = start(share);
        awaitServing(container);
        Instant served = Instant.now();
        Instant started = Instant.parse(engine.dockerOk("inspect", "--format", "{{.State.StartedAt}}", container));
        engine.dockerOk("rm", "-f", container);
        return Duration.between(started, served).toMillis() / 1000.0;
    }

    /** The image with extra JVM options: JAVA_TOOL_OPTIONS come before the entrypoint's own, which do not set them. */
    private static String start(String jvmOptions) {
        return engine.dockerOk("run", "-d", "--label", LABEL, "--cpus", "1", "--memory", "192m",
                "-p", "127.0.0.1::3306", "-e", "REPLICA=image-it", "-e", "JAVA_TOOL_OPTIONS=" + jvmOptions, image);
    }

    /** Runs the image as the stack does: one CPU and 192 MiB, the container's port on an ephemeral loopback port. */
    private static String run(String image) {
        return engine.dockerOk("run", "-d", "--label", LABEL, "--cpus", "1", "--memory", "192m",
                "-p", "127.0.0.1::3306", "-e", "REPLICA=image-it", image);
    }

    /** Waits for the first 200 from /healthz on the container's published port; fails if the container stops. */
    private static URI awaitServing(String container) throws InterruptedException {
        String address = engine.dockerOk("port", container, "3306/tcp").lines().findFirst().orElseThrow();
        URI base = URI.create("http://" + address);
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (TestServer.send(client, new HttpGet(base.resolve("/healthz"))).status() == 200) {
                    return base;
                }
            } catch (IOException notYet) {
                assertThat(engine.dockerOk("inspect", "--format", "{{.State.Running}}", container))
                        .as("the container runs; its logs:%n%s", engine.docker("logs", container)).isEqualTo("true");
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no 200 from " + base + "/healthz within " + START_LIMIT + "; logs:\n"
                + engine.docker("logs", container));
    }

    private static Reply get(URI base, String path) throws IOException {
        return TestServer.send(client, new HttpGet(base.resolve(path)));
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    /** "CACHED" or "DONE": how BuildKit's plain progress output ends the build-stage step with this instruction. */
    private static String stepOutcome(String progress, String instruction) {
        Matcher step = Pattern.compile("(?m)^(#\\d+) \\[build \\d+/\\d+\\] " + Pattern.quote(instruction))
                .matcher(progress);
        assertThat(step.find()).as("BuildKit's progress names the step %s:%n%s", instruction, progress).isTrue();
        // Not anchored: a step's own output can leave the line unfinished before BuildKit writes "#N DONE".
        Matcher outcome = Pattern.compile(step.group(1) + " (CACHED|DONE)\\b").matcher(progress);
        assertThat(outcome.find()).as("the outcome of %s in:%n%s", instruction, progress).isTrue();
        return outcome.group(1);
    }
}
