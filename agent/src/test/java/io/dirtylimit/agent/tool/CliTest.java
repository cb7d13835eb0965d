package io.dirtylimit.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool's command line; attaching for real is covered by the forked-JVM integration tests. */
class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void usageAndVersion() throws Exception {
        assertThat(run()).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("usage: java -jar dirtylimit-agent.jar attach PID [OPTIONS]");
        assertThat(run("help")).isEqualTo(Cli.OK);
        assertThat(run("--version")).isEqualTo(Cli.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("dirtylimit-agent ");
        assertThat(run("launch")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("unknown command 'launch'");
    }

    @Test
    void badCommandLinesAreRefusedBeforeAttaching() throws Exception {
        assertThat(run("attach")).isEqualTo(Cli.USAGE);
        assertThat(run("attach", "12x")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("'12x' is not a process id");
        assertThat(run("attach", "1", "limit=fast")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("bad agent options: limit= rate 'fast' is not a number of MB/s");
        assertThat(run("attach", "1", "report=/tmp/x")).isEqualTo(Cli.USAGE);
        assertThat(run("detach")).isEqualTo(Cli.USAGE);
    }

    @Test
    void migrationModesAreCheckedBeforeConnecting() throws Exception {
        assertThat(run("migration")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("migration needs a process id");
        // Process 1 is no JVM of ours: these are refused before any connection is tried.
        assertThat(run("migration", "1", "fast")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("dirtylimit: migration mode 'fast' is not one of off, auto, fit, qemu, auto-converge");
        assertThat(run("migration", "1", "fit", "qemu")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("migration takes at most one MODE, got [fit, qemu]");
        assertThat(run("migration", "1", "--json")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("migration: unknown option --json");
        assertThat(run("help")).isEqualTo(Cli.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("migration PID [MODE]");
    }

    @Test
    void aRelativeProfilePathIsMadeAbsoluteForTheTarget(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.profile"), "x");
        Path relative = Path.of("").toAbsolutePath().relativize(profile);
        assertThat(Cli.checkOptions("limit=5," + "profile=" + relative))
                .isEqualTo("limit=5,profile=" + profile.toAbsolutePath());
        assertThat(Cli.checkOptions("profile=toyvm,limit=5")).isEqualTo("profile=toyvm,limit=5");
        assertThatThrownBy(() -> Cli.checkOptions("profile=" + dir.resolve("none")))
                .hasMessageContaining("no such profile file");
    }

    /** Found by CommandLineFuzzTest: a profile path with a NUL threw InvalidPathException out of the tool. */
    @Test
    void aProfileThatIsNoPathIsABadOption() throws Exception {
        assertThat(run("attach", "1", "profile=a\0b")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("dirtylimit: bad agent options: profile 'a\\u0000b' is not a file path");
    }

    @Test
    void listTakesNoArgumentsAndMessagesStayOnOneLine() throws Exception {
        assertThat(run("list", "extra")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("list takes no arguments, got [extra]");
        assertThat(run("set", "1\n2", "5")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("dirtylimit: '1\\n2' is not a process id");
    }
}
