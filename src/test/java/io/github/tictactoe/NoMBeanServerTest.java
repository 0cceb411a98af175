package io.github.tictactoe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The server starts without the platform MBean server, and Jetty still sizes its queues as it would have. */
class NoMBeanServerTest {

    @Test
    void theWholeServerStartsWithoutThePlatformMBeanServer() throws Exception {
        assertThat(FreshJvm.run(StartupProbe.class, List.of(), "server")).contains("mbean servers: 0");
    }

    @Test
    void jettyGetsTheReferencesPerCacheLineItWouldWorkOutItself() throws Exception {
        for (List<String> flags : List.of(List.<String>of(), List.of("-XX:-UseCompressedOops"),
                List.of("-Dorg.eclipse.jetty.util.cacheLineBytes=128"))) {
            List<String> jettyAlone = FreshJvm.run(StartupProbe.class, flags, "jetty");
            List<String> server = FreshJvm.run(StartupProbe.class, flags, "server");

            assertThat(jettyAlone).as("Jetty on its own, %s", flags).contains("mbean servers: 1");
            assertThat(line(server, "references per cache line")).as("flags %s", flags)
                    .isEqualTo(line(jettyAlone, "references per cache line"));
        }
    }

    private static String line(List<String> output, String prefix) {
        return output.stream().filter(line -> line.startsWith(prefix)).findFirst().orElseThrow();
    }
}
