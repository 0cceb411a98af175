package io.github.tictactoe.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The docker CLI pointed at one engine: the tests' own, or one node of a swarm whose nodes are its containers. */
public interface Docker {

    Duration COMMAND_LIMIT = Duration.ofMinutes(5);

    /** Runs the CLI with more environment variables (a stack's settings) and a file as standard input (or null). */
    Command.Result docker(Map<String, String> moreEnvironment, Path stdin, Duration limit, String... args);

    /** A CLI process to start by hand, for commands that run alongside the test. */
    ProcessBuilder dockerProcess(String... args);

    default Command.Result docker(String... args) {
        return docker(COMMAND_LIMIT, args);
    }

    default Command.Result docker(Duration limit, String... args) {
        return docker(Map.of(), null, limit, args);
    }

    /** Runs the CLI and returns its trimmed stdout, failing with everything it said unless it exited 0. */
    default String dockerOk(String... args) {
        return docker(args).orFail();
    }
}
