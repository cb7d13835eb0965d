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
        assertThat(toyvm.hooks().get(1).value()).isEqualTo(ValueSource.arg(0));
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
                        "f:2: no vcpu-id line: say how a thread is known to be vCPU N (thread-name, field, first-dirty or per-hook)",
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
