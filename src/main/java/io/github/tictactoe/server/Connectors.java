package io.github.tictactoe.server;

import io.github.tictactoe.AppConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The server's HTTP/1.1 listeners: the public one, and the management one when a management port is set. */
final class Connectors {

    /** Connector names; a context bound to {@code "@" + name} answers only on that connector. */
    static final String PUBLIC = "public";
    static final String MANAGEMENT = "management";
    /** Jetty's default, written down: a connection with no byte in either direction for this long is closed. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private Connectors() {
    }

    /** Adds the public connector and, with a management port, the management one. */
    static void addTo(Server server, AppConfig config) {
        server.addConnector(connector(server, PUBLIC, config.port(), config));
        config.managementPort().ifPresent(port -> server.addConnector(connector(server, MANAGEMENT, port, config)));
    }

    /** The port the named connector listens on (the one chosen when asked for 0), or empty without that connector. */
    static OptionalInt localPort(Server server, String name) {
        return Arrays.stream(server.getConnectors())
                .filter(connector -> name.equals(connector.getName()))
                .mapToInt(connector -> ((ServerConnector) connector).getLocalPort())
                .findFirst();
    }

    private static ServerConnector connector(Server server, String name, int port, AppConfig config) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setName(name);
        connector.setHost(config.host());
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.addEventListener(new RequestDeadline(connector.getScheduler(), config.requestDeadline()));
        return connector;
    }
}
