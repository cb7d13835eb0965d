package io.dirtylimit.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's tool runner: what it tells of a tool JVM that did not end. */
class ToolTest {
    @TempDir
    Path proc;

    @Test
    void threadsInUninterruptibleSleepAreNamedWithWhereTheyWait() throws Exception {
        task("101", "101 (java) S 1 101 101 0 -1", "do_wait");
        task("102", "102 (Reference Handl) D 1 101 101 0 -1", "rwsem_down_write_slowpath");
        task("103", "103 (odd) name) D 1 101 101 0 -1", "0");
        task("104", "104 (C1 CompilerThre) R 1 101 101 0 -1", "0");
        assertThat(Tool.threadsInUninterruptibleSleep(proc))
                .isEqualTo("Reference Handl in rwsem_down_write_slowpath, odd) name in ?");
    }

    @Test
    void noSuchProcessOrNoThreadHeldIsEmpty() throws Exception {
        assertThat(Tool.threadsInUninterruptibleSleep(proc.resolve("gone"))).isEmpty();
        task("7", "7 (main) S 1 7 7 0 -1", "futex_wait_queue");
        assertThat(Tool.threadsInUninterruptibleSleep(proc)).isEmpty();
    }

    @Test
    void onlyAnAnswerWithoutErrorsThenAThreadHeldInTheKernelIsExcused() {
        String held = "Reference Handl in rwsem_down_write_slowpath";
        assertThat(result(-1, "dirty limit 0 MB/s set for vCPU 1 of process 7\n", "", held).answeredThenHeldByKernel()).isTrue();
        assertThat(result(-1, "", "", held).answeredThenHeldByKernel()).as("no answer").isFalse();
        assertThat(result(-1, "partial\n", "error: lost the connection\n", held).answeredThenHeldByKernel()).as("an error").isFalse();
        assertThat(result(-1, "dirty limit set\n", "", "").answeredThenHeldByKernel()).as("stuck in user space").isFalse();
        assertThat(result(0, "dirty limit set\n", "", "").answeredThenHeldByKernel()).as("ended").isFalse();
        assertThat(result(-1, "x\n", "", held).toString()).endsWith(", held in the kernel: " + held);
    }

    private void task(String tid, String stat, String wchan) throws Exception {
        Path task = Files.createDirectories(proc.resolve("task").resolve(tid));
        Files.writeString(task.resolve("stat"), stat + " 0 0 0\n");
        Files.writeString(task.resolve("wchan"), wchan);
    }

    private static Tool.Result result(int exit, String out, String err, String held) {
        return new Tool.Result(List.of("set", "7", "--cpu", "1", "0"), exit, out, err, 180_000, held);
    }
}
