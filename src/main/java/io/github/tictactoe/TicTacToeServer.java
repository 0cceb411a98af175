package io.github.tictactoe;

import io.github.tictactoe.game.ComputerPlayer;
import io.github.tictactoe.game.Referee;
import io.github.tictactoe.metrics.AppInfoMetric;
import io.github.tictactoe.metrics.GameMetrics;
import io.github.tictactoe.metrics.HttpServerMetrics;
import io.github.tictactoe.metrics.JettyThreadPoolMetrics;
import io.github.tictactoe.metrics.JvmMetricsWithoutMBeanServer;
import io.github.tictactoe.metrics.MemoryLimitMetric;
import io.github.tictactoe.metrics.MetricsFilter;
import io.github.tictactoe.web.AssetCacheFilter;
import io.github.tictactoe.web.GameServlet;
import io.github.tictactoe.web.HealthServlet;
import io.github.tictactoe.web.MoveServlet;
import io.github.tictactoe.web.SecurityHeadersFilter;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Assembles the whole Jetty server: connector, graceful stop, access log, filters, servlets and metrics. */
public final class TicTacToeServer {

    /** The file that marks the static site inside the jar (or {@code target/classes} when run from the IDE). */
    private static final String WEBAPP_INDEX = "/webapp/index.html";
    private static final String METRICS_PATH = "/metrics";
    /** Connector names; a context bound to {@code "@" + name} answers only on that connector. */
    static final String PUBLIC_CONNECTOR = "public";
    static final String MANAGEMENT_CONNECTOR = "management";
    /** The folders of the static files the page links with {@code ?v=<version>}. */
    private static final List<String> ASSET_PATHS = List.of("/css/*", "/js/*", "/images/*");
    /** The access log goes to stdout in batches of this size or age, whichever comes first. */
    private static final int ACCESS_LOG_BATCH_BYTES = 32 * 1024;
    private static final Duration ACCESS_LOG_FLUSH_INTERVAL = Duration.ofMillis(100);
    /**
     * Jetty's {@code EXTENDED_NCSA_FORMAT} (the combined log format) with the user field written as the "-" it always
     * is here, since nothing authenticates: Jetty's {@code %u} looks the authentication up on every request (20% of
     * the access log's CPU time in a JFR profile of the page, bench/RESULTS.md). The lines stay byte for byte the same.
     */
    static final String ACCESS_LOG_FORMAT = "%{client}a - - %t \"%r\" %s %O \"%{Referer}i\" \"%{User-Agent}i\"";
    /** Static file cache bounds: the site is a few files of a few KiB, so these hold it all with room to spare. */
    private static final int MAX_CACHED_FILES = 64;
    private static final int MAX_CACHED_FILE_BYTES = 256 * 1024;
    private static final int MAX_CACHE_BYTES = 4 * 1024 * 1024;
    /** Jetty's default, written down: a connection with no byte in either direction for this long is closed. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private TicTacToeServer() {
    }

    /** Builds the server, unstarted, recording its metrics into {@code registry}. */
    public static Server newServer(AppConfig config, PrometheusRegistry registry) {
        JettyCacheLine.tellJetty();
        QueuedThreadPool threadPool = new QueuedThreadPool();
        threadPool.setName("http");
        Server server = new Server(threadPool);
        server.setStopTimeout(config.stopTimeout().toMillis());
        server.addConnector(connector(server, PUBLIC_CONNECTOR, config.port(), config));
        config.managementPort().ifPresent(port -> server.addConnector(connector(server, MANAGEMENT_CONNECTOR, port,
                config)));
        server.setRequestLog(new CustomRequestLog(
                new BatchedLogWriter(System.out, ACCESS_LOG_BATCH_BYTES, ACCESS_LOG_FLUSH_INTERVAL),
                ACCESS_LOG_FORMAT));
        server.setErrorHandler(new SecurityHeadersErrorHandler());

        JvmMetricsWithoutMBeanServer.register(registry);
        JettyThreadPoolMetrics.register(threadPool, registry);
        AppInfoMetric.register(registry, BuildInfo.version(), config.replica(), config.node());
        MemoryLimitMetric.register(registry);
        HttpServerMetrics httpMetrics = new HttpServerMetrics(registry);
        // ThreadLocalRandom.current() draws from the calling thread's own generator, so one instance serves all.
        Referee referee = new Referee(new ComputerPlayer(ThreadLocalRandom.current()), System::nanoTime);

        ServletContextHandler site = new ServletContextHandler("/");
        site.setBaseResource(webapp(server));
        // With a management port, metrics and health live in a context of their own, bound to that connector; the
        // public one no longer maps them, so they answer 404 there like any missing file.
        ServletContextHandler management = site;
        Handler contexts = site;
        if (config.managementPort().isPresent()) {
            management = new ServletContextHandler("/");
            site.setVirtualHosts(List.of("@" + PUBLIC_CONNECTOR));
            management.setVirtualHosts(List.of("@" + MANAGEMENT_CONNECTOR));
            contexts = new ContextHandlerCollection(site, management);
        }
        // Compression inside the drain and outside the contexts: the metrics filter sees the bytes the application
        // wrote, the connection gets the gzipped ones.
        DrainHandler drain = new DrainHandler(ResponseCompression.around(contexts, METRICS_PATH));
        EnumSet<DispatcherType> requests = EnumSet.of(DispatcherType.REQUEST);
        // The management context has no metrics filter: scrapes and health probes are not the service's traffic.
        site.addFilter(new FilterHolder(new MetricsFilter(httpMetrics, Set.of(METRICS_PATH))), "/*", requests);
        site.addFilter(new FilterHolder(new SecurityHeadersFilter()), "/*",
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR));
        FilterHolder assetCache = new FilterHolder(new AssetCacheFilter(BuildInfo.version()));
        ASSET_PATHS.forEach(path -> site.addFilter(assetCache, path, requests));

        GameServlet game = new GameServlet(readPage(), BuildInfo.version(), config.replica());
        site.addServlet(new ServletHolder("game", game), "");
        site.addServlet(new ServletHolder("game-index", game), "/index.html");
        site.addServlet(new ServletHolder("move",
                new MoveServlet(referee, new GameMetrics(registry), config.replica())), "/api/move");
        management.addServlet(new ServletHolder("healthz", new HealthServlet(() -> true)), "/healthz");
        management.addServlet(new ServletHolder("readyz", new HealthServlet(() -> !drain.isDraining())), "/readyz");
        management.addServlet(new ServletHolder("metrics", new PrometheusMetricsServlet(registry)), METRICS_PATH);
        // Last, on "/": the servlet container's default mapping, it serves whatever no other mapping claimed.
        site.addServlet(staticFiles(), "/");

        // Outermost: on stop it lets requests in flight finish and closes connections as they answer.
        server.setHandler(drain);
        return server;
    }

    /**
     * Stops the server without losing a request: readiness turns 503 and responses close their connections at once;
     * the listener stays open for {@code drainDelay}, long enough for load balancers to stop sending new connections;
     * then Jetty's graceful stop waits up to the stop timeout for the requests still in flight.
     *
     * @throws Exception when requests were still running at the stop timeout (they are then cut)
     */
    public static void stopGracefully(Server server, Duration drainDelay) throws Exception {
        server.getDescendant(DrainHandler.class).beginDraining();
        Thread.sleep(drainDelay.toMillis());
        server.stop();
    }

    /** The port the management connector listens on, or empty when metrics and health share the public one. */
    public static OptionalInt managementPort(Server server) {
        for (Connector connector : server.getConnectors()) {
            if (MANAGEMENT_CONNECTOR.equals(connector.getName())) {
                return OptionalInt.of(((ServerConnector) connector).getLocalPort());
            }
        }
        return OptionalInt.empty();
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

    private static ServletHolder staticFiles() {
        ServletHolder holder = new ServletHolder("default", new DefaultServlet());
        holder.setInitParameter("dirAllowed", "false");
        holder.setInitParameter("etags", "true");
        holder.setInitParameter("welcomeServlets", "false");
        // Jetty 12 caches nothing unless asked: without these, every request reads its file out of the jar again
        // (bench/RESULTS.md: three times nginx's CPU per request). The jar cannot change while the server runs, so
        // entries are never revalidated; the limits bound the cache even under a flood of paths that do not exist.
        holder.setInitParameter("maxCachedFiles", Integer.toString(MAX_CACHED_FILES));
        holder.setInitParameter("maxCachedFileSize", Integer.toString(MAX_CACHED_FILE_BYTES));
        holder.setInitParameter("maxCacheSize", Integer.toString(MAX_CACHE_BYTES));
        holder.setInitParameter("cacheValidationTime", "-1");
        return holder;
    }

    /** The folder holding index.html, whether it sits in a jar or on disk. */
    private static Resource webapp(Server server) {
        URL index = TicTacToeServer.class.getResource(WEBAPP_INDEX);
        if (index == null) {
            throw new IllegalStateException("The static site is missing from the classpath: " + WEBAPP_INDEX);
        }
        try {
            String folder = index.toURI().toString();
            folder = folder.substring(0, folder.length() - "index.html".length());
            return ResourceFactory.of(server).newResource(new URI(folder));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the static site at " + index, e);
        }
    }

    private static String readPage() {
        try (InputStream in = TicTacToeServer.class.getResourceAsStream(WEBAPP_INDEX)) {
            if (in == null) {
                throw new IllegalStateException("The page template is missing: " + WEBAPP_INDEX);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + WEBAPP_INDEX, e);
        }
    }
}
