package io.github.tictactoe.server;

import io.github.tictactoe.AppConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;

/**
 * The service's Jetty server behind start, stop and its ports: the game, its API, static files, health and metrics on
 * one server built from {@link AppConfig}, recording into the registry it is given.
 */
public final class TicTacToeServer {

    private final Server jetty;
    private final Optional<DrainHandler> drain;

    TicTacToeServer(Server jetty, Optional<DrainHandler> drain) {
        this.jetty = jetty;
        this.drain = drain;
    }

    /** The whole server, unstarted. */
    public static TicTacToeServer create(AppConfig config, PrometheusRegistry registry) {
        return builder(config, registry).build();
    }

    /** A server with parts left out or servlets added, for benchmarks and tests. */
    public static Builder builder(AppConfig config, PrometheusRegistry registry) {
        return new Builder(config, registry);
    }

    /** Opens the listeners and starts serving. */
    public void start() throws Exception {
        jetty.start();
    }

    /** Waits until the server has stopped. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops at once: Jetty's stop, requests in flight get up to the stop timeout, no drain delay. */
    public void stop() throws Exception {
        jetty.stop();
    }

    /**
     * Stops the server without losing a request: readiness turns 503 and responses close their connections at once;
     * the listener stays open for {@code drainDelay}, long enough for load balancers to stop sending new connections;
     * then Jetty's graceful stop waits up to the stop timeout for the requests still in flight.
     *
     * @throws Exception when requests were still running at the stop timeout (they are then cut)
     */
    public void stopGracefully(Duration drainDelay) throws Exception {
        beginDraining();
        Thread.sleep(drainDelay.toMillis());
        jetty.stop();
    }

    /** Turns readiness down and makes every response close its connection; the first step of a graceful stop. */
    public void beginDraining() {
        drain.ifPresent(DrainHandler::beginDraining);
    }

    /** Whether a drain has begun, by {@link #beginDraining} or by a stop. */
    public boolean isDraining() {
        return drain.map(DrainHandler::isDraining).orElse(false);
    }

    public boolean isRunning() {
        return jetty.isRunning();
    }

    public boolean isStopped() {
        return jetty.isStopped();
    }

    /** How long a stop waits for requests in flight. */
    public Duration stopTimeout() {
        return Duration.ofMillis(jetty.getStopTimeout());
    }

    /** The port the game listens on, once started (the one chosen when asked for port 0); -1 after a stop. */
    public int port() {
        return Connectors.localPort(jetty, Connectors.PUBLIC).orElseThrow();
    }

    /** The public connector's address as Jetty reports it, once started (its host, and the port chosen for 0). */
    public URI uri() {
        return jetty.getURI();
    }

    /** The port the management connector listens on, or empty when metrics and health share the public one. */
    public OptionalInt managementPort() {
        return Connectors.localPort(jetty, Connectors.MANAGEMENT);
    }

    /** Jetty's server itself, for tests and benchmarks that look inside; the service never needs it. */
    public Server jetty() {
        return jetty;
    }

    /** Chooses what the server is made of: every part unless told to leave one out. */
    public static final class Builder {
        private final AppConfig config;
        private final PrometheusRegistry registry;
        private final Set<Part> leftOut = EnumSet.noneOf(Part.class);
        private Consumer<ServletContextHandler> extraServlets = site -> { };

        private Builder(AppConfig config, PrometheusRegistry registry) {
            this.config = config;
            this.registry = registry;
        }

        public Builder without(Part... parts) {
            leftOut.addAll(List.of(parts));
            return this;
        }

        /** Adds servlets of one's own to the site's context, beside the real ones (a test's slow or failing one). */
        public Builder extraServlets(Consumer<ServletContextHandler> adder) {
            extraServlets = adder;
            return this;
        }

        public TicTacToeServer build() {
            return new ServerAssembly(config, registry, Set.copyOf(leftOut), extraServlets).assemble();
        }
    }
}
