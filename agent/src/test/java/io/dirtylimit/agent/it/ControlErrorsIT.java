package io.dirtylimit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The errors a user meets with the control commands: one sentence on stderr, a distinct exit code, no stack trace. */
class ControlErrorsIT {

    @Test
    void noSuchProcess() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        ForkedJvm.Finished query = AgentCli.run("query", Long.toString(gone.pid()));
        assertThat(query.exitCode()).as(query.toString()).isEqualTo(3);
        assertThat(query.err()).containsExactly("dirtylimit: there is no process " + gone.pid());
        assertThat(query.out()).isEmpty();
    }

    @Test
    void notAJvm() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            ForkedJvm.Finished set = AgentCli.run("set", Long.toString(sleeper.pid()), "100");
            assertThat(set.exitCode()).as(set.toString()).isEqualTo(6);
            assertThat(set.err()).hasSize(1);
            assertThat(set.err().get(0)).startsWith("dirtylimit: process " + sleeper.pid())
                    .contains("is not a Java virtual machine");
            ForkedJvm.Finished attach = AgentCli.run("attach", Long.toString(sleeper.pid()), "profile=toyvm");
            assertThat(attach.exitCode()).as(attach.toString()).isEqualTo(6);
        } finally {
            sleeper.destroy();
        }
    }

    @Test
    void agentNotLoadedAndDynamicLoadingRefused() throws Exception {
        try (ToyVmProcess vm = ToyVmProcess.start(ToyVmProcess.TOYVM, List.of("-XX:-EnableDynamicAgentLoading"),
                "--vcpus", "1", "--dirty-rate", "50", "--stats", "csv")) {
            vm.awaitSeconds(1);
            String pid = Long.toString(vm.pid());
            ForkedJvm.Finished status = AgentCli.run("status", pid);
            assertThat(status.exitCode()).as(status.toString()).isEqualTo(8);
            assertThat(status.err()).containsExactly("dirtylimit: the dirtylimit agent is not loaded in process " + pid
                    + "; load it with: java -jar dirtylimit-agent.jar attach " + pid + " profile=NAME"
                    + " (or start the emulator with -javaagent:dirtylimit-agent.jar=profile=NAME)");

            ForkedJvm.Finished attach = AgentCli.run("attach", pid, "profile=toyvm");
            assertThat(attach.exitCode()).as(attach.toString()).isEqualTo(4);
            assertThat(attach.err()).hasSize(1);
            assertThat(attach.err().get(0)).startsWith("dirtylimit: process " + pid + " refused to load the agent")
                    .contains("-XX:+EnableDynamicAgentLoading", "-javaagent and no limit (prepared mode)");
            assertThat(vm.jvm.isAlive()).isTrue();
        }
    }
}
