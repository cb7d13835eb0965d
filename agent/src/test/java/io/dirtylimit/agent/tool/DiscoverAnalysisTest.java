package io.dirtylimit.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.agent.discover.DiscoverData;
import io.dirtylimit.agent.discover.DiscoverData.MethodStats;
import io.dirtylimit.agent.discover.DiscoverData.PairStats;
import io.dirtylimit.agent.discover.DiscoverData.ParamStats;
import io.dirtylimit.agent.discover.DiscoverData.ReceiverRange;
import io.dirtylimit.agent.discover.DiscoverData.ThreadStats;
import io.dirtylimit.agent.tool.DiscoverAnalysis.MethodFinding;
import io.dirtylimit.agent.tool.DiscoverAnalysis.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The heuristics on measurements shaped like the three example emulators' (the numbers a discover
 * of each printed), and the draft each gives: it parses, and it says what their hand-written
 * profiles say.
 */
class DiscoverAnalysisTest {
    private static final long[] NO_CALLS = {};

    @Test
    void toyVmRingOff() {
        MethodStats write64 = method(0, "io.dirtylimit.examples.toyvm.GuestMemory", "write64", List.of("long", "long"), "void", 76_800, -1,
                List.of(param(0, "long", 32_000, 0, 0xFFFF000L, 0), param(1, "long", 20, 1, 281_474_976_740_161L, 0xFFF)), List.of());
        MethodStats store = method(1, "io.dirtylimit.examples.toyvm.Vcpu", "store", List.of("long", "long"), "boolean", 76_800, -1,
                List.of(param(0, "long", 31_500, 0, 0xFFFF000L, 0), param(1, "long", 20, 1, 281_474_976_740_161L, 0xFFF)), List.of(),
                List.of(new ReceiverRange(0, 0, 0, 0x7FFF000L), new ReceiverRange(1, 0, 0x8000000L, 0xFFFF000L)), 2);
        MethodStats load = method(2, "io.dirtylimit.examples.toyvm.GuestMemory", "read64", List.of("long"), "long", 5_000, -1,
                List.of(param(0, "long", 2_000, 0, 0xFFFF000L, 0)), List.of());
        MethodStats pageDirtied = method(3, "io.dirtylimit.examples.toyvm.Vcpu", "pageDirtied", List.of("long"), "void", 76_800, -1,
                List.of(param(0, "long", 16, 0, 65_535, 0xFFF)), List.of());
        MethodStats decode = method(4, "io.dirtylimit.examples.toyvm.Op", "ra", List.of("int"), "int", 3_000_000, -1,
                List.of(param(0, "int", 12, 20_497, 1_074_694, 0xFFF)), List.of());
        DiscoverData data = data(List.of(write64, store, load, pageDirtied, decode),
                thread(11, "vcpu-0", 0, 38_400, 1, 38_400, 2, 2_500, 3, 38_400, 4, 1_500_000),
                thread(12, "vcpu-1", 0, 38_400, 1, 38_400, 2, 2_500, 3, 38_400, 4, 1_500_000),
                thread(3, "reaper", 4, 1));
        DiscoverAnalysis analysis = DiscoverAnalysis.of(data);

        assertThat(finding(analysis, "write64").verdict()).isEqualTo(Verdict.STORE);
        assertThat(finding(analysis, "write64").isHook()).isTrue();
        assertThat(finding(analysis, "write64").size()).isEqualTo("size=8");
        assertThat(finding(analysis, "store").sameStoresAs()).isEqualTo("io.dirtylimit.examples.toyvm.GuestMemory.write64(long, long)");
        assertThat(finding(analysis, "store").maybes()).as("two vCPUs' objects at distinct addresses: no space hint").isEmpty();
        assertThat(finding(analysis, "read64").verdict()).isEqualTo(Verdict.LOAD);
        assertThat(finding(analysis, "pageDirtied").verdict()).as("page numbers spread over few pages").isEqualTo(Verdict.OTHER);
        assertThat(analysis.vcpuRule).isEqualTo("thread-name \"vcpu-(\\d+)\"");
        assertThat(analysis.threads).extracting(t -> t.stats().name()).containsExactly("vcpu-0", "vcpu-1", "reaper");
        assertThat(analysis.threads.get(2).vcpu()).isEqualTo(-1);

        String draft = draft(analysis);
        assertThat(draft).contains("\nvcpu-id     thread-name \"vcpu-(\\d+)\"",
                "\nstore       class io.dirtylimit.examples.toyvm.GuestMemory write64(long, long) address=arg0 size=8\n",
                "\n# store       class io.dirtylimit.examples.toyvm.Vcpu store(long, long) address=arg0 size=8\n");
        assertThat(hookLines(draft)).hasSize(1);
    }

    @Test
    void otherVm() {
        MethodStats system = method(0, "io.dirtylimit.examples.othervm.SystemBus", "write", List.of("long", "byte[]", "int", "int"),
                "void", 40_000, 1, List.of(param(0, "long", 40_000, 0, 0xF0000000L, 0), param(2, "int", 1, 0, 0, 0),
                        param(3, "int", 1, 1, 256, 0x1FF)), List.of(new PairStats(2, 3, 1, 256)));
        MethodStats ram = method(1, "io.dirtylimit.examples.othervm.RamBus", "write", List.of("long", "byte[]", "int", "int"),
                "void", 20_000, 1, List.of(param(0, "long", 40_000, 0, 0xFFFF000L, 0), param(2, "int", 1, 0, 0, 0),
                        param(3, "int", 1, 256, 256, 256)), List.of(new PairStats(2, 3, 256, 256)));
        MethodStats read = method(2, "io.dirtylimit.examples.othervm.RamBus", "read", List.of("long", "byte[]", "int", "int"),
                "void", 100, 1, List.of(param(0, "long", 90, 0, 0xFFFF000L, 0)), List.of());
        MethodStats cpuStore = method(3, "io.dirtylimit.examples.othervm.Cpu", "store", List.of("long", "int"), "void", 20_000, -1,
                List.of(param(0, "long", 39_500, 0, 0xFFFF000L, 0), param(1, "int", 1, 256, 256, 256)), List.of());
        MethodStats markDirty = method(4, "io.dirtylimit.examples.othervm.RamBus", "markDirty", List.of("long", "int"), "void", 20_000,
                -1, List.of(param(0, "long", 40_500, 0, 0xFFFF000L, 0), param(1, "int", 1, 256, 256, 256)), List.of());
        DiscoverData data = data(List.of(system, ram, read, cpuStore, markDirty),
                thread(20, "cpu#0 worker", 0, 20_000, 1, 10_000, 2, 50, 3, 10_000, 4, 10_000),
                thread(21, "cpu#1 worker", 0, 20_000, 1, 10_000, 2, 50, 3, 10_000, 4, 10_000));
        DiscoverAnalysis analysis = DiscoverAnalysis.of(data);

        assertThat(finding(analysis, "write", "SystemBus").size()).isEqualTo("size=arg3");
        assertThat(finding(analysis, "write", "RamBus").size()).isEqualTo("size=arg3");
        assertThat(finding(analysis, "read", "RamBus").verdict()).isEqualTo(Verdict.LOAD);
        assertThat(finding(analysis, "store", "Cpu").sameStoresAs()).as("the memory's write, with the data, is kept")
                .isEqualTo("io.dirtylimit.examples.othervm.RamBus.write(long, byte[], int, int)");
        assertThat(finding(analysis, "markDirty", "RamBus").sameStoresAs()).isNotNull();
        String draft = draft(analysis);
        assertThat(draft).contains("\nvcpu-id     thread-name \"cpu#(\\d+) worker\"",
                "\nstore       class io.dirtylimit.examples.othervm.SystemBus write(long, byte[], int, int) address=arg0 size=arg3\n",
                "\nstore       class io.dirtylimit.examples.othervm.RamBus write(long, byte[], int, int) address=arg0 size=arg3\n");
        assertThat(hookLines(draft)).hasSize(2);
    }

    @Test
    void tenantsOneGuest() {
        MethodStats write = method(0, "io.dirtylimit.examples.tenants.LinearMemory", "write", List.of("int", "byte[]", "int", "int"),
                "void", 70_000, 1, List.of(param(0, "int", 14_000, 0, 67_107_840, 0), param(2, "int", 1, 0, 0, 0),
                        param(3, "int", 1, 1024, 1024, 1024)),
                List.of(new PairStats(0, 2, -67_107_840, 0), new PairStats(0, 3, -67_106_816, 1024), new PairStats(2, 3, 1024, 1024)));
        MethodStats fill = method(1, "io.dirtylimit.examples.tenants.LinearMemory", "fill", List.of("byte", "int", "int"), "void",
                2_500, -1, List.of(param(1, "int", 2_000, 28_672, 67_104_768, 0), param(2, "int", 2_000, 32_768, 67_108_864, 0)),
                List.of(new PairStats(1, 2, 4096, 4096)));
        MethodStats runSlice = method(2, "io.dirtylimit.examples.tenants.Guest", "runSlice", List.of("long"), "long", 400, -1,
                List.of(param(0, "long", 700_000, 1_000_000_000L, 4_000_000_000L, 0xFFF)), List.of());
        MethodStats markDirty = method(3, "io.dirtylimit.examples.tenants.LinearMemory", "markDirty", List.of("long", "long"), "void",
                72_500, -1, List.of(param(0, "long", 17_760, 0, 67_107_840, 0), param(1, "long", 17_477, 1024, 67_108_864, 0)),
                List.of(new PairStats(0, 1, 1024, 4096)));
        DiscoverData data = data(List.of(write, fill, runSlice, markDirty),
                thread(30, "tenant-worker-0", 0, 70_000, 1, 2_500, 2, 400, 3, 72_500), thread(31, "tenant-stats", 2, 1));
        DiscoverAnalysis analysis = DiscoverAnalysis.of(data);

        assertThat(finding(analysis, "write").size()).isEqualTo("size=arg3");
        assertThat(finding(analysis, "write").notes()).anyMatch(n -> n.contains("arg2 was 0 in every call"));
        MethodFinding fillFinding = finding(analysis, "fill");
        assertThat(fillFinding.address()).isEqualTo(1);
        assertThat(fillFinding.size()).isEqualTo("end=arg2");
        assertThat(fillFinding.notes()).anyMatch(n -> n.startsWith("arg2 - arg1 was always 4096: arg2 looks like the store's exclusive end"));
        assertThat(finding(analysis, "runSlice").verdict()).isEqualTo(Verdict.OTHER);
        assertThat(finding(analysis, "runSlice").address()).isEqualTo(-1);
        MethodFinding marking = finding(analysis, "markDirty");
        assertThat(marking.verdict()).isEqualTo(Verdict.STORE);
        assertThat(marking.size()).as("an end that varies is the store's end").isEqualTo("end=arg1");
        assertThat(marking.sameStoresAs()).as("called by write and fill: their stores")
                .contains("LinearMemory.write(int, byte[], int, int)", " and ", "LinearMemory.fill(byte, int, int)");
        String draft = draft(analysis);
        assertThat(draft).contains("\nvcpu-id     thread-name \"tenant-worker-(\\d+)\"",
                "\nstore       class io.dirtylimit.examples.tenants.LinearMemory write(int, byte[], int, int) address=arg0 size=arg3\n",
                "\nstore       class io.dirtylimit.examples.tenants.LinearMemory fill(byte, int, int) address=arg1 end=arg2\n",
                "\n# store       class io.dirtylimit.examples.tenants.LinearMemory markDirty(long, long) address=arg0 end=arg1\n");
        assertThat(hookLines(draft)).hasSize(2);
    }

    @Test
    void guestsAtTheSameAddressesGetTheSpaceHint() {
        List<ReceiverRange> guests = new ArrayList<>();
        for (int g = 0; g < 8; g++) {
            guests.add(new ReceiverRange(g, 0, 0, 67_107_840));
        }
        MethodStats write = method(0, "t.LinearMemory", "write", List.of("int", "byte[]", "int", "int"), "void", 70_000, 1,
                List.of(param(0, "int", 14_000, 0, 67_107_840, 0), param(3, "int", 1, 1024, 1024, 1024)), List.of(), guests,
                DiscoverData.MethodStats.MANY_RECEIVERS);
        DiscoverAnalysis analysis = DiscoverAnalysis.of(data(List.of(write), thread(1, "tenant-worker-0", 0, 35_000),
                thread(2, "tenant-worker-1", 0, 35_000)));
        assertThat(finding(analysis, "write").objectSpace()).isTrue();
        assertThat(finding(analysis, "write").notes()).anyMatch(n -> n.startsWith("more than 8 objects received these calls, 8 of them"));
        assertThat(analysis.vcpuRule).isEqualTo("space");
        String draft = draft(analysis);
        assertThat(draft).contains("\nvcpu-id     space ", "\n# or, when each guest has a thread of its own: vcpu-id thread-name",
                "\nstore       class t.LinearMemory write(int, byte[], int, int) address=arg0 size=arg3 space=this\n");
        assertThat(DiscoverDraft.problems(draft)).isEmpty();
    }

    @Test
    void noStoreGivesADraftThatSaysSo() {
        MethodStats tick = method(0, "x.Timer", "tick", List.of("long"), "void", 10, -1, List.of(param(0, "long", 3, 0, 9000, 0xFFF)),
                List.of());
        DiscoverAnalysis analysis = DiscoverAnalysis.of(data(List.of(tick), thread(1, "main", 0, 30)));
        String draft = DiscoverDraft.text(analysis, "draft-x");
        assertThat(draft).contains("# no store found");
        assertThat(analysis.vcpuRule).isEqualTo("first-dirty");
        assertThat(DiscoverDraft.problems(draft)).anyMatch(p -> p.contains("no hooks"));
    }

    @Test
    void nameWords() {
        assertThat(DiscoverAnalysis.nameWords("write64")).containsExactly("write", "64");
        assertThat(DiscoverAnalysis.nameWords("storeByteAt")).containsExactly("store", "byte", "at");
        assertThat(DiscoverAnalysis.nameWords("mem_write_u32")).containsExactly("mem", "write", "u", "32");
        assertThat(DiscoverAnalysis.nameWords("getHTTPAddress")).startsWith("get");
    }

    @Test
    void theJsonCarriesTheSameFindings() {
        MethodStats write = method(0, "a.Ram", "write", List.of("long", "byte[]", "int", "int"), "void", 3_000, 1,
                List.of(param(0, "long", 500, 0, 1 << 21, 0), param(3, "int", 1, 64, 64, 64)), List.of());
        DiscoverAnalysis analysis = DiscoverAnalysis.of(data(List.of(write), thread(1, "cpu \"0\"", 0, 3000)));
        String draft = DiscoverDraft.text(analysis, "draft-a");
        String json = DiscoverFormat.json(analysis, draft, List.of());
        assertThat(json).startsWith("{\"pid\": 4242, ").endsWith("}")
                .contains("\"verdict\": \"store\"", "\"size\": \"size=arg3\"", "\"address-arg\": 0", "\"name\": \"cpu \\\"0\\\"\"",
                        "\"vcpu-id\": \"thread-name \\\"cpu \\\\\\\"(\\\\d+)\\\\\\\"\\\"\"", "\"draft\": \"# DRAFT profile");
        assertThat(DiscoverDraft.problems(draft)).isEmpty();
        assertThat(DiscoverFormat.text(analysis, draft, List.of())).contains("[store]", "<- address", "draft profile");
    }

    // ---- builders

    private static String draft(DiscoverAnalysis analysis) {
        String draft = DiscoverDraft.text(analysis, "draft-test");
        assertThat(DiscoverDraft.problems(draft)).as(draft).isEmpty();
        return draft;
    }

    private static List<String> hookLines(String draft) {
        return draft.lines().filter(line -> line.startsWith("store ")).toList();
    }

    private static MethodFinding finding(DiscoverAnalysis analysis, String name) {
        return analysis.methods.stream().filter(m -> m.stats().name().equals(name)).findFirst().orElseThrow();
    }

    private static MethodFinding finding(DiscoverAnalysis analysis, String name, String simpleClass) {
        return analysis.methods.stream().filter(m -> m.stats().name().equals(name) && m.stats().className().endsWith("." + simpleClass))
                .findFirst().orElseThrow();
    }

    private static ParamStats param(int arg, String type, long pages, long min, long max, long lowBits) {
        return new ParamStats(arg, type, pages, min, max, lowBits);
    }

    private static MethodStats method(int id, String type, String name, List<String> params, String returns, long calls, int arrayArg,
                                      List<ParamStats> ints, List<PairStats> pairs) {
        return method(id, type, name, params, returns, calls, arrayArg, ints, pairs, List.of(), 1);
    }

    private static MethodStats method(int id, String type, String name, List<String> params, String returns, long calls, int arrayArg,
                                      List<ParamStats> ints, List<PairStats> pairs, List<ReceiverRange> ranges, int receivers) {
        return new MethodStats(id, type, name, params, false, returns, calls, calls / 4, 4, receivers, arrayArg,
                arrayArg < 0 ? -1 : 1024, arrayArg < 0 ? -1 : 1024, ints, pairs, ranges);
    }

    /** A thread: its id, name, then pairs (method id, calls). */
    private static ThreadStats thread(long id, String name, long... methodCalls) {
        List<long[]> calls = new ArrayList<>();
        long total = 0;
        for (int i = 0; i + 1 < methodCalls.length; i += 2) {
            calls.add(new long[] {methodCalls[i], methodCalls[i + 1]});
            total += methodCalls[i + 1];
        }
        return new ThreadStats(id, name, total, calls);
    }

    private static DiscoverData data(List<MethodStats> methods, ThreadStats... threads) {
        return new DiscoverData(4242, "17.0.15", 3.0, methods.size(), methods.size(), List.of(), List.of(), List.of("x"), methods,
                List.of(threads));
    }
}
