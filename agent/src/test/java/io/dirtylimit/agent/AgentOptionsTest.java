package io.dirtylimit.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirtylimit.agent.control.LimitSpec;
import io.dirtylimit.core.Durations;
import io.dirtylimit.core.migration.MigrationMode;
import io.dirtylimit.core.migration.MigrationSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentOptionsTest {

    @Test
    void noOptionsMeansTheToyvmProfileAndPreparedMode() throws Exception {
        AgentOptions options = AgentOptions.parse(null);
        assertThat(options.profileOrDefault()).isEqualTo("toyvm");
        assertThat(options.limit.isEmpty()).isTrue();
        assertThat(AgentOptions.parse("  ").limit.isEmpty()).isTrue();
    }

    @Test
    void everyOption() throws Exception {
        AgentOptions options = AgentOptions.parse(
                "profile=/tmp/x.profile, limit=200, period=500ms, policy=model, quantum=64, counting=always, log=debug, report=/tmp/r, fault-every=7");
        assertThat(options.profile).isEqualTo("/tmp/x.profile");
        assertThat(options.limit.allMbps()).isEqualTo(200.0);
        assertThat(options.period).isEqualTo(Duration.ofMillis(500));
        assertThat(options.policy).isEqualTo("model");
        assertThat(options.quantum).isEqualTo(64);
        assertThat(options.countAlways).isTrue();
        assertThat(AgentOptions.parse("counting=auto").countAlways).isFalse();
        assertThat(AgentOptions.parse("limit=1").countAlways).isNull();
        assertThat(options.log).isEqualTo(Log.Level.DEBUG);
        assertThat(options.report).isEqualTo(Path.of("/tmp/r"));
        assertThat(options.faultEvery).isEqualTo(7);
        assertThat(options.detach).isFalse();
        assertThat(AgentOptions.parse("detach").detach).isTrue();
    }

    @Test
    void perVcpuLimitsOverrideTheAllVcpusLimit() throws Exception {
        LimitSpec limits = AgentOptions.parse("limit=100;0:200;3:50").limit;
        assertThat(limits.allMbps()).isEqualTo(100.0);
        assertThat(limits.perVcpuMbps()).isEqualTo(Map.of(0, 200.0, 3, 50.0));
        assertThat(limits.toString()).isEqualTo("all vCPUs 100 MB/s; vCPU 0 200 MB/s; vCPU 3 50 MB/s");

        LimitSpec perVcpuOnly = AgentOptions.parse("limit=0:200;1:50").limit;
        assertThat(perVcpuOnly.hasAll()).isFalse();
        assertThat(perVcpuOnly.perVcpuMbps()).containsEntry(0, 200.0).containsEntry(1, 50.0);
    }

    @ParameterizedTest
    @CsvSource({"512K, 0.5", "200M, 200", "1G, 1024", "2.5, 2.5", "0, 0"})
    void ratesWithUnits(String text, double mbps) throws Exception {
        assertThat(AgentOptions.parse("limit=" + text).limit.allMbps()).isEqualTo(mbps);
    }

    @Test
    void theLimitGuaranteeIsOnOffOrAutoAndNotGivenByDefault() throws Exception {
        assertThat(AgentOptions.parse("limit=5").guard).isNull();
        assertThat(AgentOptions.parse("guard=off").guard).isEqualTo(io.dirtylimit.core.GuardMode.OFF);
        assertThat(AgentOptions.parse("guard=ON").guard).isEqualTo(io.dirtylimit.core.GuardMode.ON);
        assertThat(AgentOptions.parse("guard=auto").guard).isEqualTo(io.dirtylimit.core.GuardMode.AUTO);
        assertThatThrownBy(() -> AgentOptions.parse("guard=maybe"))
                .isInstanceOf(OptionsException.class).hasMessage("guard must be auto, on or off, got 'maybe'");
        assertThatThrownBy(() -> AgentOptions.parse("guard"))
                .isInstanceOf(OptionsException.class).hasMessage("option 'guard' needs a value (guard=...)");
    }

    @Test
    void periods() throws Exception {
        assertThat(AgentOptions.parse("period=1s").period).isEqualTo(Duration.ofSeconds(1));
        assertThat(AgentOptions.parse("period=1.5s").period).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(2))).isEqualTo("2s");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "limit=fast                | limit= rate 'fast' is not a number of MB/s",
        "limit=-5                  | must be 0 or more MB/s",
        "limit=200;300             | two rates for all vCPUs",
        "limit=0:1;0:2             | names vCPU 0 twice",
        "limit=x:1                 | vCPU index 'x' must be a number",
        "limit=                    | option 'limit' needs a value",
        "period=5                  | is not a duration like 500ms or 1s",
        "period=1ms                | out of range",
        "period=1m                 | out of range",
        "quantum=-1                | quantum '-1' must be a number of pages",
        "log=loud                  | log level 'loud' is not one of",
        "speed=3                   | unknown option 'speed' (known: profile, limit, period, policy, quantum, guard, counting, log, migration, migration-mode",
        "counting=sometimes        | counting 'sometimes' must be auto (count pages only while a limit, a calc or a watched migration needs them) or always",
        "limit=1,limit=2           | option 'limit' given twice",
        "limit=1,,period=1s        | empty option",
        "detach=now                | takes no value",
        "fault-every=0             | fault-every '0' must be",
        "policy=fancy              | unknown policy 'fancy' (known: linear, model, pi, qemu, v9)",
        "migration=on              | migration 'on' must be auto or off",
        "migration-mode=fast       | migration-mode 'fast' is not one of off, fit, qemu, auto-converge",
        "migration-limit=0         | migration-limit '0' must be a rate in MB/s above 0",
        "migration-threshold=0     | migration-threshold '0' must be a whole percentage from 1 to 100",
        "migration-budget=99       | migration-budget '99' must be a whole percentage from 1 to 95",
        "migration-period=2s       | migration-period '2s' must be a duration from 1ms to 1s",
    })
    void malformedOptionsSayWhatIsWrong(String options, String message) {
        assertThatThrownBy(() -> AgentOptions.parse(options)).isInstanceOf(OptionsException.class)
                .hasMessageContaining(message.trim());
    }

    @Test
    void migrationOptions() throws Exception {
        MigrationSettings defaults = MigrationSettings.DEFAULTS;
        assertThat(AgentOptions.parse("limit=5").hasMigration()).isFalse();
        assertThat(AgentOptions.parse("migration=auto").migrationSettings(defaults).mode()).isEqualTo(MigrationMode.FIT);
        MigrationSettings all = AgentOptions.parse("migration=auto,migration-mode=qemu,migration-limit=2.5,"
                + "migration-threshold=30,migration-period=500ms,migration-budget=25").migrationSettings(defaults);
        assertThat(all).isEqualTo(new MigrationSettings(MigrationMode.QEMU, 2.5, 30, Duration.ofMillis(500), 25));
        // A later attach keeps what it does not name; migration=off switches off.
        assertThat(AgentOptions.parse("migration-limit=3").migrationSettings(all).mode()).isEqualTo(MigrationMode.QEMU);
        assertThat(AgentOptions.parse("migration=auto").migrationSettings(all).mode()).isEqualTo(MigrationMode.QEMU);
        assertThat(AgentOptions.parse("migration=off").migrationSettings(all).mode()).isEqualTo(MigrationMode.OFF);
        assertThat(AgentOptions.parse("migration-mode=auto-converge").migrationSettings(defaults).mode())
                .isEqualTo(MigrationMode.AUTO_CONVERGE);
    }

    /** Found by AgentOptionsFuzzTest: a NUL in report= threw InvalidPathException out of parse. */
    @Test
    void aReportPathThatIsNoPathIsAnOptionsError() {
        assertThatThrownBy(() -> AgentOptions.parse("report=a\0b"))
                .isInstanceOf(OptionsException.class)
                .hasMessageStartingWith("report 'a\\u0000b' is not a file path");
    }

    /** Found by AgentOptionsFuzzTest: 'r //' is the file 'r ', which options (trimmed) cannot write back. */
    @Test
    void aReportPathEndingInABlankIsRefused() {
        assertThatThrownBy(() -> AgentOptions.parse("report=r //"))
                .isInstanceOf(OptionsException.class)
                .hasMessage("report 'r //' names a file whose name starts or ends with a blank");
    }

    /** Found by AgentOptionsFuzzTest: an echoed line break made the one-line error two lines. */
    @Test
    void errorsStayOnOneLine() {
        assertThatThrownBy(() -> AgentOptions.parse("policy=fast\nresult: ok"))
                .isInstanceOf(OptionsException.class)
                .hasMessage("unknown policy 'fast\\nresult: ok' (known: linear, model, pi, qemu, v9)");
    }

    @Test
    void formatIsExactAndParsesBack() throws Exception {
        AgentOptions options = AgentOptions.parse(" limit = 0.0001 ; 3:512K ; 1:1G , period=1.5s,guard=OFF,detach,"
                + "migration-limit=0.3333333,log=Info");
        assertThat(options.format()).isEqualTo("limit=0.0001;1:1024;3:0.5,period=1500ms,guard=off,log=info,"
                + "migration-limit=0.3333333,detach");
        assertThat(AgentOptions.parse(options.format())).isEqualTo(options);
    }
}
