package io.github.tictactoe.server;

import io.github.tictactoe.AppConfig;
import io.github.tictactoe.BuildInfo;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Assembles the Jetty server from its named parts, outermost last: thread pool and connectors, access log and error
 * pages, the process's metrics, the site's filters and servlets, the management servlets, then the handlers around
 * them. Each part that {@link Part} names is left out when asked.
 */
final class ServerAssembly {

    private static final String METRICS_PATH = "/metrics";
    /** The folders of the static files the page links with {@code ?v=<version>}. */
    private static final List<String> ASSET_PATHS = List.of("/css/*", "/js/*", "/images/*");
    private static final EnumSet<DispatcherType> REQUESTS = EnumSet.of(DispatcherType.REQUEST);

    private final AppConfig config;
    private final PrometheusRegistry registry;
    private final Set<Part> leftOut;
    private final Consumer<ServletContextHandler> extraServlets;

    ServerAssembly(AppConfig config, PrometheusRegistry registry, Set<Part> leftOut,
            Consumer<ServletContextHandler> extraServlets) {
        this.config = config;
        this.registry = registry;
        this.leftOut = leftOut;
        this.extraServlets = extraServlets;
    }

    TicTacToeServer assemble() {
        JettyCacheLine.tellJetty();
        QueuedThreadPool threadPool = new QueuedThreadPool();
        threadPool.setName("http");
        Server server = new Server(threadPool);
        server.setStopTimeout(config.stopTimeout().toMillis());
        Connectors.addTo(server, config);
        if (has(Part.ACCESS_LOG)) {
            server.setRequestLog(AccessLog.toStdout());
        }
        server.setErrorHandler(new SecurityHeadersErrorHandler());
        registerProcessMetrics(threadPool);

        ServletContextHandler site = new ServletContextHandler("/");
        site.setBaseResource(StaticSite.folder(server));
        addSiteFilters(site);
        addSiteServlets(site);
        // With a management port, metrics and health live in a context of their own, bound to that connector; the
        // public one no longer maps them, so they answer 404 there like any missing file.
        ServletContextHandler management = site;
        Handler contexts = site;
        if (config.managementPort().isPresent()) {
            management = new ServletContextHandler("/");
            site.setVirtualHosts(List.of("@" + Connectors.PUBLIC));
            management.setVirtualHosts(List.of("@" + Connectors.MANAGEMENT));
            contexts = new ContextHandlerCollection(site, management);
        }

        // Compression inside the drain and outside the contexts: the metrics filter sees the bytes the application
        // wrote, the connection gets the gzipped ones.
        Handler served = has(Part.COMPRESSION) ? ResponseCompression.around(contexts, METRICS_PATH) : contexts;
        // Outermost: on stop it lets requests in flight finish and closes connections as they answer.
        Optional<DrainHandler> drain = has(Part.DRAIN) ? Optional.of(new DrainHandler(served)) : Optional.empty();
        server.setHandler(drain.map(Handler.class::cast).orElse(served));
        // Ready until a drain begins; without the drain handler, always.
        addManagementServlets(management, drain.<BooleanSupplier>map(d -> () -> !d.isDraining()).orElse(() -> true));
        // Last, on "/": the servlet container's default mapping, it serves whatever no other mapping claimed.
        site.addServlet(StaticSite.files(), "/");
        return new TicTacToeServer(server, drain);
    }

    private boolean has(Part part) {
        return !leftOut.contains(part);
    }

    /** The JVM, the process, the thread pool and the app's own identity; the requests' metrics are a filter's. */
    private void registerProcessMetrics(QueuedThreadPool threadPool) {
        JvmMetricsWithoutMBeanServer.register(registry);
        JettyThreadPoolMetrics.register(threadPool, registry);
        AppInfoMetric.register(registry, BuildInfo.version(), config.replica(), config.node());
        MemoryLimitMetric.register(registry);
    }

    private void addSiteFilters(ServletContextHandler site) {
        // The management context has no metrics filter: scrapes and health probes are not the service's traffic.
        if (has(Part.HTTP_METRICS)) {
            site.addFilter(new FilterHolder(new MetricsFilter(new HttpServerMetrics(registry), Set.of(METRICS_PATH))),
                    "/*", REQUESTS);
        }
        if (has(Part.SECURITY_HEADERS)) {
            site.addFilter(new FilterHolder(new SecurityHeadersFilter()), "/*",
                    EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR));
        }
        if (has(Part.ASSET_CACHE)) {
            FilterHolder assetCache = new FilterHolder(new AssetCacheFilter(BuildInfo.version()));
            ASSET_PATHS.forEach(path -> site.addFilter(assetCache, path, REQUESTS));
        }
    }

    private void addSiteServlets(ServletContextHandler site) {
        GameServlet game = new GameServlet(StaticSite.page(), BuildInfo.version(), config.replica());
        site.addServlet(new ServletHolder("game", game), "");
        site.addServlet(new ServletHolder("game-index", game), "/index.html");
        // ThreadLocalRandom.current() draws from the calling thread's own generator, so one instance serves all.
        Referee referee = new Referee(new ComputerPlayer(ThreadLocalRandom.current()), System::nanoTime);
        site.addServlet(new ServletHolder("move",
                new MoveServlet(referee, new GameMetrics(registry), config.replica())), "/api/move");
        extraServlets.accept(site);
    }

    private void addManagementServlets(ServletContextHandler management, BooleanSupplier ready) {
        management.addServlet(new ServletHolder("healthz", new HealthServlet(() -> true)), "/healthz");
        management.addServlet(new ServletHolder("readyz", new HealthServlet(ready)), "/readyz");
        management.addServlet(new ServletHolder("metrics", new PrometheusMetricsServlet(registry)), METRICS_PATH);
    }
}
