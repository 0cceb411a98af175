package io.github.tictactoe.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.tictactoe.testing.TestServer;
import io.github.tictactoe.testing.TestServer.Reply;
import io.github.tictactoe.testing.Waiting;
import java.io.IOException;
import java.net.URI;
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
import java.util.stream.Stream;
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
    /** The entrypoint's argument file of the runtime's flags (src/main/docker/jvm.args). */
    private static final String JVM_ARGS = "@/app/jvm.args";
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Path PROJECT = Path.of("").toAbsolutePath();
    /** A Markdown code span on one line. */
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\n]+)`");
    /**
     * Where every file of the image is, as prefixes of its paths: the runtime, the C library (/lib and /lib64, at
     * the build image's paths), bash, the probe, the users, the app; and what Docker writes into every container.
     */
    private static final List<String> WHAT_RUNS = List.of("opt/java/openjdk/", "lib/", "lib64/", "usr/lib/",
            "bin/bash", "usr/local/bin/healthcheck.sh", "etc/passwd", "etc/group", "app/tictactoe.jar",
            "app/tictactoe.aot", "app/jvm.args", "app/aot.args", ".dockerenv", "etc/hostname", "etc/hosts", "etc/resolv.conf", "etc/mtab", "dev/",
            "proc/", "sys/");

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

        assertThat(String.join("\n", engine.processStatus(container))).as("the JVM, PID 1, runs as 10001")
                .containsPattern("Uid:\\s+10001\\s+10001\\s+10001\\s+10001")
                .containsPattern("Gid:\\s+10001\\s+10001\\s+10001\\s+10001");
        // NODE unset: the host name, which Docker makes the container's short id.
        assertThat(get(base, "/metrics").body())
                .containsPattern("app_info\\{node=\"[0-9a-f]{12}\",replica=\"image-it\",version=\"" + version + "\"}");
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
                .containsPattern("app_info\\{node=\"[0-9a-f]{12}\",replica=\"image-it\",version=\""
                        + classicVersion + "\"}");
        assertThat(get(base, "/").body()).contains("?v=" + classicVersion);
    }

    @Test
    void turnsHealthyWithinSecondsOfServing() throws Exception {
        String container = run(image);
        awaitServing(container);
        long serving = System.nanoTime();
        awaitHealthy(container, Duration.ofMillis(50));
        double seconds = (System.nanoTime() - serving) / 1e9;
        System.out.printf("Healthy %.1f s after the first 200 from /healthz%n", seconds);

        assertThat(seconds).as("the healthcheck runs every 2 s from the start").isLessThan(5);
    }

    /**
     * The image holds what runs and nothing else: a Java runtime cut down by jlink, the C library files it and bash
     * load, bash for the healthcheck, the service's user, the jar and its cache, read-only. No package manager, no
     * build tool, no curl or wget, no source, no shell but bash; Temurin's 25, and at most 150 MB. Read from the files
     * of a container made from it, since the image has no ls or find to ask inside.
     */
    @Test
    void imageHoldsOnlyWhatRunsInAtMost150Mb() throws IOException {
        String container = engine.dockerOk("create", "--label", LABEL, image);
        Path export = engine.scratch("image-it").resolve("export.tar");
        engine.dockerOk("export", "--output", export.toString(), container);
        // Lines as "mode owner/group size date time path" (GNU tar's verbose listing, numeric owners).
        List<String[]> entries = Command.run(List.of("tar", "--numeric-owner", "-tvf", export.toString()), Map.of(),
                Duration.ofMinutes(1)).orFail().lines().map(line -> line.split("\\s+", 6)).toList();
        Files.delete(export);
        Map<String, Long> bytesByPart = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        for (String[] entry : entries) {
            String path = entry[5].replaceFirst(" -> .*", "");
            if (entry[0].startsWith("d")) {
                continue;
            }
            String part = WHAT_RUNS.stream().filter(path::startsWith).findFirst().orElse(null);
            if (part == null) {
                unexpected.add(path);
            } else {
                bytesByPart.merge(part, Long.parseLong(entry[2]), Long::sum);
            }
        }
        Map<String, String> app = new TreeMap<>();
        entries.stream().filter(entry -> entry[5].matches("app/?(tictactoe\\.(jar|aot)|(jvm|aot)\\.args)?"))
                .forEach(entry -> app.put(entry[5], entry[0] + " " + entry[1]));
        String java = engine.docker("run", "--rm", "--label", LABEL, "--entrypoint", "java", image, "-version")
                .stderr();
        long size = Long.parseLong(engine.dockerOk("image", "inspect", "--format", "{{.Size}}", image));
        System.out.printf("Image %s: %.1f MB (%d MiB); bytes by part: %s; /app: %s; %s%n", image, size / 1e6,
                size >> 20, bytesByPart, app, java.lines().skip(1).findFirst().orElse(java));

        assertThat(unexpected).as("files outside what runs (and the few Docker writes into every container)")
                .isEmpty();
        assertThat(app).containsExactlyInAnyOrderEntriesOf(Map.of("app/", "drwxr-xr-x 0/0",
                "app/tictactoe.aot", "-r--r--r-- 0/0", "app/tictactoe.jar", "-r--r--r-- 0/0",
                "app/jvm.args", "-r--r--r-- 0/0", "app/aot.args", "-r--r--r-- 0/0"));
        assertThat(java).as("java -version").contains("Temurin-25.");
        assertThat(engine.dockerOk("image", "inspect", "--format", "{{.Config.Env}}", image))
                .contains("JAVA_HOME=/opt/java/openjdk");
        assertThat(size).as("image size in bytes").isLessThanOrEqualTo(150_000_000L);
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
        awaitHealthy(container, Duration.ofMillis(100));

        assertThat(get(management, "/metrics").body()).contains("replica=\"image-it\"");
        assertThat(get(site, "/metrics").status()).isEqualTo(404);
        assertThat(get(site, "/").status()).isEqualTo(200);
    }

    /**
     * Every command that the runbooks (swarm/alerts.yml) and the docs give for a running container (CONTAINER in it),
     * run in the order each text gives them against a container of the image: each succeeds, the thread dump and its
     * heap summary reach the container's output, and the app serves on.
     */
    @Test
    void everyCommandTheRunbooksAndDocsGiveForARunningContainerWorksOnTheImage() throws Exception {
        String container = run(image);
        URI base = awaitServing(container);
        Map<String, List<String>> commands = containerCommands();
        assertThat(commands.values().stream().flatMap(List::stream)).as("what the texts give, by source %s", commands)
                .contains("docker kill --signal=QUIT CONTAINER", "docker logs CONTAINER",
                        "docker logs CONTAINER 2>&1 | grep -A 9 '^Heap'", "docker exec -it CONTAINER bash");

        Map<String, String> failed = new LinkedHashMap<>();
        commands.forEach((source, list) -> {
            for (String command : list) {
                // A test has no terminal: -it becomes -i, and a shell then reads the end of its empty input at once.
                String line = command.replace("CONTAINER", container).replace(" -it ", " -i ");
                Command.Result result = engine.run(List.of("bash", "-c", line), Duration.ofSeconds(30));
                System.out.printf("%s: %s -> exit %d, %d lines%n", source, command, result.exitCode(),
                        (result.stdout() + result.stderr()).lines().count());
                if (!result.ok()) {
                    failed.put(source + ": " + command, result.toString());
                }
            }
        });

        assertThat(failed).as("commands that failed").isEmpty();
        String output = engine.dockerOk("logs", container);
        assertThat(output).contains("Full thread dump OpenJDK", "\"main\"", "\nHeap\n", "Tenured", "Metaspace");
        assertThat(get(base, "/healthz").status()).as("the JVM serves on after its thread dumps").isEqualTo(200);
    }

    /**
     * Out of heap, the JVM of the image prints the line that the restart alert's runbook searches the logs for, and
     * exits with the code the runbook names.
     */
    @Test
    void outOfHeapTheJvmPrintsTheLineTheRunbookSearchesForAndExitsWith3() throws Exception {
        String runbook = runbooks().get("TicTacToeFrequentRestarts");
        Matcher search = Pattern.compile("`docker service logs tictactoe_tictactoe( 2>&1 \\| grep '[^']+')`")
                .matcher(runbook);
        assertThat(search.find()).as("the runbook's log search: %s", runbook).isTrue();
        assertThat(runbook).contains("exit code 3");
        // The image's own command with a 4 MiB heap instead of 64 (a later -Xmx wins over the argument file's), too
        // small for the app to start. Without the AOT cache: mapping its archived objects needs more heap than that,
        // and the JVM would stop before the app with "Unable to use AOT cache" (exit 1).
        List<String> entrypoint = engine.dockerOk("image", "inspect", "--format",
                "{{range .Config.Entrypoint}}{{println .}}{{end}}", image).lines().toList();
        assertThat(entrypoint).contains(JVM_ARGS, "-XX:AOTCache=/app/tictactoe.aot");
        // bash's own $(<file): the image has no cat.
        assertThat(engine.dockerOk("run", "--rm", "--label", LABEL, "--entrypoint", "bash", image, "-c",
                "printf '%s\\n' \"$(<" + JVM_ARGS.substring(1) + ")\"").lines())
                .contains("-Xmx64m", "-XX:+ExitOnOutOfMemoryError");
        List<String> command = new ArrayList<>(List.of("run", "-d", "--label", LABEL, "--cpus", "1", "--memory",
                "192m", "--entrypoint", entrypoint.get(0), image));
        for (String flag : entrypoint.subList(1, entrypoint.size())) {
            command.addAll(switch (flag) {
                case JVM_ARGS -> List.of(JVM_ARGS, "-Xmx4m");
                case "-XX:AOTCache=/app/tictactoe.aot" -> List.of("-XX:AOTMode=off");
                default -> List.of(flag);
            });
        }
        String container = engine.dockerOk(command.toArray(String[]::new));
        Waiting.telling(() -> "its logs:\n" + engine.docker("logs", container), () -> Waiting.upTo(START_LIMIT,
                Duration.ofMillis(200)).alias("the container ended")
                .until(() -> engine.dockerOk("inspect", "--format", "{{.State.Running}}", container), "false"::equals));

        String exit = engine.dockerOk("inspect", "--format", "{{.State.Running}} {{.State.ExitCode}}", container);
        Command.Result found = engine.run(List.of("bash", "-c", "docker logs " + container + search.group(1)),
                Duration.ofSeconds(30));
        System.out.println("Out of heap: " + exit + "; the runbook's search finds: " + found.stdout().strip());
        assertThat(exit).as("ended, and how; logs:%n%s", engine.docker("logs", container)).isEqualTo("false 3");
        assertThat(found.ok()).as("%s", found).isTrue();
        assertThat(found.stdout()).contains("Terminating due to java.lang.OutOfMemoryError: Java heap space");
    }

    /** The AOT cache made at build time works with the image's JVM and jar: AOTMode=on refuses to start otherwise. */
    @Test
    void startsWithItsAotCache() throws Exception {
        String container = start(image, "-XX:AOTMode=on -Xlog:class+load=info");
        awaitServing(container);
        List<String> loaded = engine.dockerOk("logs", container).lines()
                .filter(line -> line.contains("[class,load]")).toList();
        assertThat(loaded.stream().filter(line -> line.contains("source: shared objects file")).count())
                .as("classes mapped from the AOT cache").isGreaterThan(1000);
        assertThat(loaded).filteredOn(line -> line.contains(" io.github.tictactoe.Main "))
                .singleElement().asString().contains("source: shared objects file");
    }

    /**
     * The figures that chose the image's start-up cache, in the stack's 1-CPU, 192 MiB container, side by side and
     * round-robin: the shipped image (Java 25, AOT cache), the same with the JDK's own CDS archive only, Java 25
     * with an AppCDS archive instead (trained as the cache is), and the jar on a Java 17 runtime (Debian's OpenJDK 17
     * standing in for Temurin's) with its AppCDS archive, as the 1.0.0 image ran it. Each must start from its cache or
     * archive: -XX:AOTMode=on and -Xshare:on make a refused one fatal.
     */
    @Test
    void startUpAndMemoryOfEachArchiveAndOfJava17() throws Exception {
        List<String> appCdsFlags = engine.dockerOk("image", "inspect", "--format",
                "{{range .Config.Entrypoint}}{{println .}}{{end}}", image).lines()
                .filter(flag -> flag.equals(JVM_ARGS) || flag.startsWith("-X") && !flag.contains("AOT"))
                .toList();
        assertThat(appCdsFlags).as("the runtime's flags, the cache's aside").contains(JVM_ARGS);
        // Exec form with bash: the app's image has no /bin/sh (and no rm: the script stays in /tmp, and the AppCDS
        // variant keeps the unused AOT cache, so its image size is the shipped one's plus the archive).
        String train = "COPY training-run.sh /tmp/\n"
                + "RUN [\"/bin/bash\", \"/tmp/training-run.sh\", \"/app/tictactoe.jar\", \"/app/tictactoe.jsa\", \""
                + String.join("\", \"", appCdsFlags) + "\", \"-XX:ArchiveClassesAtExit=/app/tictactoe.jsa\"]\n"
                + "ENTRYPOINT [\"java\", \"" + String.join("\", \"", appCdsFlags)
                + "\", \"-XX:SharedArchiveFile=/app/tictactoe.jsa\", \"-jar\", \"/app/tictactoe.jar\"]\n";
        List<Path> script = List.of(Path.of("src/main/docker/training-run.sh"));
        String appCdsImage = testbed.buildFrom("tttapp:" + version + "-appcds", "FROM " + image + "\n"
                + "USER root\n" + train + "USER 10001:10001\n", script);
        String java17Image = testbed.buildFrom("tttapp:" + version + "-java17", "FROM " + image + " AS app\n"
                + "FROM " + testbed.standIns().client() + "\n"
                + "COPY --from=app /app/tictactoe.jar " + JVM_ARGS.substring(1) + " /app/\n" + "ENV PORT=3306\n"
                + train, script);

        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("Java 25, AOT cache (shipped)", List.of(image, "-XX:AOTMode=on"));
        // AOTCache refuses any -Xshare option: AOTMode=off alone leaves the JDK's own CDS archive, as a plain start.
        variants.put("Java 25, JDK's CDS only", List.of(image, "-XX:AOTMode=off"));
        variants.put("Java 25, AppCDS archive", List.of(appCdsImage, "-Xshare:on"));
        variants.put("Java 17, AppCDS archive", List.of(java17Image, "-Xshare:on"));
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, List<Long>> residentMib = new LinkedHashMap<>();
        for (int round = 0; round < 5; round++) {
            for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                String container = start(variant.getValue().get(0), variant.getValue().get(1));
                URI base = awaitServing(container);
                Instant served = Instant.now();
                Instant started = Instant.parse(engine.dockerOk("inspect", "--format", "{{.State.StartedAt}}",
                        container));
                seconds.computeIfAbsent(variant.getKey(), k -> new ArrayList<>())
                        .add(Duration.between(started, served).toMillis() / 1000.0);
                if (round < 3) {
                    for (int request = 0; request < 2000; request++) {
                        assertThat(get(base, request % 2 == 0 ? "/" : "/css/app.css").status()).isEqualTo(200);
                    }
                    residentMib.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(Long.parseLong(
                            engine.processStatus(container).stream().filter(line -> line.startsWith("VmRSS:"))
                                    .findFirst().orElseThrow().replaceAll("\\D", "")) >> 10);
                }
                engine.dockerOk("rm", "-f", container);
            }
        }
        System.out.println("Container start to first 200, 1 CPU, 192 MiB (median of 5, round-robin), resident memory "
                + "after 2,000 sequential requests (median of 3), image size:");
        for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
            String name = variant.getKey();
            List<Long> rss = residentMib.get(name);
            System.out.printf("  %-34s %.2f s %s; %d MiB %s; image %d MiB%n", name, median(seconds.get(name)),
                    seconds.get(name), rss.stream().sorted().toList().get(1), rss, Long.parseLong(engine.dockerOk(
                            "image", "inspect", "--format", "{{.Size}}", variant.getValue().get(0))) >> 20);
        }
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

    /** The image with extra JVM options: JAVA_TOOL_OPTIONS come before the entrypoint's own, which do not set them. */
    private static String start(String image, String jvmOptions) {
        return engine.dockerOk("run", "-d", "--label", LABEL, "--cpus", "1", "--memory", "192m",
                "-p", "127.0.0.1::3306", "-e", "REPLICA=image-it", "-e", "JAVA_TOOL_OPTIONS=" + jvmOptions, image);
    }

    /** Runs the image as the stack does: one CPU and 192 MiB, the container's port on an ephemeral loopback port. */
    private static String run(String image) {
        return engine.dockerOk("run", "-d", "--label", LABEL, "--cpus", "1", "--memory", "192m",
                "-p", "127.0.0.1::3306", "-e", "REPLICA=image-it", image);
    }

    /** Waits for the first 200 from /healthz on the container's published port; fails if the container stops. */
    private static URI awaitServing(String container) {
        Command.Result port = engine.docker("port", container, "3306/tcp");
        assertThat(port.ok()).as("the container runs; its logs:%n%s", engine.docker("logs", container)).isTrue();
        String address = port.stdout().lines().findFirst().orElseThrow();
        URI base = URI.create("http://" + address);
        Waiting.telling(() -> "its logs:\n" + engine.docker("logs", container), () -> Waiting.upTo(START_LIMIT,
                Duration.ofMillis(20)).alias("a 200 from " + base + "/healthz").until(() -> {
                    try {
                        return TestServer.send(client, new HttpGet(base.resolve("/healthz"))).status() == 200;
                    } catch (IOException notYet) {
                        // Not listening yet, or never will: only a refused connection is worth the inspect.
                        assertThat(engine.dockerOk("inspect", "--format", "{{.State.Running}}", container))
                                .as("the container runs; its logs:%n%s", engine.docker("logs", container))
                                .isEqualTo("true");
                        return false;
                    }
                }));
        return base;
    }

    /** Waits until the container's healthcheck says healthy, asking every {@code interval}. */
    private static void awaitHealthy(String container, Duration interval) {
        Waiting.telling(() -> "its logs:\n" + engine.docker("logs", container), () -> Waiting.upTo(START_LIMIT,
                interval).alias("the container's health is healthy")
                .until(() -> engine.dockerOk("inspect", "--format", "{{.State.Health.Status}}", container),
                        "healthy"::equals));
    }

    private static Reply get(URI base, String path) throws IOException {
        return TestServer.send(client, new HttpGet(base.resolve(path)));
    }

    /** The runbook annotation of each alert in swarm/alerts.yml, by alert name. */
    private static Map<String, String> runbooks() throws IOException {
        Map<String, String> runbooks = new LinkedHashMap<>();
        for (JsonNode group : new YAMLMapper().readTree(PROJECT.resolve("swarm/alerts.yml").toFile()).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (rule.has("alert")) {
                    runbooks.put(rule.get("alert").asText(), rule.at("/annotations/runbook").asText());
                }
            }
        }
        return runbooks;
    }

    /**
     * The commands for a running container that each runbook, the README and each page of docs/ give: the code spans
     * (between backticks) with CONTAINER in them, in their order, by where they are written.
     */
    private static Map<String, List<String>> containerCommands() throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        runbooks().forEach((alert, runbook) -> texts.put("runbook of " + alert, runbook));
        texts.put("README.md", Files.readString(PROJECT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(PROJECT.resolve("docs"))) {
            for (Path page : docs.filter(file -> file.toString().endsWith(".md")).sorted().toList()) {
                texts.put("docs/" + page.getFileName(), Files.readString(page));
            }
        }
        Map<String, List<String>> commands = new LinkedHashMap<>();
        texts.forEach((source, text) -> {
            List<String> spans = CODE_SPAN.matcher(text).results().map(span -> span.group(1))
                    .filter(span -> span.contains("CONTAINER")).toList();
            if (!spans.isEmpty()) {
                commands.put(source, spans);
            }
        });
        return commands;
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
