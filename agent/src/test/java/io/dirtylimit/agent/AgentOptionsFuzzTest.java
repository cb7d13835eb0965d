package io.dirtylimit.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.agent.control.LimitSpec;
import io.dirtylimit.agent.fuzz.Fuzz;
import io.dirtylimit.core.Durations;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the agent options ({@code -javaagent:...=OPTIONS}, {@code attach PID OPTIONS}): any text
 * either parses or fails with one {@link OptionsException} line, never another exception; what
 * parses prints back ({@link AgentOptions#format}) to text that parses to the same options; and
 * options generated from the grammar parse to exactly what was generated.
 */
class AgentOptionsFuzzTest {
    private static final String ALPHABET = "=,;:.-+ eEKMGkmgs0123456789abcdefghilmnoprstuvwy/_";

    /** One option as written and as {@link AgentOptions#format} prints it. */
    record Option(String key, String written, String canonical) {}

    /** The grammar, one generator per key: a new key or value form is one more entry. */
    private static final List<Function<Fuzz, Option>> KEYS = List.of(
            AgentOptionsFuzzTest::profile,
            AgentOptionsFuzzTest::limit,
            f -> duration(f, "period", 10, 10_000),
            f -> word(f, "policy", "model", "pi", "linear", "qemu", "v9"),
            AgentOptionsFuzzTest::quantum,
            f -> anyCase(f, "guard", "auto", "on", "off"),
            f -> word(f, "counting", "auto", "always"),
            f -> anyCase(f, "log", "off", "error", "warn", "info", "debug"),
            f -> word(f, "migration", "auto", "off"),
            f -> word(f, "migration-mode", "off", "fit", "qemu", "auto-converge"),
            AgentOptionsFuzzTest::migrationLimit,
            f -> number(f, "migration-threshold", 1, 100),
            f -> duration(f, "migration-period", 1, 1000),
            f -> number(f, "migration-budget", 1, 95),
            AgentOptionsFuzzTest::report,
            AgentOptionsFuzzTest::faultEvery);

    @Test
    void anyTextParsesOrFailsWithOneLine() {
        Fuzz.check(14_001, Fuzz.TRIES, AgentOptionsFuzzTest::anyText, text -> {
            AgentOptions options;
            try {
                options = AgentOptions.parse(text);
            } catch (OptionsException e) {
                assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
                return;
            }
            AgentOptions again = parse(options.format());
            assertThat(again).isEqualTo(options);
            assertThat(again.format()).isEqualTo(options.format());
        });
    }

    @Test
    void generatedOptionsParseToWhatWasGenerated() {
        Fuzz.check(14_002, 30_000, AgentOptionsFuzzTest::validOptions, given -> {
            String text = written(given);
            AgentOptions options = parse(text);
            assertThat(options.format()).as(text).isEqualTo(canonical(given));
            assertThat(parse(options.format())).isEqualTo(options);
        });
    }

    private static String anyText(Fuzz f) {
        return switch (f.below(3)) {
            case 0 -> f.text(ALPHABET, 60);
            case 1 -> f.mutate(written(validOptions(f)), ALPHABET);
            default -> written(validOptions(f));
        };
    }

    /** Some keys, each at most once, in any order. */
    private static List<Option> validOptions(Fuzz f) {
        List<Option> options = new ArrayList<>();
        for (Function<Fuzz, Option> key : KEYS) {
            if (f.chance(0.35)) {
                options.add(key.apply(f));
            }
        }
        Collections.shuffle(options, new java.util.Random(f.between(0L, Long.MAX_VALUE)));
        return options;
    }

    // ---- one generator per key

    private static Option profile(Fuzz f) {
        String value = f.chance(0.5) ? f.pick("toyvm", "toyvm-bitmap", "toyvm-store") : f.word("abcxyz/._- ", 1, 20);
        return value.isBlank() ? padded(f, "profile", "toyvm", "toyvm") : padded(f, "profile", value, value.trim());
    }

    private static Option limit(Fuzz f) {
        List<String> written = new ArrayList<>();
        StringBuilder canonical = new StringBuilder();
        if (f.chance(0.6)) {
            Rate all = rate(f, 0, 100_000);
            written.add(f.blanks(1) + all.written() + f.blanks(1));
            canonical.append(LimitSpec.formatRate(all.mbps()));
        }
        Map<Integer, Rate> perVcpu = new TreeMap<>();
        for (int n = f.below(written.isEmpty() ? 4 : 5) + (written.isEmpty() ? 1 : 0); n > 0; n--) {
            perVcpu.put(f.chance(0.5) ? f.below(8) : f.between(0, Integer.MAX_VALUE), rate(f, 0, 100_000));
        }
        perVcpu.forEach((cpu, rate) -> {
            written.add(f.blanks(1) + (f.chance(0.1) ? "+" : "") + cpu + f.blanks(1) + ":" + f.blanks(1) + rate.written());
            canonical.append(canonical.length() > 0 ? ";" : "").append(cpu).append(':').append(LimitSpec.formatRate(rate.mbps()));
        });
        Collections.shuffle(written, new java.util.Random(f.between(0L, Long.MAX_VALUE)));
        return new Option("limit", "limit=" + String.join(";", written), "limit=" + canonical);
    }

    private static Option migrationLimit(Fuzz f) {
        Rate rate = rate(f, 0.001, 999_999);
        return new Option("migration-limit", "migration-limit=" + rate.written(), "migration-limit=" + LimitSpec.formatRate(rate.mbps()));
    }

    /** A rate as written (whole, decimal, with a unit in either case) and the MB/s Rates.parse makes of it. */
    record Rate(String written, double mbps) {}

    private static Rate rate(Fuzz f, double minMbps, double maxMbps) {
        while (true) {
            BigDecimal number = BigDecimal.valueOf(f.chance(0.5) ? f.between(0, 5000) : f.between(0L, 2_000_000_000L), f.pick(0, 0, 1, 3, 6));
            String digits = f.chance(0.8) ? number.stripTrailingZeros().toPlainString() : number.toPlainString();
            String unit = f.pick("", "", "M", "m", "K", "k", "G", "g");
            double scale = switch (unit.toUpperCase(Locale.ROOT)) {
                case "K" -> 1.0 / 1024;
                case "G" -> 1024;
                default -> 0;
            };
            double mbps = Double.parseDouble(digits) * (scale == 0 ? 1 : scale);
            if (mbps >= minMbps && mbps <= maxMbps) {
                return new Rate(digits + unit, mbps);
            }
        }
    }

    private static Option duration(Fuzz f, String key, int minMillis, int maxMillis) {
        int ms = f.between(minMillis, maxMillis);
        String written = f.pick(ms + "ms", ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms", BigDecimal.valueOf(ms, 3).toPlainString() + "s",
                ms + " ms", BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s", ms + "e0ms");
        return padded(f, key, written, Durations.format(Duration.ofMillis(ms)));
    }

    private static Option word(Fuzz f, String key, String... values) {
        String value = f.pick(values);
        return padded(f, key, value, value);
    }

    private static Option anyCase(Fuzz f, String key, String... values) {
        String value = f.pick(values);
        return padded(f, key, f.anyCase(value), value);
    }

    private static Option quantum(Fuzz f) {
        int pages = f.chance(0.5) ? f.below(1024) : f.between(0, Integer.MAX_VALUE);
        return padded(f, "quantum", f.pick("", "+", "00") + pages, Integer.toString(pages));
    }

    private static Option number(Fuzz f, String key, int min, int max) {
        int value = f.between(min, max);
        return padded(f, key, Integer.toString(value), Integer.toString(value));
    }

    private static Option report(Fuzz f) {
        String path = "r" + f.word("abc/._-", 0, 20);
        return new Option("report", "report=" + path, "report=" + Path.of(path));
    }

    private static Option faultEvery(Fuzz f) {
        long every = f.between(1L, Long.MAX_VALUE);
        return new Option("fault-every", "fault-every=" + every, "fault-every=" + every);
    }

    private static Option padded(Fuzz f, String key, String written, String canonical) {
        return new Option(key, f.blanks(2) + key + f.blanks(2) + "=" + f.blanks(2) + written + f.blanks(2), key + "=" + canonical);
    }

    // ---- helpers

    private static String written(List<Option> options) {
        return String.join(",", options.stream().map(Option::written).toList());
    }

    /** The canonical text of the generated options, in AgentOptions.format's key order. */
    private static String canonical(List<Option> given) {
        List<String> order = new ArrayList<>(AgentOptions.USER_KEYS);
        order.addAll(List.of("report", "fault-every"));
        List<String> pairs = new ArrayList<>();
        for (String key : order) {
            given.stream().filter(o -> o.key().equals(key)).forEach(o -> pairs.add(o.canonical()));
        }
        return String.join(",", pairs);
    }

    private static AgentOptions parse(String text) {
        try {
            return AgentOptions.parse(text);
        } catch (OptionsException e) {
            throw new AssertionError("'" + text + "' did not parse: " + e.getMessage(), e);
        }
    }
}
