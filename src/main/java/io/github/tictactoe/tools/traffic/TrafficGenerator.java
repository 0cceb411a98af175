package io.github.tictactoe.tools.traffic;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.security.Security;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traffic to watch: starts player visits at a fixed rate against every address of the target's host name, each visit
 * a page and a whole game with think times, and logs one line a minute with what it sent and what failed.
 */
public final class TrafficGenerator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficGenerator.class);
    private static final Duration MEAN_THINK = Duration.ofMillis(800);
    private static final Duration REPORT_EVERY = Duration.ofMinutes(1);
    /** A visit lasts a few seconds; this many at once means the service stopped answering in time. */
    private static final int MAX_VISITS_PER_GAME_PER_SECOND = 30;
    private static final int EXIT_USAGE = 2;

    private final TrafficSettings settings;
    private final Duration meanThink;
    private final TrafficCounters counters = new TrafficCounters();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    // Two threads send every request: a visit's steps are short, and the rate is bounded.
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "traffic");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger visitsRunning = new AtomicInteger();
    private final int maxVisits;
    private final Random random = new Random();

    TrafficGenerator(TrafficSettings settings, Duration meanThink) {
        this.settings = settings;
        this.meanThink = meanThink;
        this.maxVisits = (int) Math.ceil(settings.gamesPerSecond() * MAX_VISITS_PER_GAME_PER_SECOND);
    }

    /** Runs until SIGTERM (the service scaled to 0); settings from TRAFFIC_TARGET and TRAFFIC_GAMES_PER_SECOND. */
    public static void main(String[] args) throws InterruptedException {
        TrafficSettings settings;
        try {
            settings = TrafficSettings.from(System.getenv());
        } catch (TrafficSettings.InvalidSettingException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        // Replicas come and go in a rolling update: look the name up again after 1 s, not Java's default 30 s.
        Security.setProperty("networkaddress.cache.ttl", "1");
        Security.setProperty("networkaddress.cache.negative.ttl", "1");
        TrafficGenerator generator = new TrafficGenerator(settings, MEAN_THINK);
        Runtime.getRuntime().addShutdownHook(new Thread(generator::close, "traffic-stop"));
        generator.start();
        Thread.currentThread().join();
    }

    /** Starts the visits and the minute reports. */
    void start() {
        LOG.info("traffic to {}: {} games a second, one line a minute", settings.target(), settings.gamesPerSecond());
        long period = (long) (1e9 / settings.gamesPerSecond());
        scheduler.scheduleAtFixedRate(this::startVisit, 0, period, TimeUnit.NANOSECONDS);
        scheduler.scheduleAtFixedRate(() -> LOG.info("last minute: {}", counters.takeReport()),
                REPORT_EVERY.toSeconds(), REPORT_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    /** The figures since the last report, taken (the tests read them instead of the log). */
    TrafficCounters.Report takeReport() {
        return counters.takeReport();
    }

    private void startVisit() {
        if (visitsRunning.get() >= maxVisits) {
            counters.visitSkipped();
            return;
        }
        Optional<URI> replica = anyReplica();
        if (replica.isEmpty()) {
            counters.visitWithoutReplica();
            return;
        }
        visitsRunning.incrementAndGet();
        PlayerVisit visit = new PlayerVisit(client, this::anyReplica, replica.get(), counters,
                new Random(random.nextLong()), meanThink);
        scheduler.execute(() -> run(visit));
    }

    /** One of the addresses the target's name has now, so that visits spread over all replicas. */
    private Optional<URI> anyReplica() {
        URI target = settings.target();
        try {
            InetAddress[] addresses = InetAddress.getAllByName(target.getHost());
            InetAddress address = addresses[random.nextInt(addresses.length)];
            String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
                    : address.getHostAddress();
            return Optional.of(URI.create("http://" + host + ":" + target.getPort()));
        } catch (UnknownHostException noReplica) {
            return Optional.empty();
        }
    }

    private void run(PlayerVisit visit) {
        try {
            Optional<Duration> pause = visit.step();
            if (pause.isPresent()) {
                scheduler.schedule(() -> run(visit), pause.get().toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
        } catch (InterruptedException | RejectedExecutionException stopping) {
            // The generator is stopping: what was sent is counted already.
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A JSON answer without the fields a move must have, say: an error of the service, not of this generator.
            counters.error(true, e.toString());
        }
        visitsRunning.decrementAndGet();
    }

    /** Stops sending and logs what the last, partial minute did. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("stopped; since the last report: {}", counters.takeReport());
    }
}
