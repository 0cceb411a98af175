package io.github.tictactoe.tools.traffic;

import java.net.URI;
import java.util.Map;

/**
 * The traffic generator's settings, from its environment: where the service is and how many games a second to start.
 *
 * @param target        the service's base URL; its host name is resolved again for every visit, and each visit goes to
 *                      one of its addresses at random, so that every replica behind {@code tasks.<service>} gets its
 *                      share
 * @param gamesPerSecond how many visits (a page and a game) start each second
 */
public record TrafficSettings(URI target, double gamesPerSecond) {

    public static final String TARGET = "TRAFFIC_TARGET";
    public static final String GAMES_PER_SECOND = "TRAFFIC_GAMES_PER_SECOND";
    static final String DEFAULT_TARGET = "http://tasks.tictactoe:3306";
    static final String DEFAULT_GAMES_PER_SECOND = "2";
    /** The bound: traffic to watch, not a load test (bench/ is for that). */
    static final double MAX_GAMES_PER_SECOND = 20;

    /** A value that is not accepted, with a message that names the variable and what it accepts. */
    public static final class InvalidSettingException extends RuntimeException {

        InvalidSettingException(String variable, String value, String accepted) {
            super("Invalid " + variable + "=\"" + value + "\": expected " + accepted);
        }
    }

    /** Reads the settings from an environment, such as {@link System#getenv()}. */
    public static TrafficSettings from(Map<String, String> environment) {
        String target = environment.getOrDefault(TARGET, DEFAULT_TARGET);
        String rate = environment.getOrDefault(GAMES_PER_SECOND, DEFAULT_GAMES_PER_SECOND);
        return new TrafficSettings(target(target), gamesPerSecond(rate));
    }

    private static URI target(String value) {
        String accepted = "the service's base URL, http://HOST:PORT (default " + DEFAULT_TARGET + ")";
        try {
            URI uri = new URI(value);
            if ("http".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                    && uri.getRawQuery() == null && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (java.net.URISyntaxException malformed) {
            // Reported below, like any other value that is not accepted.
        }
        throw new InvalidSettingException(TARGET, value, accepted);
    }

    private static double gamesPerSecond(String value) {
        String accepted = "games started per second, above 0 and at most " + (int) MAX_GAMES_PER_SECOND
                + " (default " + DEFAULT_GAMES_PER_SECOND + ")";
        try {
            double rate = Double.parseDouble(value.strip());
            if (rate > 0 && rate <= MAX_GAMES_PER_SECOND) {
                return rate;
            }
        } catch (NumberFormatException notANumber) {
            // Reported below.
        }
        throw new InvalidSettingException(GAMES_PER_SECOND, value, accepted);
    }
}
