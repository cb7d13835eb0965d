package io.dirtylimit.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.junit.jupiter.api.Test;

/** The control commands' parsing, formatting and reachability rules; the real thing is in the ITs. */
class ControlToolTest {

    @Test
    void anotherUsersProcessIsRefusedWithItsOwnExitCode() {
        assertThatThrownBy(() -> AttachDiagnosis.check(42, true, Optional.of("alice"), "bob"))
                .isInstanceOfSatisfying(ToolFailure.class, f -> assertThat(f.exitCode()).isEqualTo(Cli.OTHER_USER))
                .hasMessage("process 42 belongs to user alice, not to bob: the Attach API only admits the process's own user"
                        + " (run the tool as alice)");
        assertThatThrownBy(() -> AttachDiagnosis.check(42, false, Optional.empty(), "bob"))
                .isInstanceOfSatisfying(ToolFailure.class, f -> assertThat(f.exitCode()).isEqualTo(Cli.NO_SUCH_PROCESS))
                .hasMessage("there is no process 42");
        assertThatCode(() -> AttachDiagnosis.check(42, true, Optional.of("bob"), "bob")).doesNotThrowAnyException();
        assertThatCode(() -> AttachDiagnosis.check(42, true, Optional.empty(), "bob")).doesNotThrowAnyException();
        assertThatCode(() -> AttachDiagnosis.check(42, true, Optional.of("alice"), "root")).doesNotThrowAnyException();
    }

    @Test
    void exitCodesAreDistinct() {
        assertThat(java.util.Set.of(Cli.OK, Cli.AGENT_ERROR, Cli.USAGE, Cli.NO_SUCH_PROCESS, Cli.LOAD_REFUSED, Cli.NO_REPORT,
                Cli.NOT_A_JVM, Cli.OTHER_USER, Cli.AGENT_NOT_LOADED, Cli.CONNECTION_FAILED)).hasSize(10);
    }

    @Test
    void ratesTakeUnits() throws Exception {
        assertThat(ToolCommand.rate("200")).isEqualTo(200);
        assertThat(ToolCommand.rate("12.5")).isEqualTo(12.5);
        assertThat(ToolCommand.rate("512K")).isEqualTo(0.5);
        assertThat(ToolCommand.rate("200m")).isEqualTo(200);
        assertThat(ToolCommand.rate("1G")).isEqualTo(1024);
        assertThat(ToolCommand.rate("-5")).as("the core refuses it, with its message").isEqualTo(-5);
        for (String bad : new String[] {"", "fast", "G", "1T", "NaN", "1e3x"}) {
            assertThatThrownBy(() -> ToolCommand.rate(bad)).as(bad)
                    .isInstanceOfSatisfying(ToolFailure.class, f -> assertThat(f.exitCode()).isEqualTo(Cli.USAGE));
        }
    }

    @Test
    void argumentsAreCheckedBeforeConnecting() throws Exception {
        CommandArgs args = new CommandArgs("set", new String[] {"set", "123", "--cpu", "1", "50M"});
        assertThat(args.pid()).isEqualTo(123);
        assertThat(args.intOption("--cpu")).isEqualTo(1);
        assertThat(args.onlyPositional("RATE")).isEqualTo("50M");
        CommandArgs watch = new CommandArgs("query", new String[] {"query", "1", "--watch", "--json"});
        assertThat(watch.optionalDouble("--watch", 1.0)).isEqualTo(1.0);
        assertThat(watch.flag("--json")).isTrue();
        assertThat(new CommandArgs("query", new String[] {"query", "1", "--watch", "2.5"})
                .optionalDouble("--watch", 1.0)).isEqualTo(2.5);
        assertThatThrownBy(() -> new CommandArgs("set", new String[] {"set"})).hasMessageContaining("needs a process id");
        assertThatThrownBy(() -> new CommandArgs("set", new String[] {"set", "12x"})).hasMessage("'12x' is not a process id");
        assertThatThrownBy(() -> new CommandArgs("set", new String[] {"set", "1", "--cpu", "x", "5"}).intOption("--cpu"))
                .hasMessage("--cpu 'x' is not a vCPU index");
        assertThatThrownBy(() -> new CommandArgs("cancel", new String[] {"cancel", "1", "--fast"}).noPositional())
                .hasMessage("cancel: unknown option --fast");
    }

    @Test
    void jsonHasQmpsShapeWithLimitedVcpusFirstKeysFirst() throws Exception {
        CompositeData[] rows = {row(0, true, 200, 198.4, 1_500_000, 77, "operator", false), row(1, false, 0, 590.6, 0, 0, "", false),
            row(2, true, 12.5, 100.2, 80_000_000, 9, "governor", false), row(7, true, 100, 0, 0, 0, "operator", true)};
        assertThat(QueryFormat.json(rows, false)).isEqualTo("{\"return\": [{\"cpu-index\": 0, \"limit-rate\": 200,"
                + " \"current-rate\": 198, \"enabled\": true, \"sleep-ns-per-throttle-point\": 1500000, \"throttle-points\": 77,"
                + " \"set-by\": \"operator\", \"pending\": false}, {\"cpu-index\": 2, \"limit-rate\": 13, \"current-rate\": 100,"
                + " \"enabled\": true, \"sleep-ns-per-throttle-point\": 80000000, \"throttle-points\": 9, \"set-by\": \"governor\","
                + " \"pending\": false}, {\"cpu-index\": 7, \"limit-rate\": 100, \"current-rate\": 0, \"enabled\": true,"
                + " \"sleep-ns-per-throttle-point\": 0, \"throttle-points\": 0, \"set-by\": \"operator\", \"pending\": true}]}");
        assertThat(QueryFormat.json(rows, true)).contains("{\"cpu-index\": 1, \"limit-rate\": 0, \"current-rate\": 591,");
        assertThat(QueryFormat.json(new CompositeData[0], false)).isEqualTo("{\"return\": []}");
        assertThat(QueryFormat.table(rows).lines()).containsExactly(
                "vcpu     limit MB/s   current MB/s    sleep/point         points  set by",
                "vcpu[0]          200          198.4       1.500 ms             77  operator",
                "vcpu[1]            -          590.6              -              0  -",
                "vcpu[2]         12.5          100.2      80.000 ms              9  governor",
                "vcpu[7]          100              -              -              -  operator (pending: vCPU not seen yet)");
    }

    @Test
    void unitsShowTheirObjectsClassAndIdentityHashInTheTableAndInJson() throws Exception {
        CompositeData[] rows = {
            unitRow(0, true, 10, 9.9, 2_000_000, 40, "operator", "LinearMemory@1b6d3586",
                    "io.dirtylimit.examples.tenants.LinearMemory", 0x1b6d3586),
            unitRow(1, false, 0, 64.0, 0, 0, "", "LinearMemory@4554617c", "io.dirtylimit.examples.tenants.LinearMemory", 0x4554617c),
            unitRow(12, false, 0, 3.0, 0, 0, "", "thread 'cpu-\"b\"'", "", 0)};
        assertThat(QueryFormat.table(rows).lines()).containsExactly(
                "vcpu     unit                    limit MB/s   current MB/s    sleep/point         points  set by",
                "vcpu[0]  LinearMemory@1b6d3586           10            9.9       2.000 ms             40  operator",
                "vcpu[1]  LinearMemory@4554617c            -           64.0              -              0  -",
                "vcpu[12] thread 'cpu-\"b\"'                 -            3.0              -              0  -");
        assertThat(QueryFormat.json(rows, true)).isEqualTo("{\"return\": [{\"cpu-index\": 0, \"limit-rate\": 10,"
                + " \"current-rate\": 10, \"enabled\": true, \"sleep-ns-per-throttle-point\": 2000000, \"throttle-points\": 40,"
                + " \"set-by\": \"operator\", \"pending\": false, \"unit\": \"LinearMemory@1b6d3586\","
                + " \"unit-class\": \"io.dirtylimit.examples.tenants.LinearMemory\", \"unit-identity-hash\": \"1b6d3586\"},"
                + " {\"cpu-index\": 1, \"limit-rate\": 0, \"current-rate\": 64, \"enabled\": false,"
                + " \"sleep-ns-per-throttle-point\": 0, \"throttle-points\": 0, \"set-by\": \"\", \"pending\": false,"
                + " \"unit\": \"LinearMemory@4554617c\", \"unit-class\": \"io.dirtylimit.examples.tenants.LinearMemory\","
                + " \"unit-identity-hash\": \"4554617c\"}, {\"cpu-index\": 12, \"limit-rate\": 0, \"current-rate\": 3,"
                + " \"enabled\": false, \"sleep-ns-per-throttle-point\": 0, \"throttle-points\": 0, \"set-by\": \"\","
                + " \"pending\": false, \"unit\": \"thread 'cpu-\\\"b\\\"'\"}]}");
    }

    private static CompositeData unitRow(int cpu, boolean enabled, double limit, double current, long sleep, long points,
                                         String setBy, String unit, String unitClass, int hash) throws Exception {
        String[] names = {"cpuIndex", "enabled", "limitRate", "currentRate", "sleepNanosPerThrottlePoint", "throttlePoints",
            "setBy", "pending", "unit", "unitClass", "unitIdentityHash"};
        OpenType<?>[] types = {SimpleType.INTEGER, SimpleType.BOOLEAN, SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.LONG,
            SimpleType.LONG, SimpleType.STRING, SimpleType.BOOLEAN, SimpleType.STRING, SimpleType.STRING, SimpleType.INTEGER};
        CompositeType type = new CompositeType("VcpuDirtyLimit", "row", names, names, types);
        return new CompositeDataSupport(type, names, new Object[] {cpu, enabled, limit, current, sleep, points, setBy, false,
            unit, unitClass, hash});
    }

    private static CompositeData row(int cpu, boolean enabled, double limit, double current, long sleep, long points,
                                     String setBy, boolean pending) throws Exception {
        String[] names = {"cpuIndex", "enabled", "limitRate", "currentRate", "sleepNanosPerThrottlePoint", "throttlePoints",
            "setBy", "pending"};
        OpenType<?>[] types = {SimpleType.INTEGER, SimpleType.BOOLEAN, SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.LONG,
            SimpleType.LONG, SimpleType.STRING, SimpleType.BOOLEAN};
        CompositeType type = new CompositeType("VcpuDirtyLimit", "row", names, names, types);
        return new CompositeDataSupport(type, names, new Object[] {cpu, enabled, limit, current, sleep, points, setBy, pending});
    }
}
