package io.dirtylimit.agent.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Runs the agent's command-line tool, {@code java -jar dirtylimit-agent.jar ...}, in its own JVM. */
final class AgentCli {
    private AgentCli() {}

    static ForkedJvm.Finished run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("-jar", ItPaths.agentJar().toString()));
        command.addAll(List.of(args));
        return ForkedJvm.run(command, 120);
    }
}
