package io.github.tictactoe.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a Docker engine changes on the host, as it was before the tests' engine started: iptables rules, network links
 * and cgroup folders. What the engine added (its chains, its FORWARD policy, docker0, docker_gwbridge, the cgroups of
 * its containers) can so be taken away again after it stopped, and nothing else is touched.
 */
final class HostState {

    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** One iptables table: its chains with their policies ("-" for user chains), its rules as iptables-save writes. */
    private record Table(Map<String, String> chains, List<String> rules) {
    }

    private final Map<String, Table> tables;
    private final Set<String> links;
    private final Set<Path> cgroups;

    private HostState(Map<String, Table> tables, Set<String> links, Set<Path> cgroups) {
        this.tables = tables;
        this.links = links;
        this.cgroups = cgroups;
    }

    static HostState capture() {
        return new HostState(parse(Command.run(List.of("iptables-save"), Map.of(), LIMIT).orFail()), links(),
                cgroups());
    }

    /**
     * Removes the rules, chains, links and (empty) cgroups added since this snapshot and puts back changed built-in
     * policies.
     */
    void undoChangesSince() {
        HostState now = capture();
        // Deepest first: a cgroup can only be removed once it has no child cgroup (and no process).
        now.cgroups.stream().filter(cgroup -> !cgroups.contains(cgroup))
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                .forEach(cgroup -> cgroup.toFile().delete());
        for (String script : undoScripts(tables, now.tables)) {
            Command.Result result = Command.run(List.of("iptables-restore", "--noflush"), Map.of(), LIMIT,
                    write(script));
            if (!result.ok()) {
                System.err.println("Could not undo the engine's iptables changes:\n" + script + "\n" + result);
            }
        }
        for (String link : now.links) {
            if (!links.contains(link)) {
                Command.run(List.of("ip", "link", "delete", link), Map.of(), LIMIT);
            }
        }
    }

    /** The iptables-restore scripts, one a table, that take the second iptables-save output back to the first. */
    static List<String> undoScripts(String saveBefore, String saveNow) {
        return undoScripts(parse(saveBefore), parse(saveNow));
    }

    private static List<String> undoScripts(Map<String, Table> before, Map<String, Table> now) {
        List<String> scripts = new ArrayList<>();
        now.forEach((name, table) -> {
            String script = undoScript(name, before.getOrDefault(name, pristine(table)), table);
            if (script != null) {
                scripts.add(script);
            }
        });
        return scripts;
    }

    /**
     * A table the engine created as it was new: its built-in chains accepting, no rules, no user chain. A fresh machine
     * has no filter table until the first iptables call, and built-in chains cannot be deleted.
     */
    private static Table pristine(Table now) {
        Map<String, String> builtIns = new LinkedHashMap<>();
        now.chains().forEach((chain, policy) -> {
            if (!policy.equals("-")) {
                builtIns.put(chain, "ACCEPT");
            }
        });
        return new Table(builtIns, List.of());
    }

    private static String undoScript(String name, Table before, Table now) {
        StringBuilder script = new StringBuilder();
        now.chains().forEach((chain, policy) -> {
            String old = before.chains().get(chain);
            if (old != null && !policy.equals("-") && !policy.equals(old)) {
                script.append(':').append(chain).append(' ').append(old).append(" [0:0]\n");
            }
        });
        Map<String, Integer> remaining = new HashMap<>();
        before.rules().forEach(rule -> remaining.merge(rule, 1, Integer::sum));
        List<String> newChains = now.chains().keySet().stream().filter(chain -> !before.chains().containsKey(chain))
                .toList();
        for (String rule : now.rules()) {
            if (remaining.merge(rule, -1, Integer::sum) >= 0) {
                continue;
            }
            String chain = rule.split(" ", 3)[1];
            if (!newChains.contains(chain)) {
                script.append("-D").append(rule.substring(2)).append('\n');
            }
        }
        newChains.forEach(chain -> script.append("-F ").append(chain).append('\n'));
        newChains.forEach(chain -> script.append("-X ").append(chain).append('\n'));
        return script.isEmpty() ? null : "*" + name + "\n" + script + "COMMIT\n";
    }

    private static Map<String, Table> parse(String save) {
        Map<String, Table> parsed = new LinkedHashMap<>();
        Table table = null;
        for (String line : save.lines().toList()) {
            if (line.startsWith("*")) {
                table = new Table(new LinkedHashMap<>(), new ArrayList<>());
                parsed.put(line.substring(1), table);
            } else if (line.startsWith(":") && table != null) {
                String[] parts = line.substring(1).split(" ");
                table.chains().put(parts[0], parts[1]);
            } else if (line.startsWith("-A ") && table != null) {
                table.rules().add(line);
            }
        }
        return parsed;
    }

    private static Set<String> links() {
        Set<String> names = new LinkedHashSet<>();
        String shown = Command.run(List.of("ip", "-o", "link", "show"), Map.of(), LIMIT).orFail();
        for (String line : shown.lines().toList()) {
            // "5: docker0: <...>" or "7: veth1a2b@if6: <...>"
            String name = line.split(": ", 3)[1];
            names.add(name.contains("@") ? name.substring(0, name.indexOf('@')) : name);
        }
        return names;
    }

    /** The cgroups named "docker" (under each v1 controller, or the v2 root) and below: the engine's containers. */
    private static Set<Path> cgroups() {
        Set<Path> found = new HashSet<>();
        try (Stream<Path> controllers = Stream.concat(Stream.of(CGROUPS), Files.list(CGROUPS))) {
            for (Path docker : controllers.map(controller -> controller.resolve("docker")).filter(Files::isDirectory)
                    .toList()) {
                try (Stream<Path> tree = Files.walk(docker)) {
                    tree.filter(Files::isDirectory).forEach(found::add);
                }
            }
        } catch (IOException e) {
            // no cgroup file system to tidy
        }
        return found;
    }

    private static Path write(String script) {
        try {
            Path file = Files.createTempFile("iptables-undo", ".rules");
            Files.writeString(file, script);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
