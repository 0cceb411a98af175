package io.github.tictactoe.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.tictactoe.prometheus.Prometheus35;
import io.github.tictactoe.prometheus.PrometheusRelease;
import io.github.tictactoe.testing.ExternalTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Local stand-ins for the base images the Dockerfile and the stack name, which no registry here can serve: root file
 * systems made by debootstrap from Debian's packages, with the Temurin 25 JDK of these machines laid out as Temurin's
 * images lay it out, providing what the real images provide and the project relies on, and lacking what they lack.
 * The root file systems are cached as tar files outside the repository, keyed by their recipe, so that only the first
 * run on a machine pays for debootstrap.
 */
public final class StandInImages {

    /**
     * The stand-in images' names on the engine: the Dockerfile's base, Prometheus, Alertmanager, node-exporter,
     * Grafana's health answer, and the tests' HTTP client (curl, which the app's image lacks; a Java 17 JRE too, so that it doubles as the runtime of the
     * Java 17 image that the Java 25 one is measured against).
     */
    public record Names(String build, String prometheus, String alertmanager, String nodeExporter, String grafana,
            String client) {
    }

    /** What a recipe adds to its root file system after debootstrap, in Java. */
    private enum Extra {
        NONE, PROMETHEUS_LAYOUT, ALERTMANAGER_LAYOUT, NODE_EXPORTER_LAYOUT, GRAFANA_HEALTH, TEMURIN_JDK_AND_MAVEN
    }

    /**
     * One stand-in: the Debian packages of its root file system, what is laid out on it after debootstrap, and the
     * image settings of the real image it stands for. {@code withHostCertificates}: the build stage downloads from
     * Maven Central, and this machine's TLS is intercepted by a CA that only the host's bundle has.
     */
    private record Recipe(String name, String packages, boolean withHostCertificates, Extra extra,
            List<String> imageSettings) {

        /** Layout steps after debootstrap; part of the key through the recipe and the inputs {@link #key} reads. */
        void layOut(Path root) throws IOException {
            if (withHostCertificates) {
                for (String bundle : HOST_CERTIFICATES) {
                    Files.createDirectories(root.resolve(bundle).getParent());
                    Files.copy(Path.of("/").resolve(bundle), root.resolve(bundle), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            // As in prom/prometheus, prom/alertmanager and prom/node-exporter: the programs in /bin. They are Debian
            // unstable's, which need only the C library (Debian 12's is recent enough).
            for (Map.Entry<String, Path> binary : binaries(extra).entrySet()) {
                Files.copy(binary.getValue(), root.resolve("bin").resolve(binary.getKey()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            switch (extra) {
                case PROMETHEUS_LAYOUT, ALERTMANAGER_LAYOUT -> {
                    // Data and configuration folders owned by nobody, as in their images.
                    if (extra == Extra.ALERTMANAGER_LAYOUT) {
                        // Debian's build reads its notification templates and its page (a "no UI" page: Debian
                        // builds no web UI) from files, where upstream's binary embeds them.
                        Path share = root.resolve(DEBIAN_ALERTMANAGER_SHARE);
                        for (Path file : alertmanagerShare()) {
                            Path target = share.resolve(alertmanagerShareFolder().relativize(file).toString());
                            Files.createDirectories(target.getParent());
                            Files.copy(file, target);
                        }
                    }
                    for (String folder : extra == Extra.PROMETHEUS_LAYOUT
                            ? List.of("prometheus", "etc/prometheus") : List.of("alertmanager", "etc/alertmanager")) {
                        Path dir = Files.createDirectories(root.resolve(folder));
                        Files.setAttribute(dir, "unix:uid", 65534);
                        Files.setAttribute(dir, "unix:gid", 65534);
                    }
                }
                case GRAFANA_HEALTH -> {
                    // What busybox's httpd serves: a page at / and Grafana's unauthenticated health answer.
                    Path site = Files.createDirectories(root.resolve(GRAFANA_SITE).resolve("api"));
                    Files.writeString(site.getParent().resolve("index.html"), "<!doctype html><title>Grafana stand-in"
                            + "</title><p>Not Grafana: the tests' stand-in, which answers /api/health only.\n");
                    Files.writeString(site.resolve("health"), "{\"database\": \"ok\", \"version\": \"stand-in\"}\n");
                }
                case TEMURIN_JDK_AND_MAVEN -> layOutTemurinJdkAndMaven(root);
                case NONE, NODE_EXPORTER_LAYOUT -> { }
            }
            // The downloaded packages are not part of any real image.
            Path archives = root.resolve("var/cache/apt/archives");
            try (DirectoryStream<Path> debs = Files.newDirectoryStream(archives, "*.deb")) {
                for (Path deb : debs) {
                    Files.delete(deb);
                }
            }
        }
    }

    private static final String SUITE = "bookworm";
    /** Raise when {@link Recipe#layOut} changes, so that cached root file systems are made anew. */
    private static final int LAYOUT_VERSION = 3;
    private static final List<String> HOST_CERTIFICATES = List.of("etc/ssl/certs/ca-certificates.crt",
            "etc/ssl/certs/java/cacerts");
    /** Where Temurin's images keep the JDK or JRE, relative to the root. */
    private static final String JAVA_HOME = "opt/java/openjdk";
    /** The Temurin 25 JDK of these machines (a tarball of Adoptium's, not a Debian package); tictactoe.temurin25. */
    private static final Path TEMURIN_25 = Path.of(System.getProperty("tictactoe.temurin25",
            "/usr/lib/jvm/temurin-25-jdk-amd64"));
    /** The settings Temurin's images make for their JDK or JRE: JAVA_HOME, and its bin first on the PATH. */
    private static final List<String> TEMURIN_ENV = List.of("ENV JAVA_HOME=/" + JAVA_HOME,
            "ENV PATH=/" + JAVA_HOME + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

    private static final Recipe BUILD = new Recipe("temurin25-maven",
            // maven:3.9.16-eclipse-temurin-25-noble: Temurin's JDK 25 in /opt/java/openjdk, Maven 3.9.16 in
            // /usr/share/maven with mvn on the PATH, running as root.
            "ca-certificates", true, Extra.TEMURIN_JDK_AND_MAVEN, concat(TEMURIN_ENV, List.of(
                    "ENV MAVEN_HOME=/usr/share/maven", "WORKDIR /")));
    private static final Recipe PROMETHEUS = new Recipe("prometheus",
            // prom/prometheus: /bin/prometheus as entrypoint, user nobody, working directory and volume /prometheus.
            // The entrypoint also carries what 3.5 needs on top of the stack's command for native histograms.
            "", false, Extra.PROMETHEUS_LAYOUT, List.of("USER nobody", "WORKDIR /prometheus", "EXPOSE 9090",
                    "VOLUME [\"/prometheus\"]", "ENTRYPOINT " + jsonArray(Stream.concat(Stream.of("/bin/prometheus"),
                            Prometheus35.FLAGS.stream()).toList()),
                    "CMD [\"--config.file=/etc/prometheus/prometheus.yml\", \"--storage.tsdb.path=/prometheus\"]"));
    private static final Recipe ALERTMANAGER = new Recipe("alertmanager",
            // prom/alertmanager: /bin/alertmanager as entrypoint, user nobody, working directory and volume
            // /alertmanager. Debian unstable's 0.33.1, where the stack pins 0.34.0 (docs/testing.md).
            "", false, Extra.ALERTMANAGER_LAYOUT, List.of("USER nobody", "WORKDIR /alertmanager", "EXPOSE 9093",
                    "VOLUME [\"/alertmanager\"]", "ENTRYPOINT [\"/bin/alertmanager\"]",
                    "CMD [\"--config.file=/etc/alertmanager/alertmanager.yml\", \"--storage.path=/alertmanager\"]"));
    private static final Recipe NODE_EXPORTER = new Recipe("node-exporter",
            // prom/node-exporter: /bin/node_exporter as entrypoint, user nobody; a shell, mkdir and ln, which
            // swarm/node-exporter.sh needs and the real image's busybox has. Debian unstable's 1.11.1, where the stack
            // pins 1.12.1 (docs/testing.md).
            "", false, Extra.NODE_EXPORTER_LAYOUT, List.of("USER nobody", "EXPOSE 9100",
                    "ENTRYPOINT [\"/bin/node_exporter\"]"));
    /** Where Debian's Alertmanager looks for its templates and page, relative to the root. */
    private static final String DEBIAN_ALERTMANAGER_SHARE = "usr/share/prometheus/alertmanager";
    /** Where the Grafana stand-in's files lie, relative to the root. */
    private static final String GRAFANA_SITE = "usr/share/grafana-stand-in";
    private static final Recipe GRAFANA = new Recipe("grafana",
            // No Grafana can run here. What swarm/up.sh waits for is Grafana's task passing the stack's healthcheck,
            // curl on http://127.0.0.1:3000/api/health: busybox's httpd answers it on 3000, as user 472 like the image.
            "busybox,curl", false, Extra.GRAFANA_HEALTH, List.of("USER 472:0", "EXPOSE 3000",
                    "ENTRYPOINT [\"busybox\", \"httpd\", \"-f\", \"-p\", \"3000\", \"-h\", \"/" + GRAFANA_SITE + "\"]"));
    private static final Recipe CLIENT = new Recipe("client",
            // Not a stand-in of the stack's: curl for the tests' requests inside the stack's network, and Debian's
            // OpenJDK 17 JRE, the runtime of the Java 17 image that ImageIT measures beside the Java 25 one.
            "openjdk-17-jre-headless,curl,ca-certificates", false, Extra.NONE, List.of("WORKDIR /"));

    private static final Recipe NODE = new Recipe("node",
            // Not a stand-in but a swarm node: Debian's Docker engine, run as a container of the tests' engine. Its API
            // listens on TCP inside the container, which publishes it on a loopback port only (SwarmCluster).
            "docker.io,iptables,ca-certificates", false, Extra.NONE, List.of("ENTRYPOINT [\"dockerd\", "
                    + "\"--host=unix:///var/run/docker.sock\", \"--host=tcp://0.0.0.0:2375\"]"));

    private StandInImages() {
    }

    /** An image that runs a Docker engine, for the nodes of a swarm made of containers. */
    static String nodeImage(DockerEngine engine) {
        return importOne(engine, ExternalTool.require("debootstrap", "debootstrap"), cacheFolderCreated(), NODE);
    }

    /** Makes (or takes from the cache) the six root file systems and imports them into the engine. */
    static Names importInto(DockerEngine engine) throws Exception {
        Path debootstrap = ExternalTool.require("debootstrap", "debootstrap");
        temurin25();
        Path cache = cacheFolderCreated();
        removeUnfinishedRootFileSystems(cache);
        long start = System.nanoTime();
        List<CompletableFuture<String>> images = new ArrayList<>();
        for (Recipe recipe : List.of(BUILD, PROMETHEUS, ALERTMANAGER, NODE_EXPORTER, GRAFANA, CLIENT)) {
            images.add(CompletableFuture.supplyAsync(() -> importOne(engine, debootstrap, cache, recipe)));
        }
        // Every recipe ends before a failure is thrown: none may go on writing into the cache after the run.
        CompletableFuture.allOf(images.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        Names names = new Names(images.get(0).join(), images.get(1).join(), images.get(2).join(),
                images.get(3).join(), images.get(4).join(), images.get(5).join());
        System.out.printf("Stand-in base images ready in %.1f s (root file systems cached in %s): %s%n",
                (System.nanoTime() - start) / 1e9, cache, names);
        return names;
    }

    private static String importOne(DockerEngine engine, Path debootstrap, Path cache, Recipe recipe) {
        try {
            String key = key(recipe);
            Path tar = cache.resolve(recipe.name() + "-" + key + ".tar");
            if (!Files.exists(tar)) {
                makeRootFileSystem(debootstrap, cache, recipe, tar);
            }
            String image = "tictactoe-standin/" + recipe.name() + ":" + key;
            List<String> command = new ArrayList<>(List.of("import"));
            recipe.imageSettings().forEach(setting -> command.addAll(List.of("-c", setting)));
            command.addAll(List.of(tar.toString(), image));
            engine.dockerOk(command.toArray(String[]::new));
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void makeRootFileSystem(Path debootstrap, Path cache, Recipe recipe, Path tar) throws IOException {
        long start = System.nanoTime();
        Path root = Files.createTempDirectory(cache, recipe.name() + "-rootfs");
        try {
            List<String> command = new ArrayList<>(List.of(debootstrap.toString(), "--variant=minbase"));
            if (!recipe.packages().isEmpty()) {
                command.add("--include=" + recipe.packages());
            }
            command.addAll(List.of(SUITE, root.toString(), mirror()));
            Command.run(command, Map.of(), Duration.ofMinutes(15)).orFail();
            recipe.layOut(root);
            Path partial = cache.resolve(tar.getFileName() + ".partial");
            Command.run(List.of("tar", "-C", root.toString(), "-cf", partial.toString(), "."), Map.of(),
                    Duration.ofMinutes(5)).orFail();
            Files.move(partial, tar, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("debootstrap of the %s stand-in (%s): %.1f s, %d MB%n", recipe.name(),
                    recipe.packages().isEmpty() ? "minbase only" : recipe.packages(),
                    (System.nanoTime() - start) / 1e9, Files.size(tar) >> 20);
            removeOtherVersions(cache, recipe, tar);
        } finally {
            // debootstrap mounts /proc and /sys inside the target while it works; a failed run can leave them.
            DockerEngine.unmountEverythingBelow(root);
            Command.run(List.of("rm", "-rf", "--one-file-system", root.toString()), Map.of(), Duration.ofMinutes(5));
        }
    }

    /** Root file systems a killed run left half made (the tests' engine refuses to run twice at once). */
    private static void removeUnfinishedRootFileSystems(Path cache) throws IOException {
        try (DirectoryStream<Path> unfinished = Files.newDirectoryStream(cache, "*-rootfs*")) {
            for (Path root : unfinished) {
                DockerEngine.unmountEverythingBelow(root);
                Command.run(List.of("rm", "-rf", "--one-file-system", root.toString()), Map.of(),
                        Duration.ofMinutes(5)).orFail();
            }
        }
    }

    private static void removeOtherVersions(Path cache, Recipe recipe, Path keep) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(cache, recipe.name() + "-*.tar")) {
            for (Path file : old) {
                if (!file.equals(keep)) {
                    Files.delete(file);
                }
            }
        }
    }

    /** Everything that decides a root file system's content: suite, mirror, packages, settings, the host's CAs. */
    private static String key(Recipe recipe) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((SUITE + "\n" + mirror() + "\n" + LAYOUT_VERSION + "\n" + recipe)
                    .getBytes(StandardCharsets.UTF_8));
            if (recipe.withHostCertificates()) {
                for (String bundle : HOST_CERTIFICATES) {
                    digest.update(Files.readAllBytes(Path.of("/").resolve(bundle)));
                }
            }
            List<Path> inputs = new ArrayList<>(binaries(recipe.extra()).values());
            if (recipe.extra() == Extra.ALERTMANAGER_LAYOUT) {
                inputs.addAll(alertmanagerShare());
            }
            for (Path binary : inputs) {
                try (InputStream in = new DigestInputStream(Files.newInputStream(binary), digest)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            if (recipe.extra() == Extra.TEMURIN_JDK_AND_MAVEN) {
                digest.update(Files.readAllBytes(temurin25().resolve("release")));
                digest.update(Files.readAllBytes(mavenDistribution()));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The programs a layout copies into /bin, by their name there (the real images' names, not Debian's). */
    private static Map<String, Path> binaries(Extra extra) {
        // Sorted: the cache key digests them in this order.
        return new TreeMap<>(switch (extra) {
            case PROMETHEUS_LAYOUT -> Map.of("prometheus", PrometheusRelease.prometheus3(),
                    "promtool", PrometheusRelease.promtool3());
            case ALERTMANAGER_LAYOUT -> Map.of("alertmanager", PrometheusRelease.alertmanager(),
                    "amtool", PrometheusRelease.amtool());
            case NODE_EXPORTER_LAYOUT -> Map.of("node_exporter", PrometheusRelease.nodeExporter());
            default -> Map.<String, Path>of();
        });
    }

    /** Debian's Alertmanager files (templates, the "no UI" page), beside its binary in the unpacked package. */
    private static Path alertmanagerShareFolder() throws IOException {
        return PrometheusRelease.alertmanager().toRealPath().getParent().getParent()
                .resolve(DEBIAN_ALERTMANAGER_SHARE.substring("usr/".length()));
    }

    /** Every file of {@link #alertmanagerShareFolder}, sorted: the cache key digests them in this order. */
    private static List<Path> alertmanagerShare() throws IOException {
        try (Stream<Path> files = Files.walk(alertmanagerShareFolder())) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Temurin's JDK 25 in /opt/java/openjdk and Maven's own distribution in /usr/share/maven, as the maven image. */
    private static void layOutTemurinJdkAndMaven(Path root) throws IOException {
        Path javaHome = root.resolve(JAVA_HOME);
        Files.createDirectories(javaHome.getParent());
        // -L: the JDK's cacerts is a link to the host's trust store, which holds the CA that intercepts TLS here.
        Command.run(List.of("cp", "-rL", temurin25().toString(), javaHome.toString()), Map.of(),
                Duration.ofMinutes(5)).orFail();
        Path share = root.resolve("usr/share");
        Command.run(List.of("tar", "-xzf", mavenDistribution().toString(), "-C", share.toString()), Map.of(),
                Duration.ofMinutes(5)).orFail();
        try (DirectoryStream<Path> unpacked = Files.newDirectoryStream(share, "apache-maven-*")) {
            Files.move(unpacked.iterator().next(), share.resolve("maven"));
        }
        Files.createSymbolicLink(root.resolve("usr/bin/mvn"), Path.of("../share/maven/bin/mvn"));
    }

    /** The Temurin 25 JDK, or a skip (a failure under CI) naming what is missing. */
    static Path temurin25() {
        if (!Files.isExecutable(TEMURIN_25.resolve("bin/jlink"))) {
            ExternalTool.unavailable("no Temurin 25 JDK at " + TEMURIN_25 + " (the stand-ins of the image's Java 25 "
                    + "bases are made from it; set -Dtictactoe.temurin25=DIR to point elsewhere)");
        }
        return TEMURIN_25;
    }

    /** Maven's binary distribution, which the build copies from Maven Central (pom.xml, pre-integration-test). */
    private static Path mavenDistribution() {
        String configured = System.getProperty("tictactoe.mavenDistribution");
        if (configured == null || !Files.isRegularFile(Path.of(configured))) {
            throw new IllegalStateException("no Maven distribution at " + configured + ": run the tests with mvn "
                    + "verify, whose pre-integration-test phase copies it from Maven Central");
        }
        return Path.of(configured);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    /** The Debian archive this machine's apt uses, or the property tictactoe.debianMirror: no address written in. */
    private static String mirror() {
        String configured = System.getProperty("tictactoe.debianMirror");
        return configured != null ? configured : DebianArchive.ofThisMachine();
    }

    /** A JSON array of strings, as Dockerfile instructions take them in exec form. */
    private static String jsonArray(List<String> values) {
        try {
            return new JsonMapper().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path cacheFolderCreated() {
        try {
            return Files.createDirectories(cacheFolder());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ${XDG_CACHE_HOME:-~/.cache}/tictactoe-tests/stand-in-rootfs, or the property tictactoe.standInCache. */
    private static Path cacheFolder() {
        String configured = System.getProperty("tictactoe.standInCache");
        if (configured != null) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tictactoe-tests").resolve("stand-in-rootfs");
    }
}
