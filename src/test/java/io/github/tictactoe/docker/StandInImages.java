package io.github.tictactoe.docker;

import io.github.tictactoe.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Local stand-ins for the base images the Dockerfile and the stack name, which no registry here can serve: root file
 * systems made by debootstrap from Debian's packages, providing what the real images provide and the project relies
 * on. The root file systems are cached as tar files outside the repository, keyed by their recipe, so that only the
 * first run on a machine pays for debootstrap.
 */
public final class StandInImages {

    /** The stand-in images' names on the engine. */
    public record Names(String build, String runtime, String prometheus) {
    }

    /**
     * One stand-in: the Debian packages of its root file system and the image settings of the real image it stands
     * for. {@code withHostCertificates}: the build stage downloads from Maven Central, and this machine's TLS is
     * intercepted by a CA that only the host's bundle has.
     */
    private record Recipe(String name, String packages, boolean withHostCertificates, List<String> imageSettings) {

        /** Layout steps after debootstrap, applied in Java; part of the key through the recipe's name and settings. */
        void layOut(Path root) throws IOException {
            if (withHostCertificates) {
                for (String bundle : HOST_CERTIFICATES) {
                    Files.copy(Path.of("/").resolve(bundle), root.resolve(bundle), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (name.equals("prometheus")) {
                // As in prom/prometheus: data in /prometheus and configuration in /etc/prometheus, owned by nobody.
                for (String folder : List.of("prometheus", "etc/prometheus")) {
                    Path dir = Files.createDirectories(root.resolve(folder));
                    Files.setAttribute(dir, "unix:uid", 65534);
                    Files.setAttribute(dir, "unix:gid", 65534);
                }
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
    private static final int LAYOUT_VERSION = 1;
    private static final List<String> HOST_CERTIFICATES = List.of("etc/ssl/certs/ca-certificates.crt",
            "etc/ssl/certs/java/cacerts");
    private static final Recipe BUILD = new Recipe("maven",
            // maven:3.9.9-eclipse-temurin-17-noble: a JDK 17 and mvn on the PATH, running as root.
            "openjdk-17-jdk-headless,maven,ca-certificates", true, List.of("WORKDIR /"));
    private static final Recipe RUNTIME = new Recipe("jre",
            // eclipse-temurin:17.0.15_6-jre-noble: java on the PATH, curl, useradd; running as root.
            "openjdk-17-jre-headless,curl,ca-certificates", false, List.of("WORKDIR /"));
    private static final Recipe PROMETHEUS = new Recipe("prometheus",
            // prom/prometheus: /bin/prometheus as entrypoint, user nobody, working directory and volume /prometheus.
            "prometheus", false, List.of("USER nobody", "WORKDIR /prometheus", "EXPOSE 9090",
                    "VOLUME [\"/prometheus\"]", "ENTRYPOINT [\"/bin/prometheus\"]",
                    "CMD [\"--config.file=/etc/prometheus/prometheus.yml\", \"--storage.tsdb.path=/prometheus\"]"));

    private static final Recipe NODE = new Recipe("node",
            // Not a stand-in but a swarm node: Debian's Docker engine, run as a container of the tests' engine. Its API
            // listens on TCP inside the container, which publishes it on a loopback port only (SwarmCluster).
            "docker.io,iptables,ca-certificates", false, List.of("ENTRYPOINT [\"dockerd\", "
                    + "\"--host=unix:///var/run/docker.sock\", \"--host=tcp://0.0.0.0:2375\"]"));

    private StandInImages() {
    }

    /** An image that runs a Docker engine, for the nodes of a swarm made of containers. */
    static String nodeImage(DockerEngine engine) {
        return importOne(engine, ExternalTool.require("debootstrap", "debootstrap"), cacheFolderCreated(), NODE);
    }

    /** Makes (or takes from the cache) the three root file systems and imports them into the engine. */
    static Names importInto(DockerEngine engine) throws Exception {
        Path debootstrap = ExternalTool.require("debootstrap", "debootstrap");
        Path cache = cacheFolderCreated();
        long start = System.nanoTime();
        List<CompletableFuture<String>> images = new ArrayList<>();
        for (Recipe recipe : List.of(BUILD, RUNTIME, PROMETHEUS)) {
            images.add(CompletableFuture.supplyAsync(() -> importOne(engine, debootstrap, cache, recipe)));
        }
        Names names = new Names(images.get(0).join(), images.get(1).join(), images.get(2).join());
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
            Command.run(List.of(debootstrap.toString(), "--variant=minbase", "--include=" + recipe.packages(), SUITE,
                    root.toString(), mirror()), Map.of(), Duration.ofMinutes(15)).orFail();
            recipe.layOut(root);
            Path partial = cache.resolve(tar.getFileName() + ".partial");
            Command.run(List.of("tar", "-C", root.toString(), "-cf", partial.toString(), "."), Map.of(),
                    Duration.ofMinutes(5)).orFail();
            Files.move(partial, tar, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("debootstrap of the %s stand-in (%s): %.1f s, %d MB%n", recipe.name(), recipe.packages(),
                    (System.nanoTime() - start) / 1e9, Files.size(tar) >> 20);
            removeOtherVersions(cache, recipe, tar);
        } finally {
            // debootstrap mounts /proc and /sys inside the target while it works; a failed run can leave them.
            DockerEngine.unmountEverythingBelow(root);
            Command.run(List.of("rm", "-rf", "--one-file-system", root.toString()), Map.of(), Duration.ofMinutes(5));
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
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String mirror() {
        return System.getProperty("tictactoe.debianMirror", "http://deb.debian.org/debian");
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
