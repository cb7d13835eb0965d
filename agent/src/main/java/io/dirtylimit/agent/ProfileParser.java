package io.dirtylimit.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses the profile text format: one statement per line, {@code #} starts a comment, tokens are
 * separated by blanks, {@code "..."} quotes a token (only {@code \"} is an escape inside), and a
 * method's parameter list {@code name(type, type)} is one token even with blanks inside.
 *
 * <pre>
 * name       toyvm
 * page-size  4096
 * vcpu-id    thread-name "vcpu-(\d+)"
 * ring-full  class io.example.Vcpu handleRingFull()
 * dirty-page class io.example.Vcpu pageDirtied(long) page=arg0
 * store      implementations-of io.example.Bus write(long, byte[], int, int) address=arg0 size=arg3
 * </pre>
 *
 * Every error is reported as {@code ORIGIN:LINE: message}; all errors are collected.
 */
final class ProfileParser {
    static final int DEFAULT_PAGE_SIZE = 4096;
    static final Duration DEFAULT_HARVEST = Duration.ofSeconds(1);
    static final int DEFAULT_MAX_VCPUS = 1024;
    private static final int MAX_VCPUS_LIMIT = 1 << 16;

    private static final Pattern BINARY_NAME =
            Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");
    private static final Pattern METHOD = Pattern.compile("([\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)\\((.*)\\)");
    private static final Pattern ARG = Pattern.compile("arg(\\d+)");
    private static final Pattern LENGTH = Pattern.compile("length\\(\\s*arg(\\d+)\\s*\\)");
    private static final Pattern SPACE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Set<String> PRIMITIVES = Set.of("boolean", "byte", "short", "char", "int", "long", "float", "double");
    private static final Set<String> INTEGRAL = Set.of("byte", "short", "char", "int", "long");

    private final String origin;
    private final List<String> errors = new ArrayList<>();
    private final Map<String, Integer> globalLines = new HashMap<>();
    private int lineNumber;

    private String name;
    private int pageSize = DEFAULT_PAGE_SIZE;
    private VcpuRule vcpuRule;
    private int ringSize;
    private Integer quantum;
    private Duration harvest = DEFAULT_HARVEST;
    private int maxVcpus = DEFAULT_MAX_VCPUS;
    private final List<RawHook> rawHooks = new ArrayList<>();

    private ProfileParser(String origin) {
        this.origin = origin;
    }

    /** Parses {@code text}; {@code origin} names it in messages ({@code builtin:toyvm} or a path). */
    static Profile parse(String origin, String text) throws ProfileException {
        return new ProfileParser(origin).run(text);
    }

    private Profile run(String text) throws ProfileException {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            lineNumber = i + 1;
            List<String> tokens = tokenize(lines[i]);
            if (tokens != null && !tokens.isEmpty()) {
                statement(tokens);
            }
        }
        lineNumber = 0;
        List<HookSpec> hooks = resolveHooks();
        checkWhole(hooks);
        if (!errors.isEmpty()) {
            throw new ProfileException(errors);
        }
        return new Profile(name == null ? origin : name, origin, text, pageSize, vcpuRule, ringSize, quantum,
                harvest, maxVcpus, List.copyOf(hooks));
    }

    // ---- tokens

    /** The line's tokens, or null after reporting an unterminated quote or parenthesis. */
    private List<String> tokenize(String line) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = null;
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && depth == 0) {
                int end = closingQuote(line, i + 1);
                if (end < 0) {
                    error("unterminated quote");
                    return null;
                }
                token = token == null ? new StringBuilder() : token;
                token.append(line.substring(i + 1, end).replace("\\\"", "\""));
                i = end;
            } else if (Character.isWhitespace(c) && depth == 0) {
                if (token != null) {
                    tokens.add(token.toString());
                    token = null;
                }
            } else if (c == '#' && depth == 0 && token == null) {
                break;
            } else {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                if (depth < 0) {
                    error("unbalanced ')'");
                    return null;
                }
                token = token == null ? new StringBuilder() : token;
                token.append(c);
            }
        }
        if (depth != 0) {
            error("unbalanced '('");
            return null;
        }
        if (token != null) {
            tokens.add(token.toString());
        }
        return tokens;
    }

    private static int closingQuote(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            if (line.charAt(i) == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                i++;
            } else if (line.charAt(i) == '"') {
                return i;
            }
        }
        return -1;
    }

    // ---- statements

    private void statement(List<String> tokens) {
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
            case "quantum" -> quantum = single(tokens, keyword) ? wholeNumber(tokens.get(1), keyword, 0, Integer.MAX_VALUE, 0) : quantum;
            case "harvest" -> harvest = single(tokens, keyword) ? harvest(tokens.get(1)) : harvest;
            case "max-vcpus" -> maxVcpus = single(tokens, keyword) ? wholeNumber(tokens.get(1), keyword, 1, MAX_VCPUS_LIMIT, maxVcpus) : maxVcpus;
            default -> error("unknown statement '" + keyword + "' (expected name, page-size, vcpu-id, ring-size, "
                    + "quantum, harvest, max-vcpus, ring-full, dirty-page, store or vcpu-loop)");
        }
    }

    /** Whether {@code tokens} is the keyword and exactly one value, given once in the profile. */
    private boolean single(List<String> tokens, String keyword) {
        if (!once(keyword)) {
            return false;
        }
        if (tokens.size() != 2) {
            error(keyword + " takes exactly one value");
            return false;
        }
        return true;
    }

    private boolean once(String keyword) {
        Integer previous = globalLines.putIfAbsent(keyword, lineNumber);
        if (previous != null) {
            error(keyword + " is already given on line " + previous);
            return false;
        }
        return true;
    }

    private int pageSize(String text) {
        int size = wholeNumber(text, "page-size", 256, 1 << 30, DEFAULT_PAGE_SIZE);
        if (Integer.bitCount(size) != 1) {
            error("page-size " + size + " is not a power of two");
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
        error(keyword + " '" + text + "' must be a whole number from " + min + " to " + max);
        return fallback;
    }

    private Duration harvest(String text) {
        Duration duration = Durations.parseOrNull(text);
        if (duration == null || duration.toMillis() < 1 || duration.toSeconds() > 60) {
            error("harvest '" + text + "' must be a duration from 1ms to 60s, like 500ms or 1s");
            return DEFAULT_HARVEST;
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
                    error("vcpu-id thread-name takes one pattern, e.g. vcpu-id thread-name \"vcpu-(\\d+)\"");
                    return;
                }
                Pattern pattern = pattern(tokens.get(2));
                if (pattern != null && pattern.matcher("").groupCount() < 1) {
                    error("vcpu-id thread-name pattern \"" + tokens.get(2) + "\" has no capture group for the vCPU index");
                } else if (pattern != null) {
                    vcpuRule = new VcpuRule(VcpuRule.Kind.THREAD_NAME, pattern, null);
                }
            }
            case "field" -> {
                if (tokens.size() != 3 || !isIdentifier(tokens.get(2))) {
                    error("vcpu-id field takes one field name, e.g. vcpu-id field index");
                    return;
                }
                vcpuRule = new VcpuRule(VcpuRule.Kind.FIELD, null, tokens.get(2));
            }
            case "first-dirty" -> {
                if (tokens.size() > 3) {
                    error("vcpu-id first-dirty takes at most one thread-name filter pattern");
                    return;
                }
                Pattern filter = tokens.size() == 3 ? pattern(tokens.get(2)) : null;
                if (tokens.size() == 2 || filter != null) {
                    vcpuRule = new VcpuRule(VcpuRule.Kind.FIRST_DIRTY, filter, null);
                }
            }
            case "per-hook" -> {
                if (tokens.size() != 2) {
                    error("vcpu-id per-hook takes no value");
                    return;
                }
                vcpuRule = new VcpuRule(VcpuRule.Kind.PER_HOOK, null, null);
            }
            default -> error("vcpu-id must be thread-name \"PATTERN\", field NAME, first-dirty [\"PATTERN\"] or per-hook");
        }
    }

    private Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            error("bad pattern \"" + regex + "\": " + e.getDescription());
            return null;
        }
    }

    // ---- hooks

    /** A hook line before the profile's vcpu-id is known (it may come later in the file). */
    private record RawHook(int line, Role role, TypeScope scope, String typeName, String methodName,
                           List<String> paramTypes, Map<String, String> options) {}

    private void hook(Role role, List<String> tokens) {
        if (tokens.size() < 4) {
            error(role.keyword + " needs: " + role.keyword + " class|subclasses-of|implementations-of TYPE METHOD(PARAMS) [key=value ...]");
            return;
        }
        TypeScope scope = TypeScope.byKeyword(tokens.get(1));
        if (scope == null) {
            error("'" + tokens.get(1) + "' is not one of class, subclasses-of, implementations-of");
            return;
        }
        String typeName = tokens.get(2);
        if (!BINARY_NAME.matcher(typeName).matches()) {
            error("'" + typeName + "' is not a class name (give the binary name, e.g. com.example.Outer$Inner)");
            return;
        }
        Matcher method = METHOD.matcher(tokens.get(3));
        if (!method.matches()) {
            error("'" + tokens.get(3) + "' is not a method with parameter types, e.g. write(long, byte[]) or run() or step(*)");
            return;
        }
        List<String> params = paramTypes(method.group(2));
        Map<String, String> options = new HashMap<>();
        for (String option : tokens.subList(4, tokens.size())) {
            int eq = option.indexOf('=');
            if (eq <= 0 || eq == option.length() - 1) {
                error("'" + option + "' is not key=value");
                return;
            }
            if (options.put(option.substring(0, eq), option.substring(eq + 1)) != null) {
                error("'" + option.substring(0, eq) + "' given twice");
                return;
            }
        }
        if (params != null || method.group(2).trim().equals("*")) {
            rawHooks.add(new RawHook(lineNumber, role, scope, typeName, method.group(1), params, options));
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
                error("parameter type '" + type + "' must be a primitive or a fully qualified class name, "
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

    private List<HookSpec> resolveHooks() {
        List<HookSpec> hooks = new ArrayList<>();
        for (RawHook raw : rawHooks) {
            lineNumber = raw.line;
            HookSpec spec = resolve(raw, hooks.size());
            if (spec != null) {
                hooks.add(spec);
            }
        }
        lineNumber = 0;
        return hooks;
    }

    private HookSpec resolve(RawHook raw, int index) {
        Map<String, String> options = new HashMap<>(raw.options);
        int errorsBefore = errors.size();
        ValueSource vcpu = vcpuSource(options.remove("vcpu"), raw);
        boolean atExit = at(options.remove("at"), raw.role);
        ValueSource value = null;
        boolean isAddress = false;
        ValueSource size = null;
        boolean dedupe = false;
        String space = null;
        switch (raw.role) {
            case DIRTY_PAGE -> {
                String page = options.remove("page");
                String address = options.remove("address");
                if ((page == null) == (address == null)) {
                    error("dirty-page needs exactly one of page=argN (a page number) or address=argN (a guest address)");
                } else {
                    isAddress = address != null;
                    value = integralArg(isAddress ? "address" : "page", isAddress ? address : page, raw);
                }
                dedupe = yesNo(options.remove("dedupe"), "dedupe");
                space = spaceName(options.remove("space"), dedupe, raw);
            }
            case STORE -> {
                String address = options.remove("address");
                if (address == null) {
                    error("store needs address=argN, the argument holding the guest address");
                } else {
                    value = integralArg("address", address, raw);
                    isAddress = true;
                }
                size = storeSize(options.remove("size"), raw);
                space = spaceName(options.remove("space"), true, raw);
            }
            case RING_FULL, VCPU_LOOP -> {
                // nothing else
            }
        }
        for (String key : options.keySet()) {
            error("'" + key + "=' does not apply to " + raw.role.keyword + " (" + keysFor(raw.role) + ")");
        }
        if (raw.role == Role.VCPU_LOOP && atExit) {
            error("vcpu-loop runs when the loop is entered; at=exit would never run for a loop that does not return");
        }
        if (errors.size() != errorsBefore) {
            return null;
        }
        return new HookSpec(index, raw.line, raw.role, raw.scope, raw.typeName, raw.methodName, raw.paramTypes,
                vcpu, value, isAddress, size, atExit, dedupe, space);
    }

    private static String keysFor(Role role) {
        return switch (role) {
            case RING_FULL, VCPU_LOOP -> "it takes vcpu= and at=";
            case DIRTY_PAGE -> "it takes page= or address=, dedupe=, space=, vcpu= and at=";
            case STORE -> "it takes address=, size=, space=, vcpu= and at=";
        };
    }

    private ValueSource vcpuSource(String text, RawHook raw) {
        if (text == null) {
            return vcpuRule != null && vcpuRule.kind() == VcpuRule.Kind.FIELD ? ValueSource.field(vcpuRule.field()) : ValueSource.THREAD;
        }
        if (text.equals("thread")) {
            return ValueSource.THREAD;
        }
        if (text.startsWith("this.") && isIdentifier(text.substring(5))) {
            return ValueSource.field(text.substring(5));
        }
        if (ARG.matcher(text).matches()) {
            return integralArg("vcpu", text, raw);
        }
        error("vcpu='" + text + "' must be thread, argN or this.FIELD");
        return null;
    }

    private boolean at(String text, Role role) {
        if (text == null) {
            return role.exitByDefault;
        }
        if (text.equals("enter") || text.equals("exit")) {
            return text.equals("exit");
        }
        error("at='" + text + "' must be enter or exit");
        return false;
    }

    private boolean yesNo(String text, String key) {
        if (text == null || text.equals("no")) {
            return false;
        }
        if (text.equals("yes")) {
            return true;
        }
        error(key + "='" + text + "' must be yes or no");
        return false;
    }

    private String spaceName(String text, boolean applies, RawHook raw) {
        if (text == null) {
            return applies ? "memory" : null;
        }
        if (!applies) {
            error("space= applies to dirty-page only with dedupe=yes");
            return null;
        }
        if (!SPACE_NAME.matcher(text).matches()) {
            error("space='" + text + "' must be a name of letters, digits, '_', '.' or '-'");
        }
        return text;
    }

    private ValueSource storeSize(String text, RawHook raw) {
        if (text == null) {
            error("store needs size=BYTES, size=argN or size=length(argN)");
            return null;
        }
        Matcher length = LENGTH.matcher(text);
        if (length.matches()) {
            int index = Integer.parseInt(length.group(1));
            String type = paramType(raw, index, "size");
            if (type != null && !type.endsWith("[]")) {
                error("size=length(arg" + index + ") needs an array argument, but arg" + index + " is " + type);
            }
            return ValueSource.arrayLength(index);
        }
        if (ARG.matcher(text).matches()) {
            return integralArg("size", text, raw);
        }
        try {
            long bytes = Long.parseLong(text);
            if (bytes > 0) {
                return ValueSource.constant(bytes);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        error("size='" + text + "' must be a number of bytes (1 or more), argN or length(argN)");
        return null;
    }

    private ValueSource integralArg(String key, String text, RawHook raw) {
        Matcher arg = ARG.matcher(text);
        if (!arg.matches()) {
            error(key + "='" + text + "' must be argN, N counting the method's parameters from 0");
            return null;
        }
        int index;
        try {
            index = Integer.parseInt(arg.group(1));
        } catch (NumberFormatException e) {
            error(key + "='" + text + "' has no such argument");
            return null;
        }
        String type = paramType(raw, index, key);
        if (type != null && !INTEGRAL.contains(type)) {
            error(key + "=" + text + " must be an integer argument (byte, short, char, int or long), but it is " + type);
        }
        return ValueSource.arg(index);
    }

    /** The declared type of argument {@code index}, or null when the profile gave no parameter list. */
    private String paramType(RawHook raw, int index, String key) {
        if (raw.paramTypes == null) {
            return null;
        }
        if (index >= raw.paramTypes.size()) {
            error(key + "=arg" + index + " but " + raw.methodName + " has " + raw.paramTypes.size() + " parameter(s)");
            return null;
        }
        return raw.paramTypes.get(index);
    }

    // ---- the whole profile

    private void checkWhole(List<HookSpec> hooks) {
        if (vcpuRule == null && !globalLines.containsKey("vcpu-id")) {
            error("no vcpu-id line: say how a thread is known to be vCPU N (thread-name, field, first-dirty or per-hook)");
        }
        if (rawHooks.isEmpty()) {
            error("no hooks: add at least one ring-full, dirty-page or store line");
            return;
        }
        boolean ringFull = hooks.stream().anyMatch(h -> h.role() == Role.RING_FULL);
        boolean counting = hooks.stream().anyMatch(h -> h.role() == Role.DIRTY_PAGE || h.role() == Role.STORE);
        if (ringSize > 0 && counting) {
            error("ring-size " + ringSize + " (line " + globalLines.get("ring-size")
                    + ") would count pages twice: this profile already counts them with dirty-page or store hooks");
        } else if (ringSize > 0 && !ringFull) {
            error("ring-size " + ringSize + " (line " + globalLines.get("ring-size") + ") needs a ring-full hook");
        } else if (ringSize == 0 && ringFull && !counting && hooks.size() == rawHooks.size()) {
            error("nothing counts dirtied pages: add ring-size N (pages per ring-full), or a dirty-page or store hook");
        } else if (!ringFull && !counting && hooks.size() == rawHooks.size()) {
            error("no hook throttles: add a ring-full, dirty-page or store hook");
        }
    }

    private static boolean isIdentifier(String text) {
        return !text.isEmpty() && Character.isJavaIdentifierStart(text.charAt(0))
                && text.chars().allMatch(Character::isJavaIdentifierPart);
    }

    private void error(String message) {
        errors.add(origin + (lineNumber > 0 ? ":" + lineNumber : "") + ": " + message);
    }
}
