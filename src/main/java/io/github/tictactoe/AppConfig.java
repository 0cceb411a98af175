package io.github.tictactoe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The service's settings, read in one place: system property first, then environment variable, then default.
 *
 * @param port        TCP port to listen on; 0 picks a free one
 * @param host        address to bind, {@code 0.0.0.0} for all interfaces
 * @param stopTimeout how long a stop waits for requests in flight before it cuts them
 * @param drainDelay  how long a stop keeps serving, readiness down, before it closes the listener
 * @param requestDeadline how long a connection may take to bring a complete request before it is closed
 * @param replica     name of this instance, shown on the page and in {@code app_info}
 * @param node        name of the machine (a Swarm node) this instance runs on, in {@code app_info}
 * @param managementPort the port of a second connector that alone serves metrics and health, or empty when they
 *                    stay on {@code port}
 */
public record AppConfig(int port, String host, Duration stopTimeout, Duration drainDelay, Duration requestDeadline,
        String replica, String node, OptionalInt managementPort) {

    /** One setting: its system property, its environment variable, its default and what it means. */
    public enum Setting {
        PORT("tictactoe.port", "PORT", "3306", "TCP port to listen on, 0-65535 (0 picks a free port)"),
        HOST("tictactoe.host", "HOST", "0.0.0.0", "address to bind, an IP address or host name (0.0.0.0: all interfaces)"),
        STOP_TIMEOUT("tictactoe.stopTimeoutSeconds", "STOP_TIMEOUT_SECONDS", "10",
                "seconds a stop waits for requests in flight, 1-3600"),
        DRAIN_DELAY("tictactoe.drainDelaySeconds", "DRAIN_DELAY_SECONDS", "2",
                "seconds a stop keeps serving with readiness down before it closes the listener, 0-60"),
        REQUEST_DEADLINE("tictactoe.requestDeadlineSeconds", "REQUEST_DEADLINE_SECONDS", "10",
                "seconds a connection may take to send a whole request (or stay idle) before it is closed, 1-300"),
        REPLICA("tictactoe.replica", "REPLICA", "the host name",
                "instance name shown on the page and in app_info, 1-64 of A-Z a-z 0-9 . _ -"),
        NODE("tictactoe.node", "NODE", "the host name",
                "name of the machine this instance runs on, in app_info, 1-64 of A-Z a-z 0-9 . _ -"),
        MANAGEMENT_PORT("tictactoe.managementPort", "MANAGEMENT_PORT", "unset",
                "TCP port, 0-65535 and not PORT, that alone serves /metrics, /healthz and /readyz"
                        + " (unset: they stay on PORT)");

        private final String property;
        private final String variable;
        private final String defaultText;
        private final String description;

        Setting(String property, String variable, String defaultText, String description) {
            this.property = property;
            this.variable = variable;
            this.defaultText = defaultText;
            this.description = description;
        }

        public String property() {
            return property;
        }

        public String variable() {
            return variable;
        }
    }

    private static final int MAX_STOP_TIMEOUT_SECONDS = 3600;
    private static final int MAX_DRAIN_DELAY_SECONDS = 60;
    private static final int MAX_REQUEST_DEADLINE_SECONDS = 300;
    /** What a replica or node name may be: it becomes a label value. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Reads the settings of this process: its system properties and its environment. */
    public static AppConfig fromSystem() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> properties = (Map) System.getProperties();
        return from(properties, System.getenv());
    }

    /**
     * Reads the settings from the given sources, so tests need neither a real environment nor global state.
     *
     * @throws InvalidConfigException naming the first setting whose value is not accepted
     */
    public static AppConfig from(Map<String, String> properties, Map<String, String> environment) {
        Source source = new Source(properties, environment);
        int port = source.integer(Setting.PORT, 0, 65535);
        String host = source.host();
        Duration stopTimeout = Duration.ofSeconds(source.integer(Setting.STOP_TIMEOUT, 1, MAX_STOP_TIMEOUT_SECONDS));
        Duration drainDelay = Duration.ofSeconds(source.integer(Setting.DRAIN_DELAY, 0, MAX_DRAIN_DELAY_SECONDS));
        Duration requestDeadline = Duration.ofSeconds(
                source.integer(Setting.REQUEST_DEADLINE, 1, MAX_REQUEST_DEADLINE_SECONDS));
        String replica = source.name(Setting.REPLICA);
        String node = source.name(Setting.NODE);
        OptionalInt managementPort = source.managementPort(port);
        return new AppConfig(port, host, stopTimeout, drainDelay, requestDeadline, replica, node, managementPort);
    }

    /** The text {@code --help} prints: every setting with its names, default and meaning. */
    public static String help() {
        StringBuilder text = new StringBuilder()
                .append("Usage: java -jar tictactoe.jar [--help]\n\n")
                .append("Settings (system property -Dname=value, else environment variable, else default):\n");
        for (Setting setting : Setting.values()) {
            text.append(String.format("  %-21s %-31s default: %s%n      %s%n",
                    setting.variable, "-D" + setting.property, setting.defaultText, setting.description));
        }
        return text.toString();
    }

    /** A setting's value that is not accepted; its message is the one line printed at start-up. */
    public static final class InvalidConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidConfigException(Setting setting, String origin, String value) {
            super("Invalid " + origin + "=\"" + value + "\": expected " + setting.description);
        }
    }

    /** Looks a setting up in the property map, then the environment map. */
    private record Source(Map<String, String> properties, Map<String, String> environment) {

        private String raw(Setting setting) {
            String value = properties.get(setting.property);
            return value != null ? value : environment.get(setting.variable);
        }

        /** Names where a value came from, so the error line points at what the user set. */
        private String origin(Setting setting) {
            return properties.get(setting.property) != null ? "-D" + setting.property : setting.variable;
        }

        private int integer(Setting setting, int min, int max) {
            String value = raw(setting);
            if (value == null) {
                return Integer.parseInt(setting.defaultText);
            }
            try {
                int number = Integer.parseInt(value.trim());
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException notANumber) {
                // reported below, with the accepted range
            }
            throw new InvalidConfigException(setting, origin(setting), value);
        }

        private OptionalInt managementPort(int port) {
            if (raw(Setting.MANAGEMENT_PORT) == null) {
                return OptionalInt.empty();
            }
            int managementPort = integer(Setting.MANAGEMENT_PORT, 0, 65535);
            // 0 picks a free port for each connector, so only a fixed port can collide.
            if (managementPort != 0 && managementPort == port) {
                throw new InvalidConfigException(Setting.MANAGEMENT_PORT, origin(Setting.MANAGEMENT_PORT),
                        raw(Setting.MANAGEMENT_PORT));
            }
            return OptionalInt.of(managementPort);
        }

        private String host() {
            String value = raw(Setting.HOST);
            if (value == null) {
                return Setting.HOST.defaultText;
            }
            String host = value.trim();
            try {
                if (!host.isEmpty() && host.chars().noneMatch(Character::isWhitespace)) {
                    InetAddress.getByName(host);
                    return host;
                }
            } catch (UnknownHostException unknown) {
                // reported below
            }
            throw new InvalidConfigException(Setting.HOST, origin(Setting.HOST), value);
        }

        /** A replica or node name, by default the host name. */
        private String name(Setting setting) {
            String value = raw(setting);
            if (value == null) {
                return hostName();
            }
            if (NAME.matcher(value).matches()) {
                return value;
            }
            throw new InvalidConfigException(setting, origin(setting), value);
        }

        /** The host name: in a container that is the container id, which tells replicas apart. */
        private String hostName() {
            String name = environment.get("HOSTNAME");
            if (name == null || name.isBlank()) {
                try {
                    name = InetAddress.getLocalHost().getHostName();
                } catch (UnknownHostException unknown) {
                    name = "localhost";
                }
            }
            // Truncate and replace so an unusual host name never stops the service from starting.
            String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "-");
            return cleaned.substring(0, Math.min(cleaned.length(), 64));
        }
    }
}
