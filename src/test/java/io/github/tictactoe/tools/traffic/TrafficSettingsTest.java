package io.github.tictactoe.tools.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The traffic service's two settings: defaults for the stack, and one line naming the variable for a bad value. */
class TrafficSettingsTest {

    @Test
    void defaultsToTheStacksServiceAtTwoGamesASecond() {
        TrafficSettings settings = TrafficSettings.from(Map.of());

        assertThat(settings.target()).isEqualTo(URI.create("http://tasks.tictactoe:3306"));
        assertThat(settings.gamesPerSecond()).isEqualTo(2.0);
    }

    @Test
    void readsBothFromTheEnvironment() {
        TrafficSettings settings = TrafficSettings.from(Map.of("TRAFFIC_TARGET", "http://10.0.0.7:8080",
                "TRAFFIC_GAMES_PER_SECOND", "0.5"));

        assertThat(settings.target()).isEqualTo(URI.create("http://10.0.0.7:8080"));
        assertThat(settings.gamesPerSecond()).isEqualTo(0.5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "21", "NaN", "Infinity", "fast", ""})
    void refusesARateOutsideItsBound(String rate) {
        assertThatThrownBy(() -> TrafficSettings.from(Map.of("TRAFFIC_GAMES_PER_SECOND", rate)))
                .hasMessage("Invalid TRAFFIC_GAMES_PER_SECOND=\"" + rate
                        + "\": expected games started per second, above 0 and at most 20 (default 2)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tasks.tictactoe:3306", "https://tasks.tictactoe:3306", "http://tasks.tictactoe",
            "http://tasks.tictactoe:3306/api", "http://user@host:3306", "http://host:3306/?q", "http:// bad"})
    void refusesATargetThatIsNotABaseUrl(String target) {
        assertThatThrownBy(() -> TrafficSettings.from(Map.of("TRAFFIC_TARGET", target)))
                .hasMessageStartingWith("Invalid TRAFFIC_TARGET=\"" + target + "\": expected the service's base URL");
    }
}
