package io.dirtylimit.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.agent.fuzz.Fuzz;
import io.dirtylimit.core.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the profile format: any text parses or fails with a {@link ProfileException} whose every
 * error reads {@code FILE:LINE: message} (a line of the file, one line of text), never another
 * exception; a profile that parses prints ({@link ProfilePrinter}) to text that parses to the same
 * profile; profiles generated from the grammar, written in any layout, parse to exactly what was
 * generated.
 *
 * <p>The grammar covers every form: object spaces ({@code space=this|argN|this.FIELD}) and named
 * ones, {@code end=}, scaled sizes, {@code signed(argN)}, {@code vcpu-id space} with
 * {@code unit-credit}; each role is one generator in {@link #HOOKS} and each value form one choice
 * in its generator, so new forms are one more entry.
 */
class ProfileFuzzTest {
    private static final String ORIGIN = "/etc/fuzz.profile";
    private static final Pattern ERROR = Pattern.compile(Pattern.quote(ORIGIN) + ":(\\d+): [^\\n\\r]+");
    private static final String ALPHABET = " \t#\"\\()=,.*$_-:[]0123456789acdefghiklmnoprstuvyz";
    private static final Set<String> INTEGRAL = Set.of("byte", "short", "char", "int", "long");
    private static final List<String> TYPES = List.of("int", "long", "short", "byte", "char", "boolean", "double", "byte[]",
            "long[][]", "java.lang.String", "com.example.Outer$Inner", "int[]");

    /** A generated profile: its lines (globals anywhere, hooks in order) and the profile they must give. */
    record Generated(List<String> globals, List<String> hooks, Profile expected) {}

    /** A generated hook line and the spec it must give (its index and line filled in later). */
    record Hook(String text, HookSpec spec) {}

    /** One generator per role: a new role or key form is one more entry or choice. */
    private static final List<BiFunction<Fuzz, VcpuRule, Hook>> HOOKS = List.of(
            (f, rule) -> simple(f, rule, Role.RING_FULL),
            ProfileFuzzTest::dirtyPage,
            ProfileFuzzTest::store,
            (f, rule) -> simple(f, rule, Role.VCPU_LOOP),
            (f, rule) -> simple(f, rule, Role.VCPU_STEP),
            ProfileFuzzTest::migrationStart,
            ProfileFuzzTest::migrationPass,
            ProfileFuzzTest::migrationEnd);

    /** With vcpu-id space: the roles that apply (no ring-full or vcpu-loop; stores and dirty pages name an object). */
    private static final List<BiFunction<Fuzz, VcpuRule, Hook>> UNIT_HOOKS = List.of(
            ProfileFuzzTest::dirtyPage,
            ProfileFuzzTest::store,
            (f, rule) -> simple(f, rule, Role.VCPU_STEP),
            ProfileFuzzTest::migrationStart,
            ProfileFuzzTest::migrationPass,
            ProfileFuzzTest::migrationEnd);

    @Test
    void anyTextParsesOrFailsWithFileAndLine() {
        Fuzz.check(14_101, Fuzz.TRIES, ProfileFuzzTest::anyText, text -> {
            Profile profile;
            try {
                profile = ProfileParser.parse(ORIGIN, text);
            } catch (ProfileException e) {
                int lines = Math.max(1, text.split("\r?\n", -1).length);
                if (e.errors().isEmpty()) {
                    throw new AssertionError("a ProfileException without errors");
                }
                for (String error : e.errors()) {
                    Matcher m = ERROR.matcher(error);
                    int line = m.matches() ? Integer.parseInt(m.group(1)) : -1;
                    if (line < 1 || line > lines || error.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                        throw new AssertionError("not FILE:LINE: message on one line, LINE in 1.." + lines + ": " + Fuzz.show(error));
                    }
                }
                return;
            }
            assertRoundTrip(profile);
        });
    }

    @Test
    void generatedProfilesParseToWhatWasGenerated() {
        Fuzz.check(14_102, 30_000, f -> layout(valid(f), f), laid -> {
            Profile profile = parse(laid.text());
            assertThat(semantic(profile)).as(laid.text()).isEqualTo(semantic(laid.expected()));
            assertThat(profile.hooks()).extracting(HookSpec::line).containsExactlyElementsOf(
                    laid.expected().hooks().stream().map(HookSpec::line).toList());
            assertRoundTrip(profile);
        });
    }

    private static void assertRoundTrip(Profile profile) {
        String printed = ProfilePrinter.print(profile);
        Profile again = parse(printed);
        assertThat(semantic(again)).as(printed).isEqualTo(semantic(profile));
        assertThat(ProfilePrinter.print(again)).isEqualTo(printed);
    }

    // ---- input

    private static String anyText(Fuzz f) {
        return switch (f.below(6)) {
            case 0 -> junkLines(f);
            case 5 -> junkHooks(f);
            case 1, 2 -> f.mutate(layout(valid(f), f).text(), ALPHABET);
            case 3 -> mixed(f);
            default -> layout(valid(f), f).text();
        };
    }

    private static String junkLines(Fuzz f) {
        List<String> lines = new ArrayList<>();
        for (int n = f.below(6); n > 0; n--) {
            lines.add(f.chance(0.5) ? f.text(ALPHABET, 50) : f.pick(keywords()) + " " + f.text(ALPHABET, 40));
        }
        return String.join(f.chance(0.9) ? "\n" : "\r\n", lines);
    }

    /** Valid globals and hook lines whose keys take any value form, with argument numbers at the limits. */
    private static String junkHooks(Fuzz f) {
        Generated g = valid(f);
        List<String> lines = new ArrayList<>(g.globals());
        for (int n = f.between(1, 4); n > 0; n--) {
            Method m = method(f);
            List<String> words = new ArrayList<>(List.of(f.pick(Role.values()).keyword(), m.scope(), m.type(), m.written()));
            for (int k = f.below(5); k > 0; k--) {
                words.add(f.pick("page", "address", "size", "vcpu", "at", "dedupe", "space", "bandwidth", "downtime", "sent",
                        "dirtied", "end", f.word("abz-", 1, 6)) + "=" + junkValue(f));
            }
            lines.add(String.join(" ", words));
        }
        return String.join("\n", lines);
    }

    private static String junkValue(Fuzz f) {
        String n = f.chance(0.5) ? Long.toString(f.edgyLong()) : f.pick("0", "1", "7", "99999999999", "2147483648", "-1", "+3", "00");
        String k = f.pick("0", "1", "8", "1073741824", "1073741825", Long.toString(f.edgyLong()));
        return f.pick("arg" + n, "length(arg" + n + ")", "length( arg" + n + " )", n, "this." + f.word("abc_$", 0, 5), "thread",
                "signed(arg" + n + ")", "arg" + n + "*" + k, "arg" + n + "/" + k, "length(arg" + n + ")*" + k, "1<<arg" + n, "this",
                "yes", "no", "enter", "exit", f.word("abcXYZ019_.-", 0, 10), f.text(ALPHABET, 10));
    }

    /** A valid profile with one line replaced by junk or by a line of another profile. */
    private static String mixed(Fuzz f) {
        Generated g = valid(f);
        List<String> lines = new ArrayList<>(g.globals());
        lines.addAll(g.hooks());
        int at = f.below(lines.size());
        lines.set(at, f.chance(0.5) ? f.pick(keywords()) + " " + f.text(ALPHABET, 30) : f.mutate(lines.get(at), ALPHABET));
        if (f.chance(0.2)) {
            int deep = f.chance(0.02) ? f.between(1, 3000) : f.between(1, 40);
            lines.add(f.pick("vcpu-id thread-name \"" + "(".repeat(deep) + "\"",
                    "vcpu-id thread-name \"" + "(a".repeat(deep) + ")".repeat(deep) + "\"",
                    "page-size " + f.edgyLong(), "max-vcpus " + f.edgyLong(), "harvest " + f.text("0123456789.emsh-", 12)));
        }
        return String.join("\n", lines);
    }

    private static List<String> keywords() {
        List<String> all = new ArrayList<>(List.of("name", "page-size", "vcpu-id", "ring-size", "quantum", "harvest", "max-vcpus",
                "unit-credit"));
        for (Role role : Role.values()) {
            all.add(role.keyword());
        }
        return all;
    }

    /** A valid profile of random shape. */
    private static Generated valid(Fuzz f) {
        List<String> globals = new ArrayList<>();
        String name = ORIGIN;
        if (f.chance(0.6)) {
            name = f.chance(0.7) ? f.word("abcxyz-_.0123456789", 1, 12) : f.text("abc \t\"\\()#=", 12);
            globals.add("name " + ProfilePrinter.token(name));
        }
        int pageSize = 4096;
        if (f.chance(0.4)) {
            pageSize = 1 << f.between(8, 30);
            globals.add("page-size " + pageSize);
        }
        VcpuRule rule = vcpuRule(f, globals);
        Duration harvest = Duration.ofSeconds(1);
        if (f.chance(0.3)) {
            harvest = Duration.ofMillis(f.between(1, 60_000));
            globals.add("harvest " + f.pick(harvest.toMillis() + "ms", Durations.format(harvest)));
        }
        int maxVcpus = 1024;
        if (f.chance(0.3)) {
            maxVcpus = f.between(1, 1 << 16);
            globals.add("max-vcpus " + maxVcpus);
        }
        boolean units = rule.kind() == VcpuRule.Kind.SPACE;
        Integer quantum = null;
        if (f.chance(0.3)) {
            quantum = f.chance(0.5) && !units ? 0 : f.between(1, Integer.MAX_VALUE);
            globals.add("quantum " + quantum);
        }
        Duration unitCredit = null;
        if (units) {
            unitCredit = ProfileStatements.DEFAULT_UNIT_CREDIT;
            if (f.chance(0.5)) {
                unitCredit = Duration.ofMillis(f.between(0, 1000));
                globals.add("unit-credit " + f.pick(unitCredit.toMillis() + "ms", Durations.format(unitCredit)));
            }
        }
        List<Hook> hooks = new ArrayList<>();
        for (int n = f.between(1, 6); n > 0; n--) {
            hooks.add(units ? f.pick(UNIT_HOOKS).apply(f, rule) : f.pick(HOOKS).apply(f, rule));
        }
        while (units && hooks.stream().noneMatch(h -> h.spec().role() == Role.STORE || h.spec().role() == Role.DIRTY_PAGE)) {
            hooks.add(store(f, rule));
        }
        boolean ringFull = hooks.stream().anyMatch(h -> h.spec().role() == Role.RING_FULL);
        boolean counting = hooks.stream().anyMatch(h -> h.spec().role() == Role.DIRTY_PAGE || h.spec().role() == Role.STORE);
        int ringSize = 0;
        if (ringFull && !counting) {
            ringSize = f.between(1, Integer.MAX_VALUE);
            globals.add("ring-size " + ringSize);
        } else if (!ringFull && !counting) {
            hooks.add(simple(f, rule, Role.RING_FULL));
            ringSize = f.between(1, 1 << 20);
            globals.add("ring-size " + ringSize);
        }
        List<HookSpec> specs = new ArrayList<>();
        for (int i = 0; i < hooks.size(); i++) {
            HookSpec h = hooks.get(i).spec();
            specs.add(new HookSpec(i, 0, h.role(), h.scope(), h.typeName(), h.methodName(), h.paramTypes(), h.vcpu(), h.value(),
                    h.valueIsAddress(), h.size(), h.atExit(), h.dedupe(), h.space(), h.spaceObject(), h.sizeIsEnd()));
        }
        Profile expected = new Profile(name, ORIGIN, "", pageSize, rule, ringSize, quantum, harvest, maxVcpus, specs, unitCredit);
        return new Generated(globals, hooks.stream().map(Hook::text).toList(), expected);
    }

    private static VcpuRule vcpuRule(Fuzz f, List<String> globals) {
        VcpuRule rule = switch (f.below(5)) {
            case 0 -> new VcpuRule(VcpuRule.Kind.THREAD_NAME, Pattern.compile(f.pick("vcpu-(\\d+)", "cpu#(\\d+) worker",
                    "(?:kvm|tcg)-(\\d+)\\.\"x\"", "a(b)c\\\\", "CPU (\\d+)/KVM")), null);
            case 1 -> new VcpuRule(VcpuRule.Kind.FIELD, null, f.pick("index", "cpu_index", "$id", "n0"));
            case 2 -> new VcpuRule(VcpuRule.Kind.FIRST_DIRTY, f.chance(0.5) ? null : Pattern.compile(f.pick("worker-.*", "a b(c)")), null);
            case 3 -> new VcpuRule(VcpuRule.Kind.SPACE, null, null);
            default -> new VcpuRule(VcpuRule.Kind.PER_HOOK, null, null);
        };
        globals.add("vcpu-id " + switch (rule.kind()) {
            case THREAD_NAME -> "thread-name " + quoted(f, rule.pattern().pattern());
            case FIELD -> "field " + rule.field();
            case FIRST_DIRTY -> "first-dirty" + (rule.pattern() == null ? "" : " " + quoted(f, rule.pattern().pattern()));
            case PER_HOOK -> "per-hook";
            case SPACE -> "space";
        });
        return rule;
    }

    /** The token as the printer writes it, or quoted whole where that reads the same (no backslash at its end). */
    private static String quoted(Fuzz f, String text) {
        return f.chance(0.5) && !text.endsWith("\\") ? "\"" + text.replace("\"", "\\\"") + "\"" : ProfilePrinter.token(text);
    }

    // ---- hook lines, one generator per role

    /** A method: name, parameter types (or * for any) and the head of the hook line. */
    private record Method(String scope, TypeScope typeScope, String type, String name, List<String> params, String written) {}

    private static Method method(Fuzz f) {
        TypeScope scope = f.pick(TypeScope.values());
        String type = f.pick("a.B", "io.example.Vcpu", "com.example.Outer$Inner", "x.y_z.C1");
        String name = f.pick("run", "handleRingFull", "write", "pageDirtied", "$step", "w2");
        List<String> params = null;
        String list = "*";
        if (f.chance(0.85)) {
            params = new ArrayList<>();
            for (int n = f.below(5); n > 0; n--) {
                params.add(f.pick(TYPES));
            }
            list = String.join("," + f.blanks(2), params);
            params = List.copyOf(params);
        }
        return new Method(scope.keyword(), scope, type, name, params, name + "(" + f.blanks(1) + list + f.blanks(1) + ")");
    }

    /** argN of an integer parameter (any N when the parameters are not given), or null when there is none. */
    private static Integer integralArg(Fuzz f, Method m) {
        if (m.params() == null) {
            return f.chance(0.8) ? f.below(6) : f.between(0, Integer.MAX_VALUE);
        }
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < m.params().size(); i++) {
            if (INTEGRAL.contains(m.params().get(i))) {
                candidates.add(i);
            }
        }
        return candidates.isEmpty() ? null : f.pick(candidates);
    }

    private static Integer arrayArg(Fuzz f, Method m) {
        if (m.params() == null) {
            return f.below(6);
        }
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < m.params().size(); i++) {
            if (m.params().get(i).endsWith("[]")) {
                candidates.add(i);
            }
        }
        return candidates.isEmpty() ? null : f.pick(candidates);
    }

    /** Keys of a vCPU hook: vcpu= (or the rule's default) and at=. */
    private record Common(List<String> keys, ValueSource vcpu, boolean atExit) {}

    private static Common common(Fuzz f, VcpuRule rule, Role role, Method m) {
        List<String> keys = new ArrayList<>();
        ValueSource vcpu = rule.kind() == VcpuRule.Kind.FIELD ? ValueSource.field(rule.field()) : ValueSource.THREAD;
        if (rule.kind() != VcpuRule.Kind.SPACE && f.chance(0.5)) {
            Integer arg = integralArg(f, m);
            switch (f.below(3)) {
                case 0 -> vcpu = ValueSource.THREAD;
                case 1 -> vcpu = ValueSource.field(f.pick("index", "id", "_cpu"));
                default -> vcpu = arg == null ? ValueSource.THREAD : ValueSource.arg(arg);
            }
            keys.add("vcpu=" + vcpu);
        }
        boolean atExit = role == Role.RING_FULL || role == Role.VCPU_STEP;
        if (f.chance(0.5)) {
            atExit = role != Role.VCPU_LOOP && f.chance(0.5);
            keys.add("at=" + (atExit ? "exit" : "enter"));
        }
        return new Common(keys, vcpu, atExit);
    }

    private static Hook simple(Fuzz f, VcpuRule rule, Role role) {
        Method m = method(f);
        Common c = common(f, rule, role, m);
        return hook(f, role, m, c.keys(), new HookSpec(0, 0, role, m.typeScope(), m.type(), m.name(), m.params(),
                c.vcpu(), null, false, null, c.atExit(), false, null, null, false));
    }

    private static Hook dirtyPage(Fuzz f, VcpuRule rule) {
        Method m = method(f);
        Integer arg = integralArg(f, m);
        if (arg == null) {
            return simple(f, rule, rule.kind() == VcpuRule.Kind.SPACE ? Role.VCPU_STEP : Role.RING_FULL);
        }
        Common c = common(f, rule, Role.DIRTY_PAGE, m);
        List<String> keys = new ArrayList<>(c.keys());
        boolean address = f.chance(0.5);
        ValueSource value = address(f, keys, address ? "address" : "page", arg);
        boolean units = rule.kind() == VcpuRule.Kind.SPACE;
        boolean dedupe = f.chance(0.4);
        if (dedupe || f.chance(0.3)) {
            keys.add("dedupe=" + (dedupe ? "yes" : "no"));
        }
        String space = dedupe && !units ? "memory" : null;
        ValueSource spaceObject = null;
        if (units || (dedupe && f.chance(0.3))) {
            spaceObject = spaceObject(f, m, keys);
            space = null;
        } else if (dedupe && f.chance(0.5)) {
            space = f.word("abcXYZ019_.-", 1, 10);
            keys.add("space=" + space);
        }
        return hook(f, Role.DIRTY_PAGE, m, keys, new HookSpec(0, 0, Role.DIRTY_PAGE, m.typeScope(), m.type(), m.name(), m.params(),
                c.vcpu(), value, address, null, c.atExit(), dedupe, space, spaceObject, false));
    }

    private static Hook store(Fuzz f, VcpuRule rule) {
        Method m = method(f);
        Integer arg = integralArg(f, m);
        if (arg == null) {
            return simple(f, rule, rule.kind() == VcpuRule.Kind.SPACE ? Role.VCPU_STEP : Role.RING_FULL);
        }
        Common c = common(f, rule, Role.STORE, m);
        List<String> keys = new ArrayList<>(c.keys());
        ValueSource address = address(f, keys, "address", arg);
        ValueSource size;
        Integer array = arrayArg(f, m);
        Integer sizeArg = integralArg(f, m);
        boolean end = false;
        long factor = f.chance(0.7) ? f.pick(2L, 4L, 8L, 4096L) : f.between(1L, 1L << 30);
        switch (f.below(8)) {
            case 0 -> size = array == null ? ValueSource.constant(8) : ValueSource.arrayLength(array);
            case 1 -> size = ValueSource.arg(sizeArg);
            case 2 -> size = ValueSource.arg(sizeArg).scaled(ValueSource.Scale.MULTIPLY, factor);
            case 3 -> size = ValueSource.arg(sizeArg).scaled(ValueSource.Scale.DIVIDE_UP, factor);
            case 4 -> size = array == null ? ValueSource.arg(sizeArg).scaled(ValueSource.Scale.SHIFT_ONE, 1)
                    : ValueSource.arrayLength(array).scaled(ValueSource.Scale.MULTIPLY, factor);
            case 5 -> size = ValueSource.arg(sizeArg).scaled(ValueSource.Scale.SHIFT_ONE, 1);
            case 6 -> {
                end = true;
                size = null;
            }
            default -> size = ValueSource.constant(f.chance(0.5) ? f.pick(1L, 2L, 4L, 8L, 4096L) : f.between(1L, Long.MAX_VALUE));
        }
        if (end) {
            size = address(f, keys, "end", sizeArg);
        } else {
            keys.add("size=" + (size.kind() == ValueSource.Kind.ARRAY_LENGTH && size.scale() == ValueSource.Scale.NONE && f.chance(0.3)
                    ? "length( arg" + size.arg() + " )" : size));
        }
        String space = "memory";
        ValueSource spaceObject = null;
        if (rule.kind() == VcpuRule.Kind.SPACE || f.chance(0.3)) {
            spaceObject = spaceObject(f, m, keys);
            space = null;
        } else if (f.chance(0.4)) {
            space = f.word("abcXYZ019_.-", 1, 10);
            keys.add("space=" + space);
        }
        return hook(f, Role.STORE, m, keys, new HookSpec(0, 0, Role.STORE, m.typeScope(), m.type(), m.name(), m.params(),
                c.vcpu(), address, true, size, c.atExit(), false, space, spaceObject, end));
    }

    /** An address, page or end key on argument {@code arg}: unsigned, unless written signed(argN). */
    private static ValueSource address(Fuzz f, List<String> keys, String key, int arg) {
        boolean signed = f.chance(0.2);
        keys.add(key + "=" + (signed ? "signed(arg" + arg + ")" : "arg" + arg));
        return ValueSource.arg(arg).withUnsigned(!signed);
    }

    /** space=this, space=this.FIELD or space=argN of an object parameter. */
    private static ValueSource spaceObject(Fuzz f, Method m, List<String> keys) {
        List<ValueSource> choices = new ArrayList<>(List.of(ValueSource.THIS, ValueSource.field(f.pick("memory", "ram", "$m", "mem_1"))));
        if (m.params() == null) {
            choices.add(ValueSource.arg(f.below(6)));
        } else {
            for (int i = 0; i < m.params().size(); i++) {
                if (!INTEGRAL.contains(m.params().get(i)) && !Set.of("boolean", "double").contains(m.params().get(i))) {
                    choices.add(ValueSource.arg(i));
                }
            }
        }
        ValueSource space = f.pick(choices);
        keys.add("space=" + space);
        return space;
    }

    private static Hook migrationStart(Fuzz f, VcpuRule rule) {
        Method m = method(f);
        List<String> keys = new ArrayList<>();
        ValueSource bandwidth = ValueSource.constant(-1);
        ValueSource downtime = ValueSource.constant(-1);
        Integer arg = integralArg(f, m);
        if (arg != null && f.chance(0.6)) {
            bandwidth = ValueSource.arg(arg);
            keys.add("bandwidth=" + bandwidth);
        }
        arg = integralArg(f, m);
        if (arg != null && f.chance(0.6)) {
            downtime = ValueSource.arg(arg);
            keys.add("downtime=" + downtime);
        }
        boolean atExit = f.chance(0.3);
        if (atExit || f.chance(0.3)) {
            keys.add("at=" + (atExit ? "exit" : "enter"));
        }
        return hook(f, Role.MIGRATION_START, m, keys, new HookSpec(0, 0, Role.MIGRATION_START, m.typeScope(), m.type(), m.name(),
                m.params(), ValueSource.THREAD, bandwidth, false, downtime, atExit, false, null, null, false));
    }

    private static Hook migrationPass(Fuzz f, VcpuRule rule) {
        Method m = method(f);
        Integer sent = integralArg(f, m);
        Integer dirtied = integralArg(f, m);
        if (sent == null || dirtied == null) {
            return migrationEnd(f, rule);
        }
        List<String> keys = new ArrayList<>(List.of("sent=arg" + sent, "dirtied=arg" + dirtied));
        boolean atExit = f.chance(0.3);
        if (atExit) {
            keys.add("at=exit");
        }
        return hook(f, Role.MIGRATION_PASS, m, keys, new HookSpec(0, 0, Role.MIGRATION_PASS, m.typeScope(), m.type(), m.name(),
                m.params(), ValueSource.THREAD, ValueSource.arg(sent), false, ValueSource.arg(dirtied), atExit, false, null, null, false));
    }

    private static Hook migrationEnd(Fuzz f, VcpuRule rule) {
        Method m = method(f);
        boolean atExit = f.chance(0.5);
        return hook(f, Role.MIGRATION_END, m, atExit ? List.of("at=exit") : List.of(), new HookSpec(0, 0, Role.MIGRATION_END,
                m.typeScope(), m.type(), m.name(), m.params(), ValueSource.THREAD, null, false, null, atExit, false, null, null, false));
    }

    private static Hook hook(Fuzz f, Role role, Method m, List<String> keys, HookSpec spec) {
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new Random(f.between(0L, Long.MAX_VALUE)));
        List<String> words = new ArrayList<>(List.of(role.keyword(), m.scope(), m.type(), m.written()));
        words.addAll(shuffled);
        return new Hook(String.join(" ", words), spec);
    }

    // ---- layout and comparison

    /** A profile's text and the profile it must give (the hooks' line numbers filled in). */
    record Laid(String text, Profile expected) {}

    /**
     * The profile's lines in a random layout: globals in random places between the hooks (which keep
     * their order), blanks, comments, blank lines, CRLF.
     */
    private static Laid layout(Generated g, Fuzz f) {
        List<String> lines = new ArrayList<>();
        List<String> globals = new ArrayList<>(g.globals());
        Collections.shuffle(globals, new Random(f.between(0L, Long.MAX_VALUE)));
        List<Integer> hookLines = new ArrayList<>();
        int hook = 0;
        int global = 0;
        while (hook < g.hooks().size() || global < globals.size()) {
            if (f.chance(0.3)) {
                lines.add(f.chance(0.5) ? "" : f.blanks(2) + "# " + f.text(ALPHABET, 20).replace("\n", "").replace("\r", ""));
            }
            boolean takeHook = global >= globals.size() || (hook < g.hooks().size() && f.chance(0.5));
            String line = takeHook ? g.hooks().get(hook++) : globals.get(global++);
            String separator = f.pick(" ", "  ", "\t", " \t ");
            lines.add(f.blanks(2) + spread(line, separator) + f.blanks(2) + (f.chance(0.2) ? " # " + f.word("abc #\"()", 0, 12) : ""));
            if (takeHook) {
                hookLines.add(lines.size());
            }
        }
        String text = String.join(f.chance(0.8) ? "\n" : "\r\n", lines) + (f.chance(0.7) ? "\n" : "");
        Profile e = g.expected();
        List<HookSpec> hooks = new ArrayList<>();
        for (int i = 0; i < e.hooks().size(); i++) {
            HookSpec h = e.hooks().get(i);
            hooks.add(new HookSpec(i, hookLines.get(i), h.role(), h.scope(), h.typeName(), h.methodName(), h.paramTypes(), h.vcpu(),
                    h.value(), h.valueIsAddress(), h.size(), h.atExit(), h.dedupe(), h.space(), h.spaceObject(), h.sizeIsEnd()));
        }
        return new Laid(text, new Profile(e.name(), e.origin(), text, e.pageSize(), e.vcpuRule(), e.ringSize(), e.quantum(),
                e.harvest(), e.maxVcpus(), hooks, e.unitCredit()));
    }

    /** The line with {@code separator} between its tokens (blanks inside quotes and parentheses kept). */
    private static String spread(String line, String separator) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && depth == 0 && (i == 0 || line.charAt(i - 1) != '\\' || !quoted)) {
                quoted = !quoted;
            } else if (!quoted) {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            }
            out.append(c == ' ' && !quoted && depth == 0 ? separator : String.valueOf(c));
        }
        return out.toString();
    }

    /** Everything a profile says, but where it was said (text, origin, line numbers). */
    private static String semantic(Profile p) {
        StringBuilder text = new StringBuilder().append(p.name()).append('|').append(p.pageSize()).append('|').append(p.vcpuRule())
                .append('|').append(p.ringSize()).append('|').append(p.quantum()).append('|').append(p.harvest()).append('|')
                .append(p.maxVcpus()).append('|').append(p.unitCredit());
        for (HookSpec h : p.hooks()) {
            text.append('\n').append(new HookSpec(h.index(), 0, h.role(), h.scope(), h.typeName(), h.methodName(), h.paramTypes(),
                    h.vcpu(), h.value(), h.valueIsAddress(), h.size(), h.atExit(), h.dedupe(), h.space(), h.spaceObject(),
                    h.sizeIsEnd()));
        }
        return text.toString();
    }

    private static Profile parse(String text) {
        try {
            return ProfileParser.parse(ORIGIN, text);
        } catch (ProfileException e) {
            throw new AssertionError("did not parse:\n" + text + "\n" + e.getMessage(), e);
        }
    }
}
