package io.github.tictactoe.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.AppConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/** {@code java -jar target/tictactoe.jar} as a child process, its output captured in files. */
public final class JarProcess implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JarProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * @param environment the settings; the caller's own settings (PORT, HOST, ...) are never inherited
     * @param jvmOptions  options placed before {@code -jar}
     * @param logs        where stdout.log and stderr.log go, prefixed with {@code name}
     */
    public static JarProcess start(String name, Map<String, String> environment, List<String> jvmOptions, Path logs,
            String... args) throws IOException {
        Path jar = Path.of(System.getProperty("tictactoe.jar", "target/tictactoe.jar"));
        assertThat(jar).as("mvn package builds the jar first").exists();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Path stdout = logs.resolve(name + "-stdout.log");
        Path stderr = logs.resolve(name + "-stderr.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        // The jar's own settings come from the test, never from the shell that runs it.
        builder.environment().keySet().removeAll(Arrays.stream(AppConfig.Setting.values())
                .map(AppConfig.Setting::variable).toList());
        builder.environment().putAll(environment);
        return new JarProcess(builder.start(), stdout, stderr);
    }

    /** Waits for the first 200 from /healthz, failing early if the process dies. */
    public void awaitHealthy(URI base, CloseableHttpClient client) {
        Waiting.telling(() -> "stderr:\n" + stderr(), () -> Waiting.upTo(START_LIMIT, Duration.ofMillis(50))
                .alias("a 200 from " + base.resolve("/healthz"))
                .failFast("the jar exited", () -> assertThat(process.isAlive())
                        .as(() -> "the jar is still running; stderr:\n" + stderr()).isTrue())
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> TestServer.send(client, new HttpGet(base.resolve("/healthz"))).status() == 200));
    }

    public Process process() {
        return process;
    }

    public boolean waitFor(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends SIGTERM, as docker stop does. */
    public void terminate() {
        process.destroy();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /** Lines on stderr other than the INFO lines of the log. */
    public List<String> errorLines() {
        return stderr().lines().filter(line -> !line.contains(":INFO :")).toList();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
