package io.dirtylimit.agent.profile;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link RawHook} into a {@link HookSpec}: reads the role's keys ({@code page=},
 * {@code address=}, {@code size=}, {@code vcpu=}, {@code at=}, ...) and checks them against the
 * method's declared parameter types. Errors go to the profile's {@link ProfileErrors}.
 */
final class HookResolver {
    private static final Pattern ARG = Pattern.compile("arg(\\d+)");
    private static final Pattern LENGTH = Pattern.compile("length\\(\\s*arg(\\d+)\\s*\\)");
    private static final Pattern SIGNED = Pattern.compile("signed\\(\\s*(arg\\d+)\\s*\\)");
    /** A size scaled by a constant: {@code arg2*4}, {@code length(arg1)*8}, {@code arg2/8}. */
    private static final Pattern SCALED = Pattern.compile("(arg\\d+|length\\(\\s*arg\\d+\\s*\\))([*/])(\\d+)");
    /** A size given as log2: {@code 1<<arg3}. */
    private static final Pattern SHIFT = Pattern.compile("1<<(arg\\d+)");
    private static final Pattern SPACE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Set<String> INTEGRAL = Set.of("byte", "short", "char", "int", "long");
    private static final Set<String> PRIMITIVE = Set.of("boolean", "byte", "short", "char", "int", "long", "float", "double");

    private final ProfileErrors errors;
    private final VcpuRule vcpuRule;

    HookResolver(ProfileErrors errors, VcpuRule vcpuRule) {
        this.errors = errors;
        this.vcpuRule = vcpuRule;
    }

    /** The hook, or null after reporting why it cannot be one. */
    HookSpec resolve(RawHook raw, int index) {
        errors.atLine(raw.line());
        Map<String, String> options = new HashMap<>(raw.options());
        int errorsBefore = errors.count();
        ValueSource vcpu = raw.role().isMigration() ? migrationVcpu(options.remove("vcpu")) : vcpuSource(options.remove("vcpu"), raw);
        boolean atExit = at(options.remove("at"), raw.role());
        ValueSource value = null;
        boolean isAddress = false;
        ValueSource size = null;
        boolean dedupe = false;
        String space = null;
        ValueSource spaceObject = null;
        boolean sizeIsEnd = false;
        boolean units = vcpuRule != null && vcpuRule.kind() == VcpuRule.Kind.SPACE;
        switch (raw.role()) {
            case DIRTY_PAGE -> {
                String page = options.remove("page");
                String address = options.remove("address");
                if ((page == null) == (address == null)) {
                    errors.error("dirty-page needs exactly one of page=argN (a page number) or address=argN (a guest address)");
                } else {
                    isAddress = address != null;
                    value = addressArg(isAddress ? "address" : "page", isAddress ? address : page, raw);
                }
                dedupe = yesNo(options.remove("dedupe"), "dedupe");
                String spaceText = options.remove("space");
                if (spaceText != null && !dedupe && !units) {
                    errors.error("space= applies to dirty-page only with dedupe=yes (or with vcpu-id space)");
                } else if (dedupe || units) {
                    spaceObject = spaceObject(spaceText, raw);
                    space = spaceObject == null ? spaceName(spaceText) : null;
                }
            }
            case STORE -> {
                String address = options.remove("address");
                if (address == null) {
                    errors.error("store needs address=argN, the argument holding the guest address");
                } else {
                    value = addressArg("address", address, raw);
                    isAddress = true;
                }
                String end = options.remove("end");
                String sizeText = options.remove("size");
                if (end != null && sizeText != null) {
                    errors.error("store takes size= or end=, not both");
                } else if (end != null) {
                    size = addressArg("end", end, raw);
                    sizeIsEnd = true;
                } else {
                    size = storeSize(sizeText, raw);
                }
                String spaceText = options.remove("space");
                spaceObject = spaceObject(spaceText, raw);
                space = spaceObject == null ? spaceName(spaceText) : null;
            }
            case MIGRATION_START -> {
                value = optionalArg("bandwidth", options.remove("bandwidth"), raw);
                size = optionalArg("downtime", options.remove("downtime"), raw);
            }
            case MIGRATION_PASS -> {
                value = requiredArg("sent", options.remove("sent"), "the argument holding the bytes sent during the pass", raw);
                size = requiredArg("dirtied", options.remove("dirtied"), "the argument holding the bytes dirtied during the pass", raw);
            }
            default -> {
                // the role reads no value of its own
            }
        }
        for (String key : options.keySet()) {
            errors.error("'" + key + "=' does not apply to " + raw.role().keyword() + " (it takes " + raw.role().keys() + ")");
        }
        if (raw.role() == Role.VCPU_LOOP && atExit) {
            errors.error("vcpu-loop runs when the loop is entered; at=exit would never run for a loop that does not return");
        }
        if (units) {
            checkUnitHook(raw.role(), space);
        }
        if (errors.count() != errorsBefore) {
            return null;
        }
        return new HookSpec(index, raw.line(), raw.role(), raw.scope(), raw.typeName(), raw.methodName(), raw.paramTypes(),
                vcpu, value, isAddress, size, atExit, dedupe, space, spaceObject, sizeIsEnd);
    }

    /** Migration hooks run on the emulator's migration thread: they belong to no vCPU. */
    private ValueSource migrationVcpu(String text) {
        if (text != null) {
            errors.error("vcpu= does not apply to migration hooks: they run on the migration thread, not on a vCPU");
        }
        return ValueSource.THREAD;
    }

    /** An integer argument, or the constant -1 (unknown) when the key is not given. */
    private ValueSource optionalArg(String key, String text, RawHook raw) {
        return text == null ? ValueSource.constant(-1) : integralArg(key, text, raw);
    }

    private ValueSource requiredArg(String key, String text, String what, RawHook raw) {
        if (text == null) {
            errors.error(raw.role().keyword() + " needs " + key + "=argN, " + what);
            return null;
        }
        return integralArg(key, text, raw);
    }

    private ValueSource vcpuSource(String text, RawHook raw) {
        if (vcpuRule != null && vcpuRule.kind() == VcpuRule.Kind.SPACE) {
            if (text != null) {
                errors.error("vcpu= does not apply with vcpu-id space: the throttled unit is the hook's space object");
            }
            return ValueSource.THREAD;
        }
        if (text == null) {
            return vcpuRule != null && vcpuRule.kind() == VcpuRule.Kind.FIELD ? ValueSource.field(vcpuRule.field()) : ValueSource.THREAD;
        }
        if (text.equals("thread")) {
            return ValueSource.THREAD;
        }
        if (text.startsWith("this.") && ProfileStatements.isIdentifier(text.substring(5))) {
            return ValueSource.field(text.substring(5));
        }
        if (ARG.matcher(text).matches()) {
            return integralArg("vcpu", text, raw);
        }
        errors.error("vcpu='" + text + "' must be thread, argN or this.FIELD");
        return null;
    }

    private boolean at(String text, Role role) {
        if (text == null) {
            return role.exitByDefault();
        }
        if (text.equals("enter") || text.equals("exit")) {
            return text.equals("exit");
        }
        errors.error("at='" + text + "' must be enter or exit");
        return false;
    }

    private boolean yesNo(String text, String key) {
        if (text == null || text.equals("no")) {
            return false;
        }
        if (text.equals("yes")) {
            return true;
        }
        errors.error(key + "='" + text + "' must be yes or no");
        return false;
    }

    /**
     * With vcpu-id space only object spaces identify units: store and dirty-page hooks must name
     * one, and the roles that take the unit from the calling thread do not apply.
     */
    private void checkUnitHook(Role role, String namedSpace) {
        switch (role) {
            case STORE, DIRTY_PAGE -> {
                if (namedSpace != null) {
                    errors.error("vcpu-id space needs space=this, space=argN or space=this.FIELD on every "
                            + role.keyword() + " hook: the object is the throttled unit");
                }
            }
            case RING_FULL, VCPU_LOOP -> errors.error(role.keyword() + " does not apply with vcpu-id space: it names no space"
                    + " object (units are throttled every quantum of pages their store and dirty-page hooks count)");
            default -> {
                // vcpu-step and the migration roles do not depend on the unit
            }
        }
    }

    /** The object {@code space=} names (this, argN, this.FIELD), or null for a name or nothing. */
    private ValueSource spaceObject(String text, RawHook raw) {
        if (text == null) {
            return null;
        }
        if (text.equals("this")) {
            return ValueSource.THIS;
        }
        if (text.startsWith("this.") && ProfileStatements.isIdentifier(text.substring(5))) {
            return ValueSource.field(text.substring(5));
        }
        Matcher arg = ARG.matcher(text);
        if (arg.matches()) {
            int index;
            try {
                index = Integer.parseInt(arg.group(1));
            } catch (NumberFormatException e) {
                errors.error("space='" + text + "' has no such argument");
                return null;
            }
            String type = paramType(raw, index, "space");
            if (type != null && PRIMITIVE.contains(type)) {
                errors.error("space=" + text + " must be an object argument (the address space), but it is " + type);
            }
            return ValueSource.arg(index);
        }
        return null;
    }

    private String spaceName(String text) {
        if (text == null) {
            return "memory";
        }
        if (!SPACE_NAME.matcher(text).matches()) {
            errors.error("space='" + text + "' must be this, argN, this.FIELD or a name of letters, digits, '_', '.' or '-'");
        }
        return text;
    }

    /** An address, page number or end address: an integer argument, read as unsigned unless {@code signed(argN)}. */
    private ValueSource addressArg(String key, String text, RawHook raw) {
        Matcher signed = SIGNED.matcher(text);
        if (signed.matches()) {
            ValueSource arg = integralArg(key, signed.group(1), raw);
            return arg == null ? null : arg.withUnsigned(false);
        }
        ValueSource arg = integralArg(key, text, raw);
        return arg == null ? null : arg.withUnsigned(true);
    }

    private ValueSource storeSize(String text, RawHook raw) {
        if (text == null) {
            errors.error("store needs size=BYTES, size=argN, size=length(argN) (each may be scaled: *K, /K) or 1<<argN, or end=argN");
            return null;
        }
        Matcher scaled = SCALED.matcher(text);
        if (scaled.matches()) {
            ValueSource term = sizeTerm(scaled.group(1), raw);
            long factor = factor(scaled.group(3), text);
            if (term == null || factor < 1) {
                return null;
            }
            return term.scaled(scaled.group(2).equals("*") ? ValueSource.Scale.MULTIPLY : ValueSource.Scale.DIVIDE_UP, factor);
        }
        Matcher shift = SHIFT.matcher(text);
        if (shift.matches()) {
            ValueSource log2 = integralArg("size", shift.group(1), raw);
            return log2 == null ? null : log2.scaled(ValueSource.Scale.SHIFT_ONE, 1);
        }
        if (LENGTH.matcher(text).matches() || ARG.matcher(text).matches()) {
            return sizeTerm(text, raw);
        }
        try {
            long bytes = Long.parseLong(text);
            if (bytes > 0) {
                return ValueSource.constant(bytes);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.error("size='" + text + "' must be a number of bytes (1 or more), argN, length(argN), either scaled"
                + " (argN*K, argN/K, length(argN)*K), or 1<<argN");
        return null;
    }

    /** {@code argN} (an integer) or {@code length(argN)} (an array's length). */
    private ValueSource sizeTerm(String text, RawHook raw) {
        Matcher length = LENGTH.matcher(text);
        if (length.matches()) {
            int index;
            try {
                index = Integer.parseInt(length.group(1));
            } catch (NumberFormatException e) {
                errors.error("size='" + text + "' has no such argument");
                return null;
            }
            String type = paramType(raw, index, "size");
            if (type != null && !type.endsWith("[]")) {
                errors.error("size=length(arg" + index + ") needs an array argument, but arg" + index + " is " + type);
            }
            return ValueSource.arrayLength(index);
        }
        return integralArg("size", text, raw);
    }

    private long factor(String digits, String text) {
        try {
            long factor = Long.parseLong(digits);
            if (factor >= 1 && factor <= (1L << 30)) {
                return factor;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.error("size='" + text + "': the factor must be a whole number from 1 to " + (1L << 30));
        return 0;
    }

    private ValueSource integralArg(String key, String text, RawHook raw) {
        Matcher arg = ARG.matcher(text);
        if (!arg.matches()) {
            errors.error(key + "='" + text + "' must be argN, N counting the method's parameters from 0");
            return null;
        }
        int index;
        try {
            index = Integer.parseInt(arg.group(1));
        } catch (NumberFormatException e) {
            errors.error(key + "='" + text + "' has no such argument");
            return null;
        }
        String type = paramType(raw, index, key);
        if (type != null && !INTEGRAL.contains(type)) {
            errors.error(key + "=" + text + " must be an integer argument (byte, short, char, int or long), but it is " + type);
        }
        return ValueSource.arg(index);
    }

    /** The declared type of argument {@code index}, or null when the profile gave no parameter list. */
    private String paramType(RawHook raw, int index, String key) {
        if (raw.paramTypes() == null) {
            return null;
        }
        if (index >= raw.paramTypes().size()) {
            errors.error(key + "=arg" + index + " but " + raw.methodName() + " has " + raw.paramTypes().size() + " parameter(s)");
            return null;
        }
        return raw.paramTypes().get(index);
    }
}
