package io.github.tictactoe;

import io.github.tictactoe.server.TicTacToeServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.BindException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Starts the service: reads the settings, builds the server, starts it and stops it gracefully on SIGTERM or SIGINT. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    /** Exit code for a setting or argument that is not accepted. */
    static final int EXIT_USAGE = 2;
    /** Exit code for a server that could not start or did not drain within its stop timeout. */
    static final int EXIT_FAILURE = 1;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(AppConfig.help());
            System.exit(0);
        }
        if (args.length > 0) {
            System.err.println("Unknown argument: " + args[0]
                    + " (settings come from environment variables or -D properties; see --help)");
            System.exit(EXIT_USAGE);
        }
        AppConfig config;
        try {
            config = AppConfig.fromSystem();
        } catch (AppConfig.InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }

        TicTacToeServer server = TicTacToeServer.create(config, new PrometheusRegistry());
        try {
            server.start();
        } catch (Exception e) {
            // No stop(): a failed start has closed the connector already, and exit ends the rest.
            System.err.println(startFailure(config, e));
            System.exit(EXIT_FAILURE);
        }
        LOG.info("tictactoe {} (replica {}) listening on http://{}:{}/", BuildInfo.version(), config.replica(),
                config.host(), server.port());
        server.managementPort().ifPresent(port -> LOG.info(
                "/metrics, /healthz and /readyz on the management port only: http://{}:{}/", config.host(), port));

        // Our own handlers rather than Jetty's shutdown hook: a hook cannot choose the exit code (143 on SIGTERM).
        StopOnSignal stop = new StopOnSignal(server, config.drainDelay());
        Signal.handle(new Signal("TERM"), stop::handle);
        Signal.handle(new Signal("INT"), stop::handle);
        server.join();
        System.exit(stop.exitCode());
    }

    private static String startFailure(AppConfig config, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                String ports = config.port() + config.managementPort().stream().mapToObj(p -> " or " + p)
                        .findFirst().orElse("");
                return "Cannot listen on " + config.host() + ":" + ports + ": " + cause.getMessage()
                        + " (is another process using the port? set PORT or MANAGEMENT_PORT to choose another)";
            }
        }
        return "Cannot start the server: " + e;
    }

    /** Stops the server once, whatever signal arrives first, and remembers whether the drain finished in time. */
    private static final class StopOnSignal {
        private final TicTacToeServer server;
        private final Duration drainDelay;
        private int exitCode;

        StopOnSignal(TicTacToeServer server, Duration drainDelay) {
            this.server = server;
            this.drainDelay = drainDelay;
        }

        synchronized void handle(Signal signal) {
            if (!server.isRunning()) {
                return;
            }
            LOG.info("SIG{} received: draining for {} ms, then waiting up to {} ms for requests in flight",
                    signal.getName(), drainDelay.toMillis(), server.stopTimeout().toMillis());
            try {
                server.stopGracefully(drainDelay);
                LOG.info("Stopped cleanly");
            } catch (Exception e) {
                LOG.warn("Stopped, but requests in flight did not finish within the stop timeout: {}", e.toString());
                exitCode = EXIT_FAILURE;
            }
        }

        /** Waits for a stop under way to finish: {@code join} returns as soon as the thread pool has stopped. */
        synchronized int exitCode() {
            return exitCode;
        }
    }
}
