package io.github.tictactoe.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.ExternalTool;
import io.github.tictactoe.testing.Waiting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A Docker engine of the tests' own: a dockerd with its own data root, exec root and socket under a temporary folder,
 * driven through the docker CLI, and at close stopped with everything it ran, its mounts, its folder and its network
 * changes to the host. It never talks to an engine it did not start.
 */
public final class DockerEngine implements Docker, AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    /** Debian's docker.io CLI: 20.10 with BuildKit built in, where a newer CLI needs the buildx plugin for it. */
    private static final Path DEBIAN_CLI = Path.of("/usr/bin/docker");

    private final Path home;
    private final Process dockerd;
    private final HostState hostBefore;
    private final DockerCli cli;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Stops the engine also when the test JVM is ended before the tests could close it. */
    private final Thread shutdownHook = new Thread(this::close, "docker-engine-cleanup");

    private DockerEngine(Path home, Process dockerd, HostState hostBefore, Path cli) {
        this.home = home;
        this.dockerd = dockerd;
        this.hostBefore = hostBefore;
        this.cli = new DockerCli(cli, "unix://" + home.resolve("docker.sock"));
    }

    /** Starts the engine, or skips (fails under CI) where this machine cannot run one. */
    static DockerEngine start() throws IOException, InterruptedException {
        Path dockerdBinary = ExternalTool.require("dockerd", "docker.io");
        Path cli = ExternalTool.require("docker", "docker.io");
        ExternalTool.require("iptables", "iptables");
        if (!Files.isExecutable(DEBIAN_CLI)) {
            ExternalTool.unavailable(DEBIAN_CLI + " is missing: the image builds use the CLI of Debian's docker.io "
                    + "(`apt-get install docker.io`), whose BuildKit is built in");
        }
        if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
            ExternalTool.unavailable("the Docker tests start a Docker engine of their own, which needs root");
        }
        ProcessHandle.allProcesses()
                .filter(process -> process.info().command().map(command -> command.endsWith("/dockerd")).orElse(false))
                .findFirst()
                .ifPresent(other -> ExternalTool.unavailable("another Docker engine runs on this machine (pid "
                        + other.pid() + "): the tests start their own and would share its docker0 and docker_gwbridge "
                        + "bridges and iptables chains"));

        HostState hostBefore = HostState.capture();
        Path home = Files.createTempDirectory("tictactoe-docker");
        Process dockerd = new ProcessBuilder(dockerdBinary.toString(),
                "--data-root", home.resolve("root").toString(),
                "--exec-root", home.resolve("exec").toString(),
                "--pidfile", home.resolve("docker.pid").toString(),
                "-H", "unix://" + home.resolve("docker.sock"))
                .redirectErrorStream(true).redirectOutput(home.resolve("dockerd.log").toFile()).start();
        DockerEngine engine = new DockerEngine(home, dockerd, hostBefore, cli);
        Runtime.getRuntime().addShutdownHook(engine.shutdownHook);
        try {
            engine.awaitRunning();
        } catch (RuntimeException | Error e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    private void awaitRunning() {
        Waiting.telling(() -> "its log:\n" + log(), () -> Waiting.upTo(START_LIMIT, Duration.ofMillis(200))
                .alias("dockerd answering on its socket")
                .failFast("dockerd exited", () -> assertThat(dockerd.isAlive())
                        .as(() -> "dockerd is still running; its log:\n" + log()).isTrue())
                .until(() -> Files.exists(home.resolve("docker.sock")) && docker("version").ok()));
        System.out.println("Docker engine of the tests: " + docker("version", "--format",
                "server {{.Server.Version}}, CLI {{.Client.Version}}").orFail() + ", in " + home);
    }

    @Override
    public Command.Result docker(Map<String, String> moreEnvironment, Path stdin, Duration limit, String... args) {
        return cli.docker(moreEnvironment, stdin, limit, args);
    }

    @Override
    public ProcessBuilder dockerProcess(String... args) {
        return cli.dockerProcess(args);
    }

    /** The docker CLI on the PATH, for an engine this one runs (a swarm node in a container). */
    Docker cliFor(String host) {
        return new DockerCli(cli.binary(), host);
    }

    /** Debian's docker CLI, with BuildKit on or off, against this engine: for builds. */
    Command.Result build(boolean buildKit, Duration limit, List<String> args) {
        List<String> command = new ArrayList<>(List.of(DEBIAN_CLI.toString(), "build"));
        command.addAll(args);
        return Command.run(command, Map.of("DOCKER_HOST", cli.host(), "DOCKER_BUILDKIT", buildKit ? "1" : "0"), limit);
    }

    /** Runs a program with this engine in its environment (DOCKER_HOST), such as a shell script of the stack. */
    public Command.Result run(List<String> command, Duration limit) {
        return run(command, Map.of(), limit);
    }

    /** The same, with these variables in its environment too, such as swarm/up.sh with BUILD_ARGS. */
    public Command.Result run(List<String> command, Map<String, String> environment, Duration limit) {
        Map<String, String> all = new HashMap<>(environment);
        all.put("DOCKER_HOST", cli.host());
        return Command.run(command, all, limit);
    }

    /** The same, stopped (SIGTERM to its process group) once its output shows the marker. */
    public Command.Result runAndInterrupt(List<String> command, Map<String, String> environment, Duration limit,
            String marker) {
        Map<String, String> all = new HashMap<>(environment);
        all.put("DOCKER_HOST", cli.host());
        return Command.runAndInterrupt(command, all, limit, marker);
    }

    /**
     * The {@code /proc/PID/status} lines of a running container's first process, read on this machine: the engine runs
     * here, so its containers' PIDs are this machine's, and the app's image has no grep or cat to read them inside.
     */
    public List<String> processStatus(String container) throws IOException {
        String pid = dockerOk("inspect", "--format", "{{.State.Pid}}", container);
        return Files.readAllLines(Path.of("/proc", pid, "status"));
    }

    /** A folder of this engine's own, removed at close. */
    public Path scratch(String name) throws IOException {
        return Files.createDirectories(home.resolve("scratch").resolve(name));
    }

    public String log() {
        try {
            return Files.readString(home.resolve("dockerd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // called from the hook itself
        }
        long start = System.nanoTime();
        if (dockerd.isAlive()) {
            docker(Duration.ofSeconds(60), "swarm", "leave", "--force");
            String containers = docker("ps", "-aq").stdout().trim();
            if (!containers.isEmpty()) {
                List<String> remove = new ArrayList<>(List.of("rm", "-f", "-v"));
                remove.addAll(containers.lines().toList());
                docker(Duration.ofMinutes(2), remove.toArray(String[]::new));
            }
            dockerd.destroy();
            try {
                if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
                    dockerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // containerd and its shims are the engine's children; none may outlive it.
        ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments()
                        .map(args -> String.join(" ", args).contains(home.toString())).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        unmountEverythingBelow(home);
        hostBefore.undoChangesSince();
        if (mountsBelow(home).isEmpty()) {
            deleteRecursively(home);
        } else {
            System.err.println("Left " + home + " in place: still mounted there: " + mountsBelow(home));
        }
        System.out.printf("Docker engine of the tests stopped and removed in %.1f s%n",
                (System.nanoTime() - start) / 1e9);
    }

    static void unmountEverythingBelow(Path folder) {
        for (String mountPoint : mountsBelow(folder)) {
            Command.run(List.of("umount", "-l", mountPoint), Map.of(), Duration.ofSeconds(30));
        }
    }

    /** Mount points at or below the folder, deepest first. */
    private static List<String> mountsBelow(Path folder) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(line -> line.split(" ")[4].replace("\\040", " "))
                    .filter(mountPoint -> Path.of(mountPoint).startsWith(folder))
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not remove " + folder + ": " + e);
        }
    }
}
