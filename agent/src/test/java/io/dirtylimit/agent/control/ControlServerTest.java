package io.dirtylimit.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tool's control socket in this JVM: its protocol, its directory, and that it is gone with its thread after stop. */
class ControlServerTest {
    private final ControlParts parts = new ControlParts();

    @AfterEach
    void stop() {
        ControlServer.stop();
        parts.throttle.close();
    }

    @Test
    void answersTheMxBeansOperationsAndAttributes() throws Exception {
        String report = ControlServer.start(() -> parts, "test");
        Path socket = Path.of(System.getProperty(ControlServer.PROPERTY));
        assertThat(report).isEqualTo("Unix-domain socket " + socket + " (only this OS user can open it; no network port)");
        assertThat(Files.getPosixFilePermissions(socket.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            Writer out = new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8);

            assertThat(ask(in, out, "setVcpuDirtyLimit\t1\t12.5")).containsExactly("ok 0");
            assertThat(ask(in, out, "setVcpuDirtyLimit\t9\t7")).containsExactly("ok 0");
            List<String> rows = ask(in, out, "queryVcpuDirtyLimit");
            assertThat(rows).startsWith("ok 6").contains("9 true 7.0 0.0 0 0 operator true - - 0");
            assertThat(rows).anyMatch(row -> row.matches("1 true 12\\.5 [0-9.E]+ \\d+ \\d+ operator false - - 0"));
            assertThat(rows).anyMatch(row -> row.matches("0 false 0\\.0 [0-9.E]+ \\d+ \\d+ - false - - 0"));
            assertThat(ask(in, out, "setVcpuDirtyLimit\t1\t-5"))
                    .containsExactly("refused dirty rate must be a finite number of MB/s >= 0, got -5.0");
            assertThat(ask(in, out, "get\tVcpus")).containsExactly("ok 1", "0 1 2 5 63");
            assertThat(ask(in, out, "get\tLimits")).containsExactly("ok 1",
                    "vCPU 1 12.5 MB/s; vCPU 9 7 MB/s (waiting for vCPU(s) [9] to appear)");
            assertThat(ask(in, out, "get\tHooksMatched")).containsExactly("ok 0");
            assertThat(ask(in, out, "get\tActive")).containsExactly("ok 1", "true");
            assertThat(ask(in, out, "set\tPolicy\tpi")).containsExactly("ok 0");
            assertThat(ask(in, out, "get\tPolicy")).containsExactly("ok 1", "pi");
            assertThat(ask(in, out, "set\tPolicy\tfast")).singleElement().asString().startsWith("refused unknown policy 'fast'");
            assertThat(ask(in, out, "calcDirtyRate\t0.01")).first().isEqualTo("ok 6");
            assertThat(ask(in, out, "get\tNoSuch")).containsExactly("refused no attribute 'NoSuch'");
            assertThat(ask(in, out, "reboot")).containsExactly("refused unknown request 'reboot'");
            assertThat(ask(in, out, "cancelAllVcpuDirtyLimit")).containsExactly("ok 0");
        }
    }

    @Test
    void aUnitsWordsSurviveTheLine() {
        for (String text : List.of("", "-", "LinearMemory@1b6d3586", "thread 'worker 3'", "a%20b", "tab\there\nnew", "-x", "%", "\u00e9\u007f")) {
            String word = ControlServer.word(text);
            assertThat(word).doesNotContain(" ", "\t", "\n").isNotEmpty();
            assertThat(ControlServer.text(word)).isEqualTo(text);
        }
        assertThat(ControlServer.word("LinearMemory@1b6d3586")).isEqualTo("LinearMemory@1b6d3586");
    }

    @Test
    void stopRemovesTheSocketAndEndsItsThread() throws Exception {
        ControlServer.start(() -> parts, "test");
        Path socket = Path.of(System.getProperty(ControlServer.PROPERTY));
        assertThat(socket).exists();
        ControlServer.stop();
        assertThat(System.getProperty(ControlServer.PROPERTY)).isNull();
        assertThat(socket.getParent()).doesNotExist();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(t -> t.getName().startsWith("dirtylimit-control")));
    }

    private static List<String> ask(BufferedReader in, Writer out, String request) throws Exception {
        out.write(request + "\n");
        out.flush();
        List<String> lines = new ArrayList<>(List.of(in.readLine()));
        if (lines.get(0).startsWith("ok ")) {
            for (int n = Integer.parseInt(lines.get(0).substring(3)); n > 0; n--) {
                lines.add(in.readLine());
            }
        }
        return lines;
    }
}
