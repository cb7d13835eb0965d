package io.dirtylimit.agent.profile;

import io.dirtylimit.core.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a profile's statements, one tokenised line at a time: the global ones ({@code name},
 * {@code page-size}, {@code vcpu-id}, ...) into their values, each hook line into a {@link RawHook}.
 * Errors go to the profile's {@link ProfileErrors}.
 */
final class ProfileStatements {
    private static final int DEFAULT_PAGE_SIZE = 4096;
    private static final Duration DEFAULT_HARVEST = Duration.ofSeconds(1);
    private static final int DEFAULT_MAX_VCPUS = 1024;
    private static final int MAX_VCPUS_LIMIT = 1 << 16;
    private static final List<String> GLOBALS = List.of("name", "page-size", "vcpu-id", "ring-size", "quantum", "harvest", "max-vcpus",
            "unit-credit");
    /** With vcpu-id space: the credit a unit keeps while it waits for a shared thread, unless unit-credit says. */
    static final Duration DEFAULT_UNIT_CREDIT = Duration.ofMillis(100);
    private static final java.util.regex.Pattern ZERO = java.util.regex.Pattern.compile("(0+(\\.0*)?|\\.0+)\\s*(ms|s|m)");

    private static final Pattern BINARY_NAME =
            Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");
    private static final Pattern METHOD = Pattern.compile("([\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)\\((.*)\\)");
    private static final Set<String> PRIMITIVES = Set.of("boolean", "byte", "short", "char", "int", "long", "float", "double");

    private final ProfileErrors errors;
    private final Map<String, Integer> globalLines = new HashMap<>();

    String name;
    int pageSize = DEFAULT_PAGE_SIZE;
    VcpuRule vcpuRule;
    int ringSize;
    Integer quantum;
    Duration harvest = DEFAULT_HARVEST;
    int maxVcpus = DEFAULT_MAX_VCPUS;
    Duration unitCredit;
    final List<RawHook> rawHooks = new ArrayList<>();

    ProfileStatements(ProfileErrors errors) {
        this.errors = errors;
    }

    /** The line on which a global statement was given, or null. */
    Integer lineOf(String keyword) {
        return globalLines.get(keyword);
    }

    void statement(List<String> tokens) {
        String keyword = tokens.get(0);
        Role role = Role.byKeyword(keyword);
        if (role != null) {
            hook(role, tokens);
            return;
        }
        switch (keyword) {
            case "name" -> name = single(tokens, keyword) ? tokens.get(1) : name;
            case "page-size" -> pageSize = single(tokens, keyword) ? pageSize(tokens.get(1)) : pageSize;
            case "vcpu-id" -> vcpuId(tokens);
            case "ring-size" -> ringSize = single(tokens, keyword) ? wholeNumber(tokens.get(1), keyword, 1, Integer.MAX_VALUE, ringSize) : ringSize;
            case "quantum" -> {
                // Not a conditional expression: its int branch would unbox a null quantum.
                if (single(tokens, keyword)) {
                    quantum = wholeNumber(tokens.get(1), keyword, 0, Integer.MAX_VALUE, 0);
                }
            }
            case "harvest" -> harvest = single(tokens, keyword) ? harvest(tokens.get(1)) : harvest;
            case "max-vcpus" -> maxVcpus = single(tokens, keyword) ? wholeNumber(tokens.get(1), keyword, 1, MAX_VCPUS_LIMIT, maxVcpus) : maxVcpus;
            case "unit-credit" -> unitCredit = single(tokens, keyword) ? unitCredit(tokens.get(1)) : unitCredit;
            default -> errors.error("unknown statement '" + keyword + "' (expected " + statementKeywords() + ")");
        }
    }

    /** Every statement keyword: the global ones, then the hook roles. */
    private static String statementKeywords() {
        List<String> all = new ArrayList<>(GLOBALS);
        Arrays.stream(Role.values()).map(Role::keyword).forEach(all::add);
        return String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.get(all.size() - 1);
    }

    /** Whether {@code tokens} is the keyword and exactly one value, given once in the profile. */
    private boolean single(List<String> tokens, String keyword) {
        if (!once(keyword)) {
            return false;
        }
        if (tokens.size() != 2) {
            errors.error(keyword + " takes exactly one value");
            return false;
        }
        return true;
    }

    private boolean once(String keyword) {
        Integer previous = globalLines.putIfAbsent(keyword, errors.line());
        if (previous != null) {
            errors.error(keyword + " is already given on line " + previous);
            return false;
        }
        return true;
    }

    private int pageSize(String text) {
        int size = wholeNumber(text, "page-size", 256, 1 << 30, DEFAULT_PAGE_SIZE);
        if (Integer.bitCount(size) != 1) {
            errors.error("page-size " + size + " is not a power of two");
            return DEFAULT_PAGE_SIZE;
        }
        return size;
    }

    private int wholeNumber(String text, String keyword, int min, int max, int fallback) {
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.error(keyword + " '" + text + "' must be a whole number from " + min + " to " + max);
        return fallback;
    }

    private Duration harvest(String text) {
        Duration duration = Durations.parseOrNull(text);
        if (duration == null || duration.toMillis() < 1 || duration.toSeconds() > 60) {
            errors.error("harvest '" + text + "' must be a duration from 1ms to 60s, like 500ms or 1s");
            return DEFAULT_HARVEST;
        }
        return duration;
    }

    private Duration unitCredit(String text) {
        // Durations.parseOrNull takes only positive durations; no credit at all is a valid choice here.
        Duration duration = ZERO.matcher(text.trim()).matches() ? Duration.ZERO : Durations.parseOrNull(text);
        if (duration == null || duration.isNegative() || duration.compareTo(Duration.ofSeconds(1)) > 0) {
            errors.error("unit-credit '" + text + "' must be a duration from 0ms to 1s, like 100ms");
            return null;
        }
        return duration;
    }

    private void vcpuId(List<String> tokens) {
        if (!once("vcpu-id")) {
            return;
        }
        String kind = tokens.size() > 1 ? tokens.get(1) : "";
        switch (kind) {
            case "thread-name" -> {
                if (tokens.size() != 3) {
                    errors.error("vcpu-id thread-name takes one pattern, e.g. vcpu-id thread-name \"vcpu-(\\d+)\"");
                    return;
                }
                Pattern pattern = pattern(tokens.get(2));
                if (pattern != null && pattern.matcher("").groupCount() < 1) {
                    errors.error("vcpu-id thread-name pattern \"" + tokens.get(2) + "\" has no capture group for the vCPU index");
                } else if (pattern != null) {
                    vcpuRule = new VcpuRule(VcpuRule.Kind.THREAD_NAME, pattern, null);
                }
            }
            case "field" -> {
                if (tokens.size() != 3 || !isIdentifier(tokens.get(2))) {
                    errors.error("vcpu-id field takes one field name, e.g. vcpu-id field index");
                    return;
                }
                vcpuRule = new VcpuRule(VcpuRule.Kind.FIELD, null, tokens.get(2));
            }
            case "first-dirty" -> {
                if (tokens.size() > 3) {
                    errors.error("vcpu-id first-dirty takes at most one thread-name filter pattern");
                    return;
                }
                Pattern filter = tokens.size() == 3 ? pattern(tokens.get(2)) : null;
                if (tokens.size() == 2 || filter != null) {
                    vcpuRule = new VcpuRule(VcpuRule.Kind.FIRST_DIRTY, filter, null);
                }
            }
            case "per-hook" -> {
                if (tokens.size() != 2) {
                    errors.error("vcpu-id per-hook takes no value");
                    return;
                }
                vcpuRule = new VcpuRule(VcpuRule.Kind.PER_HOOK, null, null);
            }
            case "space" -> {
                if (tokens.size() != 2) {
                    errors.error("vcpu-id space takes no value (each hook's space= object is a unit)");
                    return;
                }
                vcpuRule = new VcpuRule(VcpuRule.Kind.SPACE, null, null);
            }
            default -> errors.error("vcpu-id must be thread-name \"PATTERN\", field NAME, first-dirty [\"PATTERN\"], per-hook or space");
        }
    }

    private Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            errors.error("bad pattern \"" + regex + "\": " + e.getDescription());
            return null;
        }
    }

    private void hook(Role role, List<String> tokens) {
        if (tokens.size() < 4) {
            errors.error(role.keyword() + " needs: " + role.keyword()
                    + " class|subclasses-of|implementations-of TYPE METHOD(PARAMS) [key=value ...]");
            return;
        }
        TypeScope scope = TypeScope.byKeyword(tokens.get(1));
        if (scope == null) {
            errors.error("'" + tokens.get(1) + "' is not one of class, subclasses-of, implementations-of");
            return;
        }
        String typeName = tokens.get(2);
        if (!BINARY_NAME.matcher(typeName).matches()) {
            errors.error("'" + typeName + "' is not a class name (give the binary name, e.g. com.example.Outer$Inner)");
            return;
        }
        Matcher method = METHOD.matcher(tokens.get(3));
        if (!method.matches()) {
            errors.error("'" + tokens.get(3) + "' is not a method with parameter types, e.g. write(long, byte[]) or run() or step(*)");
            return;
        }
        List<String> params = paramTypes(method.group(2));
        Map<String, String> options = new HashMap<>();
        for (String option : tokens.subList(4, tokens.size())) {
            int eq = option.indexOf('=');
            if (eq <= 0 || eq == option.length() - 1) {
                errors.error("'" + option + "' is not key=value");
                return;
            }
            if (options.put(option.substring(0, eq), option.substring(eq + 1)) != null) {
                errors.error("'" + option.substring(0, eq) + "' given twice");
                return;
            }
        }
        if (params != null || method.group(2).trim().equals("*")) {
            rawHooks.add(new RawHook(errors.line(), role, scope, typeName, method.group(1), params, options));
        }
    }

    /** The parameter types, or null for {@code *} (any); reports bad type names. */
    private List<String> paramTypes(String list) {
        String trimmed = list.trim();
        if (trimmed.equals("*")) {
            return null;
        }
        if (trimmed.isEmpty()) {
            return List.of();
        }
        List<String> types = new ArrayList<>();
        for (String part : trimmed.split(",", -1)) {
            String type = part.trim();
            String element = type.replace("[]", "");
            boolean known = PRIMITIVES.contains(element) || (element.contains(".") && BINARY_NAME.matcher(element).matches());
            if (!known || !(element + "[]".repeat(countArrayDims(type))).equals(type)) {
                errors.error("parameter type '" + type + "' must be a primitive or a fully qualified class name, "
                        + "with [] for arrays (e.g. long, byte[], java.lang.String)");
                return null;
            }
            types.add(type);
        }
        return List.copyOf(types);
    }

    private static int countArrayDims(String type) {
        return (type.length() - type.replace("[]", "").length()) / 2;
    }

    static boolean isIdentifier(String text) {
        return !text.isEmpty() && Character.isJavaIdentifierStart(text.charAt(0))
                && text.chars().allMatch(Character::isJavaIdentifierPart);
    }
}
