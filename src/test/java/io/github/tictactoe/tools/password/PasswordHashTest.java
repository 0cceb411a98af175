package io.github.tictactoe.tools.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tictactoe.testing.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash swarm/up.sh puts in Prometheus' web configuration, checked by Apache's htpasswd, not by its own library. */
class PasswordHashTest {

    @Test
    void htpasswdAcceptsTheHashForThePasswordAndRefusesAnother(@TempDir Path folder) throws Exception {
        Path htpasswd = ExternalTool.require("htpasswd", "apache2-utils");
        String hash = PasswordHash.hash("a-long-random-password");
        Path file = Files.writeString(folder.resolve("users"), "admin:" + hash + "\n");

        assertThat(hash).startsWith("$2y$" + PasswordHash.COST + "$").hasSize(60);
        assertThat(verify(htpasswd, file, "a-long-random-password")).isZero();
        assertThat(verify(htpasswd, file, "another-password")).isNotZero();
    }

    @Test
    void refusesAPasswordBcryptWouldCut() {
        assertThatThrownBy(() -> PasswordHash.hash("x".repeat(73)))
                .hasMessage("the password must be one line of 1 to 72 bytes (bcrypt reads no more), not 73");
        assertThatThrownBy(() -> PasswordHash.hash("")).hasMessageContaining("not 0");
    }

    private static int verify(Path htpasswd, Path file, String password) throws Exception {
        Process process = new ProcessBuilder(htpasswd.toString(), "-vb", file.toString(), "admin", password)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor();
    }
}
