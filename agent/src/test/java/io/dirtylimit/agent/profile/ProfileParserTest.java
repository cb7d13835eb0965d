package io.dirtylimit.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProfileParserTest {

    @Test
    void theBuiltInProfilesParse() throws Exception {
        for (String name : Profiles.BUILT_IN) {
            Profile profile = Profiles.load(name);
            assertThat(profile.name()).isEqualTo(name);
            assertThat(profile.origin()).isEqualTo("builtin:" + name);
            assertThat(profile.hooks()).isNotEmpty();
        }
        Profile toyvm = Profiles.load("toyvm");
        assertThat(toyvm.vcpuRule().kind()).isEqualTo(VcpuRule.Kind.THREAD_NAME);
        assertThat(toyvm.vcpuRule().pattern().pattern()).isEqualTo("vcpu-(\\d+)");
        assertThat(toyvm.quantum()).as("quantum points on: the core's default").isNull();
        assertThat(toyvm.hooks()).extracting(HookSpec::describe).containsExactly(
                "ring-full class io.dirtylimit.examples.toyvm.Vcpu handleRingFull()",
                "dirty-page class io.dirtylimit.examples.toyvm.Vcpu pageDirtied(long)",
                "vcpu-step class io.dirtylimit.examples.toyvm.Vcpu runSliceAndHandleExit()",
                "migration-start class io.dirtylimit.examples.toyvm.Migration migrationStarted(long, long)",
                "migration-pass class io.dirtylimit.examples.toyvm.Migration passCompleted(int, long, long, long)",
                "migration-end class io.dirtylimit.examples.toyvm.Migration migrationFinished(boolean)");
        assertThat(toyvm.hooks().get(0).atExit()).isTrue();
        assertThat(toyvm.hooks().get(1).value()).isEqualTo(ValueSource.arg(0).withUnsigned(true));
        assertThat(toyvm.hooks().get(1).valueIsAddress()).isFalse();
    }

    @Test
    void everyStatement() throws Exception {
        Profile profile = ProfileParser.parse("p", """
                # an emulator
                name       other   # trailing comment
                page-size  8192
                vcpu-id    first-dirty "cpu#\\d+ worker"
                harvest    250ms
                quantum    32
                max-vcpus  8
                store      implementations-of com.example.MemoryBus write(long, byte[], int, int) address=arg0 size=arg3 space=ram
                store      class com.example.Cpu poke(long, int[]) address=arg0 size=length(arg1) at=exit vcpu=this.id
                dirty-page subclasses-of com.example.Tracker mark(*) address=arg1 dedupe=yes
                vcpu-loop  class com.example.Cpu$Loop run() vcpu=thread
                """);
        assertThat(profile.name()).isEqualTo("other");
        assertThat(profile.pageSize()).isEqualTo(8192);
        assertThat(profile.pageShift()).isEqualTo(13);
        assertThat(profile.vcpuRule().kind()).isEqualTo(VcpuRule.Kind.FIRST_DIRTY);
        assertThat(profile.vcpuRule().pattern().matcher("cpu#3 worker").matches()).isTrue();
        assertThat(profile.harvest()).isEqualTo(Duration.ofMillis(250));
        assertThat(profile.quantum()).isEqualTo(32);
        assertThat(profile.maxVcpus()).isEqualTo(8);
        List<HookSpec> hooks = profile.hooks();
        assertThat(hooks).hasSize(4);
        HookSpec bus = hooks.get(0);
        assertThat(bus.scope()).isEqualTo(TypeScope.IMPLEMENTATIONS);
        assertThat(bus.paramTypes()).containsExactly("long", "byte[]", "int", "int");
        assertThat(bus.size()).isEqualTo(ValueSource.arg(3));
        assertThat(bus.space()).isEqualTo("ram");
        assertThat(bus.vcpu()).isEqualTo(ValueSource.THREAD);
        assertThat(bus.atExit()).isFalse();
        HookSpec poke = hooks.get(1);
        assertThat(poke.size()).isEqualTo(ValueSource.arrayLength(1));
        assertThat(poke.vcpu()).isEqualTo(ValueSource.field("id"));
        assertThat(poke.atExit()).isTrue();
        assertThat(poke.space()).isEqualTo("memory");
        HookSpec mark = hooks.get(2);
        assertThat(mark.paramTypes()).isNull();
        assertThat(mark.dedupe()).isTrue();
        assertThat(mark.valueIsAddress()).isTrue();
        assertThat(mark.tracksPages()).isTrue();
        assertThat(hooks.get(3).typeName()).isEqualTo("com.example.Cpu$Loop");
        assertThat(hooks.get(3).index()).isEqualTo(3);
        assertThat(hooks.get(3).line()).isEqualTo(11);
    }

    @Test
    void objectSpacesEndAddressesScaledSizesAndUnsignedAddresses() throws Exception {
        Profile profile = ProfileParser.parse("p", """
                vcpu-id space
                store class a.Mem write(int, byte[], int, int) address=arg0 size=arg3 space=this
                store class a.Mem fill(byte, int, int) address=arg1 end=arg2 space=this
                store class a.Cpu storex(long, long, int, int) address=arg0 size=arg2/8 space=this.ram
                store class a.Cpu storel(long, long, int) address=arg0 size=1<<arg2 space=this.ram
                store class a.Bus put(a.Mem, long, long[]) address=arg1 size=length(arg2)*8 space=arg0
                store class a.Bus put16(a.Mem, int, int) address=signed(arg1) size=arg2*4 space=arg0
                dirty-page class a.Mem mark(long) page=arg0 space=this
                vcpu-step class a.Cpu step()
                """);
        assertThat(profile.vcpuRule().kind()).isEqualTo(VcpuRule.Kind.SPACE);
        assertThat(profile.unitCredit()).as("the default").isEqualTo(Duration.ofMillis(100));
        List<HookSpec> hooks = profile.hooks();
        HookSpec write = hooks.get(0);
        assertThat(write.spaceObject()).isEqualTo(ValueSource.THIS);
        assertThat(write.space()).isNull();
        assertThat(write.objectSpace()).isTrue();
        assertThat(write.value()).isEqualTo(ValueSource.arg(0).withUnsigned(true));
        assertThat(write.size()).isEqualTo(ValueSource.arg(3));
        assertThat(write.sizeIsEnd()).isFalse();
        HookSpec fill = hooks.get(1);
        assertThat(fill.sizeIsEnd()).isTrue();
        assertThat(fill.sizeKey()).isEqualTo("end");
        assertThat(fill.size()).isEqualTo(ValueSource.arg(2).withUnsigned(true));
        assertThat(hooks.get(2).size()).isEqualTo(ValueSource.arg(2).scaled(ValueSource.Scale.DIVIDE_UP, 8));
        assertThat(hooks.get(2).spaceObject()).isEqualTo(ValueSource.field("ram"));
        assertThat(hooks.get(3).size()).isEqualTo(ValueSource.arg(2).scaled(ValueSource.Scale.SHIFT_ONE, 1));
        assertThat(hooks.get(3).size()).hasToString("1<<arg2");
        assertThat(hooks.get(4).size()).isEqualTo(ValueSource.arrayLength(2).scaled(ValueSource.Scale.MULTIPLY, 8));
        assertThat(hooks.get(4).size()).hasToString("length(arg2)*8");
        assertThat(hooks.get(4).spaceObject()).isEqualTo(ValueSource.arg(0));
        assertThat(hooks.get(5).value()).isEqualTo(ValueSource.arg(1).withUnsigned(false));
        assertThat(hooks.get(5).size()).hasToString("arg2*4");
        assertThat(hooks.get(6).dedupe()).isFalse();
        assertThat(hooks.get(6).spaceObject()).isEqualTo(ValueSource.THIS);
        assertThat(hooks.get(6).tracksPages()).isFalse();
    }

    @Test
    void unitCreditIsForVcpuIdSpaceOnly() throws Exception {
        assertThat(ProfileParser.parse("p", """
                vcpu-id space
                unit-credit 250ms
                store class a.Mem write(int, int) address=arg0 size=arg1 space=this
                """).unitCredit()).isEqualTo(Duration.ofMillis(250));
        assertThat(ProfileParser.parse("p", """
                vcpu-id thread-name "v-(\\d+)"
                store class a.Mem write(int, int) address=arg0 size=arg1 space=this
                """).unitCredit()).isNull();
        assertThatThrownBy(() -> ProfileParser.parse("p", """
                vcpu-id thread-name "v-(\\d+)"
                unit-credit 20ms
                unit-credit 2s
                store class a.Mem write(int, int) address=arg0 size=arg1 space=this
                """)).isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).containsExactly(
                "p:3: unit-credit is already given on line 2",
                "p:2: unit-credit (line 2) applies only with vcpu-id space"));
        // found by ProfileFuzzTest: "0ms" was refused (the duration parser takes only positive ones)
        assertThat(ProfileParser.parse("p", "vcpu-id space\nunit-credit 0ms\nstore class a.M w(int) address=arg0 size=1 space=this\n")
                .unitCredit()).isEqualTo(Duration.ZERO);
        assertThat(ProfileParser.parse("p", "vcpu-id space\nunit-credit 0s\nstore class a.M w(int) address=arg0 size=1 space=this\n")
                .unitCredit()).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> ProfileParser.parse("p", "vcpu-id space\nunit-credit 2s\nstore class a.M w(int) address=arg0 size=1 space=this\n"))
                .hasMessage("p:2: unit-credit '2s' must be a duration from 0ms to 1s, like 100ms");
    }

    @Test
    void namedSpacesKeepWorkingBesideObjectSpaces() throws Exception {
        Profile profile = ProfileParser.parse("p", """
                vcpu-id thread-name "cpu#(\\d+) worker"
                store class a.Bus write(long, byte[], int, int) address=arg0 size=arg3 space=ram
                store class a.Ram write(long, byte[], int, int) address=arg0 size=arg3 space=this
                dirty-page class a.Log logged(a.Ram, long) address=arg1 dedupe=yes space=arg0
                """);
        assertThat(profile.hooks().get(0).space()).isEqualTo("ram");
        assertThat(profile.hooks().get(0).objectSpace()).isFalse();
        assertThat(profile.hooks().get(1).spaceObject()).isEqualTo(ValueSource.THIS);
        assertThat(profile.hooks().get(2).spaceObject()).isEqualTo(ValueSource.arg(0));
        assertThat(profile.hooks().get(2).tracksPages()).isTrue();
    }

    @Test
    void vcpuIdSpaceNeedsAnObjectSpaceOnEveryCountingHook() {
        assertThatThrownBy(() -> ProfileParser.parse("t.profile", """
                vcpu-id space
                quantum 0
                store class a.Mem write(int, int) address=arg0 size=arg1
                store class a.Mem write2(int, int) address=arg0 size=arg1 space=ram
                ring-full class a.Cpu full()
                vcpu-loop class a.Cpu run()
                store class a.Mem write3(int, int) address=arg0 size=arg1 space=this vcpu=arg1
                dirty-page class a.Mem mark(long) page=arg0
                """)).isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).containsExactly(
                "t.profile:3: vcpu-id space needs space=this, space=argN or space=this.FIELD on every store hook: the object is the throttled unit",
                "t.profile:4: vcpu-id space needs space=this, space=argN or space=this.FIELD on every store hook: the object is the throttled unit",
                "t.profile:5: ring-full does not apply with vcpu-id space: it names no space object (units are throttled every"
                        + " quantum of pages their store and dirty-page hooks count)",
                "t.profile:6: vcpu-loop does not apply with vcpu-id space: it names no space object (units are throttled every"
                        + " quantum of pages their store and dirty-page hooks count)",
                "t.profile:7: vcpu= does not apply with vcpu-id space: the throttled unit is the hook's space object",
                "t.profile:8: vcpu-id space needs space=this, space=argN or space=this.FIELD on every dirty-page hook: the object is the throttled unit",
                "t.profile:2: quantum 0 (line 2) leaves vcpu-id space no throttle point: its units are throttled every quantum of pages"));
    }

    @Test
    void vcpuIdFieldIsTheDefaultOfEveryHook() throws Exception {
        Profile profile = ProfileParser.parse("p", """
                ring-full class a.Vcpu exit()
                vcpu-id field index
                ring-size 512
                """);
        assertThat(profile.hooks().get(0).vcpu()).isEqualTo(ValueSource.field("index"));
        assertThat(profile.ringSize()).isEqualTo(512);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "vcpu-id thread-name \"vcpu-\\d+\"                    | 1 | has no capture group",
        "vcpu-id thread-name \"vcpu-(\"                       | 1 | bad pattern",
        "vcpu-id sometimes                                    | 1 | vcpu-id must be thread-name",
        "page-size 3000                                       | 2 | page-size 3000 is not a power of two",
        "harvest soon                                         | 2 | harvest 'soon' must be a duration",
        "speed 3                                              | 2 | unknown statement 'speed'",
        "store class a.B write(long) address=arg0             | 2 | store needs size=",
        "store class a.B write(long) size=8                   | 2 | store needs address=argN",
        "store class a.B write(long) address=arg1 size=8      | 2 | address=arg1 but write has 1 parameter(s)",
        "store class a.B write(double) address=arg0 size=8    | 2 | must be an integer argument",
        "store class a.B write(long, int) address=arg0 size=length(arg1) | 2 | needs an array argument, but arg1 is int",
        "store class a.B write(long) address=arg0 size=zero   | 2 | size='zero' must be a number of bytes",
        "dirty-page class a.B mark(long)                      | 2 | needs exactly one of page=argN",
        "store class a.B fill(byte, int, double) address=arg1 end=arg2 | 2 | end=arg2 must be an integer argument (byte, short, char, int or long), but it is double",
        "store class a.B w(long) address=arg0 size=8 end=arg0 | 2 | store takes size= or end=, not both",
        "store class a.B w(long, int) address=arg0 size=arg1*0 | 2 | the factor must be a whole number from 1",
        "store class a.B w(long, int) address=arg0 size=arg1^2 | 2 | size='arg1^2' must be a number of bytes",
        "store class a.B w(long, double) address=arg0 size=1<<arg1 | 2 | size=arg1 must be an integer argument",
        "store class a.B w(long, int) address=arg0 size=8 space=arg1 | 2 | space=arg1 must be an object argument (the address space), but it is int",
        "store class a.B w(long) address=arg0 size=8 space=a/b | 2 | space='a/b' must be this, argN, this.FIELD or a name",
        "store class a.B w(double) address=signed(arg0) size=8 | 2 | address=arg0 must be an integer argument",
        "store class a.B w(long, long) address=arg0 size=length(arg1)*8 | 2 | needs an array argument, but arg1 is long",
        "dirty-page class a.B mark(long) page=arg0 space=x    | 2 | space= applies to dirty-page only with dedupe=yes",
        "ring-full class a.B full() page=arg0                 | 2 | 'page=' does not apply to ring-full",
        "ring-full class a.B full() at=later                  | 2 | at='later' must be enter or exit",
        "ring-full class a.B full() vcpu=me                   | 2 | vcpu='me' must be thread, argN or this.FIELD",
        "vcpu-loop class a.B run() at=exit                    | 2 | would never run for a loop that does not return",
        "ring-full module a.B full()                          | 2 | 'module' is not one of class, subclasses-of",
        "ring-full class a..B full()                          | 2 | 'a..B' is not a class name",
        "ring-full class a.B full                             | 2 | is not a method with parameter types",
        "ring-full class a.B full(String)                     | 2 | parameter type 'String' must be a primitive or a fully qualified",
        "ring-full class a.B full(                            | 2 | unbalanced '('",
        "name \"unterminated                                   | 2 | unterminated quote",
    })
    void errorsNameTheFileAndLine(String statement, int line, String message) {
        String text = line == 1 ? statement + "\nring-full class a.B c()\nring-size 1\n"
                : "vcpu-id thread-name \"v-(\\d+)\"\n" + statement + "\ndirty-page class a.B d(long) page=arg0\n";
        assertThatThrownBy(() -> ProfileParser.parse("/etc/x.profile", text))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("/etc/x.profile:" + line + ": ")
                .hasMessageContaining(message.trim());
    }

    @Test
    void wholeProfileErrorsAndAllErrorsAtOnce() {
        assertThatThrownBy(() -> ProfileParser.parse("f", "name a\nname b\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).containsExactly(
                        "f:2: name is already given on line 1",
                        "f:2: no vcpu-id line: say how a thread is known to be vCPU N (thread-name, field, first-dirty or per-hook)"
                                + " or that each space object is a unit (space)",
                        "f:2: no hooks: add at least one ring-full, dirty-page or store line"));
        assertThatThrownBy(() -> ProfileParser.parse("f", "vcpu-id per-hook\nring-full class a.B c()\n"))
                .hasMessageContaining("f:2: nothing counts dirtied pages: add ring-size N");
        assertThatThrownBy(() -> ProfileParser.parse("f", "vcpu-id per-hook\nring-size 8\ndirty-page class a.B c(long) page=arg0\n"))
                .hasMessageContaining("f:2: ring-size 8 (line 2) would count pages twice");
        assertThatThrownBy(() -> ProfileParser.parse("f", "vcpu-id per-hook\nvcpu-loop class a.B run()\n"))
                .hasMessageContaining("f:2: no hook throttles");
        assertThatThrownBy(() -> ProfileParser.parse("f", "")).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.errors()).allMatch(line -> line.startsWith("f:1: ")));
    }

    @Test
    void aProfileFileIsReadFromDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("other.profile");
        Files.writeString(file, "vcpu-id thread-name \"cpu#(\\d+) worker\"\nstore class a.Bus w(long) address=arg0 size=8\n");
        Profile profile = Profiles.load(file.toString());
        assertThat(profile.origin()).isEqualTo(file.toString());
        assertThat(profile.name()).isEqualTo(file.toString());

        Files.writeString(file, "vcpu-id nope\n");
        assertThatThrownBy(() -> Profiles.load(file.toString())).hasMessageStartingWith(file + ":1: vcpu-id must be");
        assertThatThrownBy(() -> Profiles.load(dir.resolve("missing").toString()))
                .hasMessageContaining("missing: no such profile file (built-in profiles: toyvm, toyvm-bitmap, toyvm-store)");
    }

    /** Found by ProfileFuzzTest: quantum with two values threw NullPointerException (an unboxed null). */
    @Test
    void quantumWithTwoValuesIsAnError() {
        assertThatThrownBy(() -> ProfileParser.parse("f", "vcpu-id per-hook\nquantum 1 2\nring-full class a.B c()\nring-size 4\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors())
                        .containsExactly("f:2: quantum takes exactly one value"));
    }

    /** Found by ProfileFuzzTest (once its junk hooks named arguments beyond int): NumberFormatException. */
    @Test
    void anArrayLengthOfAnArgumentBeyondIntIsAnError() {
        assertThatThrownBy(() -> ProfileParser.parse("f", "vcpu-id per-hook\n"
                + "store class a.B w(long, byte[]) address=arg0 size=length(arg99999999999)\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).singleElement()
                        .asString().startsWith("f:2: size="));
    }

    /** Pattern.compile recurses per group; the JDK reports a stack overflow there as a syntax error. */
    @Test
    void aDeeplyNestedPatternIsAnErrorNotACrash() {
        String deep = "(".repeat(200_000) + "a" + ")".repeat(200_000);
        assertThatThrownBy(() -> ProfileParser.parse("f", "vcpu-id thread-name \"" + deep + "\"\nring-full class a.B c()\nring-size 4\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).singleElement()
                        .asString().startsWith("f:1: "));
    }

    @Test
    void errorsEchoingControlCharactersStayOnOneLine() {
        assertThatThrownBy(() -> ProfileParser.parse("f", "name \"a\rb\" c\nvcpu-id per-hook\nring-full class a.B c()\nring-size 4\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors())
                        .containsExactly("f:1: name takes exactly one value"));
        assertThatThrownBy(() -> ProfileParser.parse("f", "vcpu-id thread-name \"\u0001(\"\nring-full class a.B c()\nring-size 4\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors().get(0))
                        .startsWith("f:1: bad pattern \"\\u0001(\"").doesNotContain("\u0001"));
    }

    /** Like the tool's check (CommandLineFuzzTest found it there): a name that is no path is a profile error. */
    @Test
    void aProfileNameThatIsNoPathIsAProfileError() {
        assertThatThrownBy(() -> Profiles.load("a\0b"))
                .isInstanceOf(ProfileException.class)
                .hasMessageStartingWith("profile 'a\\u0000b' is not a file path");
    }
}
