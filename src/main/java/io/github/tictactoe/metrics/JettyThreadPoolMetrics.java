package io.github.tictactoe.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.ToIntFunction;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Gauges read from Jetty's request thread pool at scrape time. */
public final class JettyThreadPoolMetrics {

    private JettyThreadPoolMetrics() {
    }

    public static void register(QueuedThreadPool pool, PrometheusRegistry registry) {
        gauge(registry, "jetty_threads_busy", "Threads of the pool running a job", pool, QueuedThreadPool::getBusyThreads);
        gauge(registry, "jetty_threads_idle", "Threads of the pool waiting for a job", pool, QueuedThreadPool::getIdleThreads);
        gauge(registry, "jetty_threads_current", "Threads the pool has now", pool, QueuedThreadPool::getThreads);
        gauge(registry, "jetty_threads_config_min", "Threads the pool keeps at least", pool, QueuedThreadPool::getMinThreads);
        gauge(registry, "jetty_threads_config_max", "Threads the pool may grow to", pool, QueuedThreadPool::getMaxThreads);
        gauge(registry, "jetty_queued_jobs", "Jobs waiting for a thread of the pool", pool, QueuedThreadPool::getQueueSize);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, QueuedThreadPool pool,
            ToIntFunction<QueuedThreadPool> reading) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .callback(callback -> callback.call(reading.applyAsInt(pool)))
                .register(registry);
    }
}
