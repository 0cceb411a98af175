package io.github.tictactoe.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A docker CLI binary and the DOCKER_HOST it talks to. */
record DockerCli(Path binary, String host) implements Docker {

    @Override
    public Command.Result docker(Map<String, String> moreEnvironment, Path stdin, Duration limit, String... args) {
        Map<String, String> environment = new HashMap<>(moreEnvironment);
        environment.put("DOCKER_HOST", host);
        return Command.run(command(args), environment, limit, stdin);
    }

    @Override
    public ProcessBuilder dockerProcess(String... args) {
        ProcessBuilder builder = new ProcessBuilder(command(args));
        builder.environment().put("DOCKER_HOST", host);
        return builder;
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        return command;
    }
}
