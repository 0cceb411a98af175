package io.github.tictactoe.docker;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.tictactoe.prometheus.Prometheus35;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every Docker test of a run shares: the tests' own engine, the stand-in base images, and the project's image
 * built from its real Dockerfile with only the base images swapped. Get it through {@link TestbedExtension}; it is
 * closed, engine and all, after the last test of the run.
 */
public final class Testbed implements AutoCloseable {

    private static final Duration BUILD_LIMIT = Duration.ofMinutes(15);
    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final Pattern VERSION_DEFAULT = Pattern.compile("(?m)^ARG VERSION=(\\S+)$");

    private final DockerEngine engine;
    private final StandInImages.Names standIns;
    /** What each build of {@link #appImage} printed, by version. */
    private final Map<String, Command.Result> appBuilds = new ConcurrentHashMap<>();
    private String nodeImage;

    private Testbed(DockerEngine engine, StandInImages.Names standIns) {
        this.engine = engine;
        this.standIns = standIns;
    }

    static Testbed start() throws Exception {
        DockerEngine engine = DockerEngine.start();
        try {
            return new Testbed(engine, StandInImages.importInto(engine));
        } catch (Exception | Error e) {
            engine.close();
            throw e;
        }
    }

    public DockerEngine engine() {
        return engine;
    }

    public StandInImages.Names standIns() {
        return standIns;
    }

    /**
     * The variables the test overrides (src/test/resources/docker/*.override.yml) read, for a deploy of the stack in
     * {@code swarmFolder}: the Prometheus, Alertmanager, node-exporter and Grafana stand-ins, and that folder's
     * prometheus.yml as Prometheus 3.5 takes it ({@link Prometheus35}), written into this engine's scratch folder, under
     * the name the folder's stack.yml gives the shipped file plus "-35": so it changes exactly when
     * swarm/rename-configs.sh renames the shipped one.
     */
    public Map<String, String> stackEnvironment(Path swarmFolder) {
        try {
            String name = new YAMLMapper().readTree(swarmFolder.resolve("stack.yml").toFile())
                    .at("/configs/prometheus_yml/name").asText() + "-35";
            Path file = engine.scratch("prometheus-35").resolve(name + ".yml");
            Files.writeString(file, Prometheus35.config(Files.readString(swarmFolder.resolve("prometheus.yml"))));
            return Map.of("PROMETHEUS_IMAGE", standIns.prometheus(), "PROMETHEUS_35_CONFIG", file.toString(),
                    "PROMETHEUS_35_CONFIG_NAME", name, "ALERTMANAGER_IMAGE", standIns.alertmanager(),
                    "NODE_EXPORTER_IMAGE", standIns.nodeExporter(), "GRAFANA_IMAGE", standIns.grafana());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image of a swarm node (a Docker engine in a container), made on first use. */
    public synchronized String nodeImage() {
        if (nodeImage == null) {
            nodeImage = StandInImages.nodeImage(engine);
        }
        return nodeImage;
    }

    /** The version the Dockerfile builds when no VERSION is given. */
    public static String defaultVersion() throws IOException {
        Matcher matcher = VERSION_DEFAULT.matcher(Files.readString(PROJECT.resolve("Dockerfile")));
        if (!matcher.find()) {
            throw new AssertionError("the Dockerfile has no ARG VERSION=... line");
        }
        return matcher.group(1);
    }

    /**
     * {@code tttapp:VERSION}, built once per run with BuildKit from the project's Dockerfile and {@code --build-arg
     * VERSION=VERSION}, as docs/deployment.md tells users to build it.
     */
    public String appImage(String version) {
        appBuild(version);
        return "tttapp:" + version;
    }

    /** The output of the build that made {@code tttapp:VERSION}. */
    public Command.Result appBuild(String version) {
        return appBuilds.computeIfAbsent(version, v -> {
            String tag = "tttapp:" + v;
            long start = System.nanoTime();
            Command.Result build = build(true, tag, Map.of("VERSION", v));
            build.orFail();
            System.out.printf("Built %s with BuildKit in %.1f s (%s); image size %d MiB%n", tag,
                    (System.nanoTime() - start) / 1e9, appBuilds.isEmpty() ? "from a clean engine" : "cache as left",
                    Long.parseLong(engine.dockerOk("image", "inspect", "--format", "{{.Size}}", tag)) >> 20);
            return build;
        });
    }

    /** Builds the project's Dockerfile with the stand-in bases and these build arguments, which may name others. */
    public Command.Result build(boolean buildKit, String tag, Map<String, String> buildArgs) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("BUILD_IMAGE", standIns.build());
        all.putAll(buildArgs);
        List<String> args = new ArrayList<>(List.of("-t", tag));
        all.forEach((name, value) -> args.addAll(List.of("--build-arg", name + "=" + value)));
        args.add(PROJECT.toString());
        return engine.build(buildKit, BUILD_LIMIT, args);
    }

    /** Builds a small image from a Dockerfile given as text, such as one derived from the app's image. */
    public String buildFrom(String tag, String dockerfile) throws IOException {
        return buildFrom(tag, dockerfile, List.of());
    }

    /** The same, with these project files in the build context under their own names, copied afresh each call. */
    public String buildFrom(String tag, String dockerfile, List<Path> files) throws IOException {
        Path context = engine.scratch("build-" + tag.replaceAll("[^A-Za-z0-9.-]", "-"));
        Files.writeString(context.resolve("Dockerfile"), dockerfile);
        for (Path file : files) {
            Files.copy(PROJECT.resolve(file), context.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        engine.build(true, BUILD_LIMIT, List.of("-t", tag, context.toString())).orFail();
        return tag;
    }

    @Override
    public void close() {
        engine.close();
    }
}
