package io.github.tictactoe.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.tictactoe.testing.Waiting;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A webhook receiver in the stack's network, where Alertmanager posts its notifications: busybox httpd with a CGI
 * script that keeps each one as a file, read back here with the second it arrived.
 */
public final class AlertReceiver {

    /** The receiver's service, on the client's node; Alertmanager reaches its task as tasks.SERVICE. */
    static final String SERVICE = "tictactoe-test-alert-receiver";
    /** The webhook URL to give Alertmanager: the receiver's task on the stack's network. */
    public static final String URL = "http://tasks." + SERVICE + ":8080/cgi-bin/alerts";
    private static final Path SCRIPT = Path.of("src/test/resources/docker/alert-receiver.cgi");
    private static final JsonMapper JSON = new JsonMapper();

    /** One notification: when it arrived, and the JSON Alertmanager posted. */
    public record Notification(Instant received, JsonNode body) {

        /** "firing" or "resolved": the group's status at the time. */
        public String status() {
            return body.get("status").asText();
        }

        /** The names of the alerts it tells of, with their status (name=status). */
        public List<String> alerts() {
            List<String> alerts = new ArrayList<>();
            body.get("alerts").forEach(alert -> alerts.add(alert.at("/labels/alertname").asText() + "="
                    + alert.get("status").asText()));
            return alerts;
        }

        /** It tells of this alert in this status (firing, resolved). */
        public boolean tells(String alertname, String status) {
            return alerts().contains(alertname + "=" + status);
        }

        /** The alert of this name as the notification tells of it; a failure naming what came if it has none. */
        public JsonNode alert(String alertname) {
            for (JsonNode alert : body.get("alerts")) {
                if (alert.at("/labels/alertname").asText().equals(alertname)) {
                    return alert;
                }
            }
            throw new AssertionError(alertname + " not in " + body);
        }

        /** It tells of this alert firing with this label's value. */
        public boolean tellsFiring(String alertname, String label, String value) {
            for (JsonNode alert : body.get("alerts")) {
                if (alert.at("/labels/alertname").asText().equals(alertname) && alert.get("status").asText()
                        .equals("firing") && alert.path("labels").path(label).asText().equals(value)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return received + " " + status() + " " + alerts();
        }
    }

    private final Docker manager;
    private final Docker node;
    private String container;

    private AlertReceiver(Docker manager, Docker node) {
        this.manager = manager;
        this.node = node;
    }

    /**
     * The receiver's image, built on the tests' engine from the Grafana stand-in (busybox httpd); a swarm of nodes
     * needs it loaded into each (SwarmCluster).
     */
    public static String image(Testbed testbed) throws IOException {
        return testbed.buildFrom("tictactoe-test/alert-receiver:1", "FROM " + testbed.standIns().grafana() + "\n"
                + "USER root\n"
                + "COPY alert-receiver.cgi /srv/receiver/cgi-bin/alerts\n"
                + "RUN chmod 755 /srv/receiver/cgi-bin/alerts\n"
                + "USER 472:0\n"
                + "ENTRYPOINT [\"busybox\", \"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/srv/receiver\"]\n",
                List.of(SCRIPT));
    }

    /** Starts the receiver as a service on that node. */
    static AlertReceiver start(Testbed testbed, Docker manager, Docker node, String nodeId, String network)
            throws IOException, InterruptedException {
        String image = image(testbed);
        manager.dockerOk("service", "create", "--detach", "--name", SERVICE, "--network", network, "--constraint",
                "node.id==" + nodeId, "--restart-condition", "none", image);
        AlertReceiver receiver = new AlertReceiver(manager, node);
        receiver.container = Waiting.upTo(Duration.ofSeconds(60), Duration.ofMillis(250))
                .alias("the alert receiver's container").until(() -> node.dockerOk("ps", "-q", "--filter",
                        "label=com.docker.swarm.service.name=" + SERVICE).lines().findFirst(), Optional::isPresent)
                .orElseThrow();
        return receiver;
    }


    /** Every notification received so far, oldest first. */
    public List<Notification> received() throws IOException {
        List<Notification> notifications = new ArrayList<>();
        String files = node.dockerOk("exec", container, "sh", "-c", "ls /tmp/received 2>/dev/null | grep '\\.json$'"
                + " | sort -n || true");
        for (String file : files.lines().toList()) {
            String body = node.dockerOk("exec", container, "cat", "/tmp/received/" + file);
            Instant received = Instant.ofEpochSecond(Long.parseLong(file.substring(0, file.indexOf('-'))));
            notifications.add(new Notification(received, JSON.readTree(body)));
        }
        return notifications;
    }

    /** Waits for the first notification after {@code since} that matches; fails after the limit, naming what came. */
    public Notification await(Instant since, Predicate<Notification> wanted, String what, Duration limit) {
        return Waiting.upTo(limit, Duration.ofSeconds(1)).alias("a notification " + what + " received since " + since)
                .until(() -> after(since), seen -> seen.stream().anyMatch(wanted)).stream().filter(wanted).findFirst()
                .orElseThrow();
    }

    /** The notifications received from {@code since} on (to the second). */
    public List<Notification> after(Instant since) throws IOException {
        Instant second = since.truncatedTo(ChronoUnit.SECONDS);
        return received().stream().filter(notification -> !notification.received().isBefore(second)).toList();
    }

    /** Removes the receiver's service. */
    void stop() {
        manager.docker("service", "rm", SERVICE);
    }
}
