package io.github.tictactoe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.FreshJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a replica builds and loads, seen from a fresh JVM: no platform MBean server and no Jackson data binding, while
 * Jetty still sizes its queues as it would have on its own.
 */
class StartupFootprintTest {

    @Test
    void theServerStartsAndAnswersWithoutThePlatformMBeanServer() throws Exception {
        assertThat(FreshJvm.run(StartupProbe.class, List.of(), "server")).contains("mbean servers: 0", "move: 200");
    }

    @Test
    void theServerLoadsNoClassOfJacksonDataBinding() throws Exception {
        List<String> loaded = FreshJvm.run(StartupProbe.class, List.of("-Xlog:class+load=info"), "server");

        assertThat(loaded).contains("move: 200")
                .anyMatch(line -> line.contains(" com.fasterxml.jackson.core.JsonParser "))
                .noneMatch(line -> line.contains(" com.fasterxml.jackson.databind."));
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
