package io.github.tictactoe.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The iptables undo scripts for what a Docker engine leaves behind, as iptables-save showed it on these machines. */
class HostStateTest {

    /** What Debian's dockerd 20.10 leaves in the filter table after it stopped. */
    private static final String ENGINE_LEFT = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD DROP [0:0]
            :OUTPUT ACCEPT [0:0]
            :DOCKER - [0:0]
            :DOCKER-ISOLATION-STAGE-1 - [0:0]
            :DOCKER-USER - [0:0]
            -A FORWARD -j DOCKER-USER
            -A FORWARD -j DOCKER-ISOLATION-STAGE-1
            -A FORWARD -o docker0 -j DOCKER
            -A DOCKER-ISOLATION-STAGE-1 -j RETURN
            -A DOCKER-USER -j RETURN
            COMMIT
            """;

    @Test
    void aTableTheEngineCreatedGetsItsBuiltInChainsBackAcceptingAndEmpty() {
        List<String> scripts = HostState.undoScripts("", ENGINE_LEFT);

        assertThat(scripts).singleElement().satisfies(script -> {
            assertThat(script).startsWith("*filter\n").endsWith("COMMIT\n")
                    .contains(":FORWARD ACCEPT [0:0]\n", "-D FORWARD -j DOCKER-USER\n",
                            "-D FORWARD -o docker0 -j DOCKER\n", "-F DOCKER\n", "-X DOCKER-USER\n")
                    // A built-in chain cannot be deleted: one such line fails the whole script.
                    .doesNotContain("-X INPUT", "-X FORWARD", "-X OUTPUT", "-F FORWARD",
                            "-D DOCKER-USER -j RETURN");
        });
    }

    @Test
    void whatWasThereBeforeStays() {
        String before = """
                *filter
                :INPUT DROP [0:0]
                :FORWARD ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                :MINE - [0:0]
                -A INPUT -i lo -j ACCEPT
                -A FORWARD -j MINE
                COMMIT
                """;
        String after = before.replace(":FORWARD ACCEPT", ":FORWARD DROP")
                .replace("-A FORWARD -j MINE\n", "-A FORWARD -j MINE\n-A FORWARD -j DOCKER-USER\n")
                .replace(":MINE - [0:0]\n", ":MINE - [0:0]\n:DOCKER-USER - [0:0]\n");

        assertThat(HostState.undoScripts(before, after)).containsExactly("""
                *filter
                :FORWARD ACCEPT [0:0]
                -D FORWARD -j DOCKER-USER
                -F DOCKER-USER
                -X DOCKER-USER
                COMMIT
                """);
        assertThat(HostState.undoScripts(before, before)).isEmpty();
    }
}
