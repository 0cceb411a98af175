package io.github.tictactoe.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.tictactoe.testing.ExternalTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;

/** The Swarm stack file: valid for the docker CLI, complete, and fit for a multi-node swarm. */
class StackFileTest {

    private final JsonNode stack = SwarmFiles.yaml(SwarmFiles.STACK);

    @Test
    void dockerStackConfigAcceptsTheStack() throws Exception {
        Path docker = ExternalTool.require("docker", "docker.io");
        ProcessBuilder builder = new ProcessBuilder(docker.toString(), "stack", "config", "-c",
                SwarmFiles.STACK.toString()).redirectErrorStream(true);
        builder.environment().put("IMAGE_TAG", "test");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("docker stack config said:%n%s", output).isZero();
        assertThat(output).contains("image: tttapp:test");
    }

    @Test
    void everyConfigAndSecretFileExists() {
        for (String section : new String[] {"configs", "secrets"}) {
            stack.path(section).fields().forEachRemaining(entry -> {
                JsonNode file = entry.getValue().get("file");
                if (file != null) {
                    assertThat(SwarmFiles.SWARM.resolve(file.asText())).as("%s %s", section, entry.getKey()).isRegularFile();
                } else {
                    assertThat(entry.getValue().path("external").asBoolean()).as("%s %s is external", section,
                            entry.getKey()).isTrue();
                }
            });
        }
    }

    /** Swarm configs are immutable: a name that follows the content makes a changed file roll out with a deploy. */
    @Test
    void everyConfigNameEndsInItsFilesHash() throws Exception {
        for (Path stackFile : List.of(SwarmFiles.STACK, SwarmFiles.ALERTS_TO_WEBHOOK)) {
            var configs = SwarmFiles.yaml(stackFile).get("configs").fields();
            while (configs.hasNext()) {
                Map.Entry<String, JsonNode> config = configs.next();
                byte[] content = Files.readAllBytes(SwarmFiles.SWARM.resolve(config.getValue().get("file").asText()));
                String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))
                        .substring(0, 8);

                assertThat(config.getValue().get("name").asText())
                        .as("%s config %s: run swarm/rename-configs.sh after editing its file", stackFile,
                                config.getKey())
                        .endsWith("-" + hash);
            }
        }
    }

    /**
     * The app's metrics and health are on its management port, which no stack file publishes but the opt-in one, and
     * which is the port Prometheus scrapes.
     */
    @Test
    void metricsAreOnAnUnpublishedManagementPortThatPrometheusScrapes() {
        JsonNode app = stack.get("services").get("tictactoe");
        String managementPort = app.get("environment").get("MANAGEMENT_PORT").asText();
        JsonNode scrape = scrapeConfig("tictactoe");
        JsonNode optIn = SwarmFiles.yaml(SwarmFiles.SWARM.resolve("metrics-published.yml")).get("services");

        assertThat(managementPort).isEqualTo("8081");
        assertThat(app.get("ports").toString()).as("published: the game's port only").isEqualTo("[\"3307:3306\"]");
        assertThat(scrape.get("job_name").asText()).isEqualTo("tictactoe");
        assertThat(scrape.at("/dns_sd_configs/0/port").asText()).as("the port Prometheus scrapes")
                .isEqualTo(managementPort);
        assertThat(optIn.fieldNames()).toIterable().containsExactly("tictactoe");
        assertThat(optIn.get("tictactoe").get("ports").toString()).isEqualTo("[\"3308:" + managementPort + "\"]");
    }

    /** What swarm/up.sh needs, as docs/deployment.md says it: among it, every port the stack publishes, free. */
    @Test
    void theDeploymentDocsNameWhatUpShNeedsWithEveryPublishedPort() throws Exception {
        List<String> published = new ArrayList<>();
        stack.get("services").forEach(service -> service.path("ports")
                .forEach(port -> published.add(port.asText().split(":")[0])));
        String docs = Files.readString(Path.of("docs/deployment.md"));
        String needs = docs.substring(docs.indexOf("**What it needs**"), docs.indexOf("In this order, and each step"));

        assertThat(published).containsExactly("3307", "9090", "9093", "3000");
        assertThat(needs).contains("**ports " + String.join(", ", published.subList(0, published.size() - 1))
                + " and " + published.get(published.size() - 1) + " free**", "**a CLI from 20.10**",
                "**root, or a user in the `docker` group**",
                "`--init`");
        assertThat(docs).contains("**Undoing `--init`**");
    }

    /** swarm/up.sh waits for Grafana's task to run, which Swarm reports only once this check passed. */
    @Test
    void grafanaHasAHealthcheckOnItsHealthApi() {
        JsonNode healthcheck = stack.get("services").get("grafana").get("healthcheck");

        assertThat(healthcheck.get("test").toString()).isEqualTo("[\"CMD\",\"curl\",\"-fsS\",\"-o\",\"/dev/null\","
                + "\"--max-time\",\"3\",\"http://127.0.0.1:3000/api/health\"]");
        assertThat(healthcheck.get("start_period").asText()).isEqualTo("60s");
    }

    /**
     * Configuration comes as configs and secrets, data in named volumes: the one bind mount is what node-exporter
     * measures, the node's /proc, /sys and root file system, read-only.
     */
    @Test
    void bindsNothingButTheNodeThatNodeExporterReadsReadOnly() {
        stack.get("services").fields().forEachRemaining(service -> {
            for (JsonNode volume : service.getValue().path("volumes")) {
                if (volume.path("type").asText().equals("tmpfs")) {
                    continue; // memory of the task itself, nothing from the node
                }
                if (service.getKey().equals("node-exporter")) {
                    assertThat(volume.get("type").asText() + " " + volume.get("source").asText() + " "
                            + volume.get("target").asText() + " " + volume.get("read_only").asBoolean())
                            .isIn("bind /proc /host/proc true", "bind /sys /host/sys true", "bind / /host/root true");
                    continue;
                }
                String source = volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText();
                assertThat(stack.path("volumes").has(source))
                        .as("service %s mounts %s, which is not a named volume", service.getKey(), source).isTrue();
            }
        });
    }

    @Test
    void runsThreeReplicasOfTheAppWithSafeRollingUpdates() {
        JsonNode app = stack.get("services").get("tictactoe");
        JsonNode deploy = app.get("deploy");

        assertThat(app.get("image").asText()).isEqualTo("tttapp:${IMAGE_TAG}");
        assertThat(app.get("ports").get(0).asText()).isEqualTo("3307:3306");
        assertThat(app.get("environment").get("REPLICA").asText()).contains("{{.Task.Slot}}");
        assertThat(deploy.get("replicas").asInt()).isEqualTo(3);
        assertThat(deploy.get("update_config").get("parallelism").asInt()).isEqualTo(1);
        assertThat(deploy.get("update_config").get("order").asText()).isEqualTo("start-first");
        assertThat(deploy.get("update_config").get("failure_action").asText()).isEqualTo("rollback");
        assertThat(deploy.has("rollback_config")).isTrue();
        assertThat(deploy.get("restart_policy").has("condition")).isTrue();
        assertThat(deploy.get("resources").get("limits").get("memory").asText()).isNotBlank();
        int stopTimeout = app.get("environment").get("STOP_TIMEOUT_SECONDS").asInt();
        int drainDelay = app.get("environment").get("DRAIN_DELAY_SECONDS").asInt();
        assertThat(seconds(app.get("stop_grace_period").asText()))
                .as("Docker must wait longer than the app drains").isGreaterThan(drainDelay + stopTimeout);
    }

    /**
     * A task stopped for failing its healthcheck exits 0 (the app drains on SIGTERM) and is recorded as complete, so
     * only "any" replaces it; and an image whose check never passes must turn unhealthy while the update still watches.
     */
    /** Traffic only when asked for, from the app's own image, as locked down as the app, and publishing nothing. */
    @Test
    void trafficServiceRunsNothingUntilAskedAndHasTheAppsLockDown() throws Exception {
        JsonNode traffic = stack.get("services").get("traffic");
        JsonNode app = stack.get("services").get("tictactoe");

        assertThat(traffic.get("deploy").get("replicas").asText()).isEqualTo("${TRAFFIC_REPLICAS:-0}");
        assertThat(traffic.get("image")).isEqualTo(app.get("image"));
        assertThat(traffic.get("healthcheck").get("disable").asBoolean()).isTrue();
        assertThat(traffic.has("ports")).as("a client publishes no port").isFalse();
        assertThat(traffic.get("user")).isEqualTo(app.get("user"));
        assertThat(traffic.get("cap_drop")).isEqualTo(app.get("cap_drop"));
        assertThat(traffic.get("read_only").asBoolean()).isTrue();
        assertThat(traffic.get("deploy").get("resources").get("limits").has("memory")).isTrue();
        JsonNode entrypoint = traffic.get("entrypoint");
        String mainClass = entrypoint.get(entrypoint.size() - 1).asText();
        assertThat(Class.forName(mainClass).getMethod("main", String[].class)).as(mainClass).isNotNull();
        assertThat(traffic.get("environment").get("TRAFFIC_TARGET").asText()).isEqualTo("http://tasks.tictactoe:3306");
    }

    @Test
    void replacesUnhealthyTasksAndNoticesABrokenImageWithinTheUpdateMonitor() {
        JsonNode deploy = stack.get("services").get("tictactoe").get("deploy");
        Matcher healthcheck = Pattern.compile("HEALTHCHECK --interval=(\\d+)s --timeout=(\\d+)s --start-period=(\\d+)s "
                + "--retries=(\\d+)").matcher(SwarmFiles.read(Path.of("Dockerfile")));
        assertThat(healthcheck.find()).as("the Dockerfile's HEALTHCHECK line").isTrue();
        int interval = Integer.parseInt(healthcheck.group(1));
        int timeout = Integer.parseInt(healthcheck.group(2));
        int startPeriod = Integer.parseInt(healthcheck.group(3));
        int retries = Integer.parseInt(healthcheck.group(4));

        assertThat(deploy.get("restart_policy").get("condition").asText()).isEqualTo("any");
        assertThat(startPeriod + retries * (interval + timeout))
                .as("seconds until a never-healthy task is unhealthy, at the latest")
                .isLessThan(seconds(deploy.get("update_config").get("monitor").asText()));
    }

    @Test
    void pinsImagesAndKeepsDataVolumesOnTheirNodes() {
        for (String name : new String[] {"prometheus", "alertmanager", "grafana"}) {
            JsonNode service = stack.get("services").get(name);
            assertThat(service.get("image").asText()).as(name).matches("[a-z/]+:v?\\d+\\.\\d+\\.\\d+");
            assertThat(service.get("deploy").get("placement").get("constraints")).as(name).isNotEmpty();
            assertThat(service.get("networks").get(0).asText()).isEqualTo("monitoring");
        }
        assertThat(stack.get("networks").get("monitoring").get("driver").asText()).isEqualTo("overlay");
    }

    /**
     * The supported lines (docs/upgrading.md, "Pinned releases"): Prometheus 3.13, its long-term-support line, whose command keeps
     * to flags 3.x still has (the console flags are gone, --web.config.file is unchanged), and Grafana 13.
     */
    @Test
    void pinsPrometheus313AndGrafana13WithFlagsThatVersion3Keeps() {
        JsonNode prometheus = stack.get("services").get("prometheus");

        assertThat(prometheus.get("image").asText()).matches("prom/prometheus:v3\\.13\\.\\d+");
        assertThat(stack.get("services").get("grafana").get("image").asText())
                .matches("grafana/grafana:13\\.\\d+\\.\\d+");
        assertThat(prometheus.get("command")).extracting(node -> node.asText().replaceFirst("=.*", ""))
                .containsExactlyInAnyOrder("--config.file", "--storage.tsdb.path", "--storage.tsdb.retention.time",
                        "--web.config.file");
    }

    /**
     * The upgrade from the 1.0.0 stack keeps Prometheus' history only if 1.1.0 mounts the same volume at the same place
     * and runs as the user who owns its files. 1.0.0 (the stack file before commit 18bd3b8) mounted prometheus-data at
     * /prometheus as 65534:65534; TsdbUpgradeIT shows that 3.5 reads what 2.x wrote there.
     */
    @Test
    void prometheusKeepsThe100StacksVolumeMountAndUser() {
        JsonNode prometheus = stack.get("services").get("prometheus");

        assertThat(prometheus.get("volumes")).extracting(JsonNode::asText).containsExactly("prometheus-data:/prometheus");
        assertThat(prometheus.get("command")).extracting(JsonNode::asText).contains("--storage.tsdb.path=/prometheus");
        assertThat(prometheus.get("user").asText()).isEqualTo("65534:65534");
        assertThat(stack.get("volumes").has("prometheus-data")).isTrue();
        assertThat(stack.get("volumes").get("prometheus-data").path("name").isMissingNode())
                .as("named by the stack, as in 1.0.0: tictactoe_prometheus-data").isTrue();
    }

    @Test
    void grafanaTakesItsPasswordFromASecretAndAllowsNoSignUp() {
        JsonNode grafana = stack.get("services").get("grafana");

        assertThat(grafana.get("environment").get("GF_SECURITY_ADMIN_PASSWORD__FILE").asText())
                .isEqualTo("/run/secrets/grafana_admin_password");
        assertThat(grafana.get("environment").get("GF_USERS_ALLOW_SIGN_UP").asText()).isEqualTo("false");
        assertThat(grafana.get("secrets").get(0).asText()).isEqualTo("grafana_admin_password");
    }

    /**
     * No service keeps a capability or runs as root; the app, Prometheus and Alertmanager cannot write their root file
     * system.
     */
    @Test
    void everyServiceDropsEveryCapabilityRunsAsAUserAndHasLimits() {
        stack.get("services").fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            JsonNode service = entry.getValue();
            assertThat(service.get("cap_drop")).as("%s drops", name).extracting(JsonNode::asText)
                    .containsExactly("ALL");
            assertThat(service.path("cap_add").isMissingNode()).as("%s adds no capability", name).isTrue();
            assertThat(service.get("user").asText()).as("%s user", name).matches("[1-9]\\d*:\\d+");
            assertThat(service.at("/deploy/resources/limits/memory").asText()).as("%s memory limit", name)
                    .isNotEmpty();
            assertThat(service.at("/deploy/resources/limits/cpus").asText()).as("%s CPU limit", name).isNotEmpty();
        });
        for (String name : List.of("tictactoe", "prometheus", "alertmanager")) {
            assertThat(stack.get("services").get(name).get("read_only").asBoolean()).as("%s read-only", name).isTrue();
        }
        JsonNode tmp = stack.get("services").get("tictactoe").get("volumes").get(0);
        assertThat(tmp.get("type").asText() + " " + tmp.get("target").asText()).isEqualTo("tmpfs /tmp");
    }

    /** Prometheus asks for a login: its web configuration and the password its own scrape and Grafana use. */
    @Test
    void prometheusTakesItsLoginFromSecretsAndGrafanaTheMatchingPassword() {
        JsonNode prometheus = stack.get("services").get("prometheus");
        JsonNode secrets = stack.get("secrets");

        assertThat(prometheus.get("command")).extracting(JsonNode::asText)
                .contains("--web.config.file=/run/secrets/prometheus_web_config");
        assertThat(prometheus.get("secrets")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("prometheus_web_config", "prometheus_password");
        assertThat(stack.get("services").get("grafana").get("secrets")).extracting(JsonNode::asText)
                .contains("prometheus_password");
        for (String name : List.of("grafana_admin_password", "prometheus_password", "prometheus_web_config")) {
            assertThat(secrets.get(name).get("external").asBoolean()).as("%s is created before the deploy", name)
                    .isTrue();
        }
        JsonNode selfScrape = scrapeConfig("prometheus");
        assertThat(selfScrape.at("/basic_auth/password_file").asText()).isEqualTo("/run/secrets/prometheus_password");
        JsonNode datasource = SwarmFiles.yaml(SwarmFiles.DATASOURCE).get("datasources").get(0);
        assertThat(datasource.get("basicAuth").asBoolean()).isTrue();
        assertThat(datasource.at("/secureJsonData/basicAuthPassword").asText())
                .isEqualTo("$__file{/run/secrets/prometheus_password}");
    }

    /**
     * Alertmanager: a pinned release, its silences and notification log on a volume beside Prometheus (whose node
     * label it shares), Prometheus' login, no cluster port; and Prometheus sends to it, found as the replicas are.
     */
    @Test
    void alertmanagerKeepsItsDataBesidePrometheusTakesItsLoginAndPrometheusSendsToIt() {
        JsonNode alertmanager = stack.get("services").get("alertmanager");
        JsonNode prometheus = stack.get("services").get("prometheus");
        JsonNode alerting = SwarmFiles.yaml(SwarmFiles.PROMETHEUS_CONFIG).at("/alerting/alertmanagers/0");

        assertThat(alertmanager.get("image").asText()).matches("prom/alertmanager:v0\\.34\\.\\d+");
        assertThat(alertmanager.get("command")).extracting(JsonNode::asText).containsExactly(
                "--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager",
                "--web.config.file=/run/secrets/prometheus_web_config", "--cluster.listen-address=");
        assertThat(alertmanager.get("volumes")).extracting(JsonNode::asText)
                .containsExactly("alertmanager-data:/alertmanager");
        assertThat(alertmanager.get("user").asText()).isEqualTo("65534:65534");
        assertThat(alertmanager.at("/deploy/replicas").asInt()).isEqualTo(1);
        assertThat(alertmanager.at("/deploy/placement")).isEqualTo(prometheus.at("/deploy/placement"));
        assertThat(alertmanager.get("ports")).extracting(JsonNode::asText).containsExactly("9093:9093");
        assertThat(alerting.at("/dns_sd_configs/0/names/0").asText()).isEqualTo("tasks.alertmanager");
        assertThat(alerting.at("/dns_sd_configs/0/port").asInt()).isEqualTo(9093);
        assertThat(alerting.at("/basic_auth/username").asText()).isEqualTo("admin");
        assertThat(alerting.at("/basic_auth/password_file").asText()).isEqualTo("/run/secrets/prometheus_password");
    }

    /**
     * node-exporter: a pinned release, one task on every node, named after the node (node_uname_info's nodename), on the
     * monitoring network with no published port, started by the script that gives it the node's network counters; and
     * scraped per task as the replicas are.
     */
    @Test
    void nodeExporterRunsOnEveryNodeUnderItsNodesNameAndIsScrapedPerTask() {
        JsonNode exporter = stack.get("services").get("node-exporter");
        JsonNode scrape = scrapeConfig("node");

        assertThat(exporter.get("image").asText()).matches("prom/node-exporter:v1\\.12\\.\\d+");
        assertThat(exporter.at("/deploy/mode").asText()).isEqualTo("global");
        assertThat(exporter.get("hostname").asText()).isEqualTo("{{.Node.Hostname}}");
        assertThat(exporter.has("ports")).as("no published port").isFalse();
        assertThat(exporter.get("networks")).extracting(JsonNode::asText).containsExactly("monitoring");
        assertThat(exporter.get("entrypoint")).extracting(JsonNode::asText)
                .containsExactly("/bin/sh", "/etc/node-exporter/start.sh");
        assertThat(exporter.get("configs").get(0).get("target").asText()).isEqualTo("/etc/node-exporter/start.sh");
        assertThat(stack.at("/configs/" + exporter.get("configs").get(0).get("source").asText() + "/file").asText())
                .isEqualTo("./node-exporter.sh");
        assertThat(scrape.at("/dns_sd_configs/0/names/0").asText()).isEqualTo("tasks.node-exporter");
        assertThat(scrape.at("/dns_sd_configs/0/port").asInt()).isEqualTo(9100);
        assertThat(stack.at("/services/tictactoe/environment/NODE").asText()).as("the app names its node too")
                .isEqualTo("{{.Node.Hostname}}");
    }

    /** swarm/up.sh deploys with the webhook override: docker stack config takes the pair, the webhook config in. */
    @Test
    void dockerStackConfigAcceptsTheWebhookOverride() throws Exception {
        Path docker = ExternalTool.require("docker", "docker.io");
        ProcessBuilder builder = new ProcessBuilder(docker.toString(), "stack", "config", "-c",
                SwarmFiles.STACK.toString(), "-c", SwarmFiles.ALERTS_TO_WEBHOOK.toString()).redirectErrorStream(true);
        builder.environment().put("IMAGE_TAG", "test");
        builder.environment().put("ALERTS_TO_SECRET", "alertmanager_webhook_url_20261206101500");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("docker stack config said:%n%s", output).isZero();
        assertThat(output).contains("name: alertmanager_webhook_url_20261206101500", "alertmanager-webhook.yml")
                .doesNotContain("swarm/alertmanager.yml");
    }

    @Test
    void dockerfileRunsAsNonRootWithAHealthcheckAFixedHeapAndAnAotCache() {
        String dockerfile = SwarmFiles.read(Path.of("Dockerfile"));

        assertThat(dockerfile).contains("USER 10001:10001", "EXPOSE 3306",
                "HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=3 "
                        + "CMD [\"/usr/local/bin/healthcheck.sh\"]",
                "RUN [\"/bin/bash\", \"/tmp/training-run.sh\", \"/app/tictactoe.jar\", \"/app/tictactoe.aot\", "
                        + "\"@/app/jvm.args\", \\\n     \"@/app/aot.args\", \"-XX:AOTCacheOutput=/app/tictactoe.aot\"]",
                "ENTRYPOINT [\"java\", \"@/app/jvm.args\", \"@/app/aot.args\", \"-XX:AOTCache=/app/tictactoe.aot\"",
                "org.opencontainers.image.title");
        // The flags only in the argument files that the training run and the entrypoint both read.
        assertThat(dockerfile).doesNotContain("-Xmx", "-XX:+Use", "AOTAdapterCaching");
        assertThat(flags("jvm.args")).containsExactly("-XX:+UseSerialGC", "-Xmx64m", "-Xmn12m",
                "-XX:TrimNativeHeapInterval=5000", "-XX:+ExitOnOutOfMemoryError");
        // Adapters cached on a CPU with AVX-512 can crash one without (up to 25.0.4): off in training and in every run.
        assertThat(flags("aot.args")).containsExactly("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTAdapterCaching");
        String probe = SwarmFiles.read(Path.of("src/main/docker/healthcheck.sh"));
        assertThat(probe).as("the probe follows the ports")
                .contains("port=${MANAGEMENT_PORT:-${PORT:-3306}}", "/dev/tcp/127.0.0.1/$port", "GET /healthz ");
        assertThat(probe.lines().filter(line -> !line.startsWith("#"))).as("what the probe runs")
                .noneMatch(line -> line.contains("curl") || line.contains("wget"));
        // One base image, pinned; the image that runs is FROM scratch with files laid out from it.
        assertThat(dockerfile.lines().filter(line -> line.startsWith("FROM ")))
                .containsExactly("FROM ${BUILD_IMAGE} AS build", "FROM ${BUILD_IMAGE} AS root",
                        "FROM scratch AS training", "FROM ${BUILD_IMAGE} AS cache", "FROM scratch");
        assertThat(dockerfile.lines().filter(line -> line.matches("ARG \\w+_IMAGE=.*")))
                .as("the base image defaults to a pinned tag").hasSize(1)
                .allMatch(line -> line.matches("ARG BUILD_IMAGE=[a-z-]+:\\d[\\w.-]+"));
    }

    /** Any builder, no registry but the bases': no frontend image, no BuildKit-only instruction. */
    @Test
    void dockerfileNeedsNeitherBuildKitNorAFrontendImage() {
        String dockerfile = SwarmFiles.read(Path.of("Dockerfile"));

        assertThat(dockerfile.lines().filter(line -> !line.startsWith("#")))
                .noneMatch(line -> line.contains("--mount") || line.contains("--chmod") || line.contains("--link"));
        assertThat(dockerfile).doesNotContainPattern("(?m)^# *syntax *=");
    }

    /** The image's version is written twice, in pom.xml for a plain build and in the Dockerfile for an image. */
    @Test
    void dockerfileBuildsThePomsVersionByDefault() throws Exception {
        String pomVersion = XPathFactory.newInstance().newXPath().evaluate("/project/version",
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile()));

        assertThat(SwarmFiles.read(Path.of("Dockerfile"))).containsPattern("(?m)^ARG VERSION=" + pomVersion.replace(".",
                "\\.") + "$");
    }

    private static JsonNode scrapeConfig(String job) {
        for (JsonNode scrape : SwarmFiles.yaml(SwarmFiles.PROMETHEUS_CONFIG).get("scrape_configs")) {
            if (scrape.get("job_name").asText().equals(job)) {
                return scrape;
            }
        }
        throw new AssertionError("no scrape job " + job + " in " + SwarmFiles.PROMETHEUS_CONFIG);
    }

    /** The flags of one of the image's Java argument files, comments and blank lines aside. */
    private static List<String> flags(String argumentFile) {
        return SwarmFiles.read(Path.of("src/main/docker", argumentFile)).lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    private static int seconds(String duration) {
        assertThat(duration).matches("\\d+s");
        return Integer.parseInt(duration.substring(0, duration.length() - 1));
    }
}
