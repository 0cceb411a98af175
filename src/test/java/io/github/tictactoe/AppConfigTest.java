package io.github.tictactoe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppConfigTest {

    @Test
    void usesDefaultsWhenNothingIsSet() {
        AppConfig config = AppConfig.from(Map.of(), Map.of("HOSTNAME", "container-7f3a"));

        assertThat(config.port()).isEqualTo(3306);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.stopTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.drainDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.requestDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.replica()).isEqualTo("container-7f3a");
        assertThat(config.node()).isEqualTo("container-7f3a");
        assertThat(config.managementPort()).as("metrics and health on the game's port").isEmpty();
    }

    @Test
    void readsEnvironmentVariables() {
        AppConfig config = AppConfig.from(Map.of(), Map.of(
                "PORT", "8080", "HOST", "127.0.0.1", "STOP_TIMEOUT_SECONDS", "25", "DRAIN_DELAY_SECONDS", "0",
                "REQUEST_DEADLINE_SECONDS", "5", "REPLICA", "2", "NODE", "worker-3", "MANAGEMENT_PORT", "9100"));

        assertThat(config).isEqualTo(new AppConfig(8080, "127.0.0.1", Duration.ofSeconds(25), Duration.ZERO,
                Duration.ofSeconds(5), "2", "worker-3", OptionalInt.of(9100)));
    }

    @Test
    void systemPropertyWinsOverEnvironmentVariable() {
        AppConfig config = AppConfig.from(
                Map.of("tictactoe.port", "9000", "tictactoe.replica", "from-property"),
                Map.of("PORT", "8080", "REPLICA", "from-env"));

        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.replica()).isEqualTo("from-property");
    }

    @Test
    void cleansAnUnusualHostNameInsteadOfFailing() {
        AppConfig config = AppConfig.from(Map.of(), Map.of("HOSTNAME", "weird host/name"));

        assertThat(config.replica()).isEqualTo("weird-host-name");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PORT                 | abc       | Invalid PORT=\"abc\": expected TCP port to listen on, 0-65535",
        "PORT                 | 65536     | Invalid PORT=\"65536\": expected TCP port to listen on, 0-65535",
        "PORT                 | -1        | Invalid PORT=\"-1\"",
        "STOP_TIMEOUT_SECONDS | 0         | Invalid STOP_TIMEOUT_SECONDS=\"0\": expected seconds a stop waits for requests in flight, 1-3600",
        "STOP_TIMEOUT_SECONDS | 1.5       | Invalid STOP_TIMEOUT_SECONDS=\"1.5\"",
        "DRAIN_DELAY_SECONDS  | 61        | Invalid DRAIN_DELAY_SECONDS=\"61\": expected seconds a stop keeps serving",
        "REQUEST_DEADLINE_SECONDS | 0     | Invalid REQUEST_DEADLINE_SECONDS=\"0\": expected seconds a connection may take",
        "REPLICA              | 'a b'     | Invalid REPLICA=\"a b\": expected instance name",
        "REPLICA              | '<script>'| Invalid REPLICA=\"<script>\"",
        "NODE                 | 'a b'     | Invalid NODE=\"a b\": expected name of the machine this instance runs on",
        "NODE                 | ''        | Invalid NODE=\"\"",
        "HOST                 | 'my host' | Invalid HOST=\"my host\": expected address to bind",
        "MANAGEMENT_PORT      | 3306      | Invalid MANAGEMENT_PORT=\"3306\": expected TCP port, 0-65535 and not PORT",
        "MANAGEMENT_PORT      | 70000     | Invalid MANAGEMENT_PORT=\"70000\": expected TCP port, 0-65535 and not PORT",
        "MANAGEMENT_PORT      | ''        | Invalid MANAGEMENT_PORT=\"\"",
    })
    void rejectsAnInvalidValueNamingTheVariableAndWhatIsAccepted(String variable, String value, String message) {
        assertThatThrownBy(() -> AppConfig.from(Map.of(), Map.of(variable, value)))
                .isInstanceOf(AppConfig.InvalidConfigException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("\n");
    }

    @Test
    void namesTheSystemPropertyWhenThatIsWhereTheBadValueCameFrom() {
        assertThatThrownBy(() -> AppConfig.from(Map.of("tictactoe.port", "x"), Map.of("PORT", "8080")))
                .hasMessageStartingWith("Invalid -Dtictactoe.port=\"x\"");
    }

    @Test
    void helpListsEverySettingWithItsVariableAndProperty() {
        String help = AppConfig.help();

        for (AppConfig.Setting setting : AppConfig.Setting.values()) {
            assertThat(help).contains(setting.variable(), "-D" + setting.property());
        }
    }
}
