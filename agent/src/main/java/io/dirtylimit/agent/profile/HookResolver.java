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
    private static final Pattern SPACE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Set<String> INTEGRAL = Set.of("byte", "short", "char", "int", "long");

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
        switch (raw.role()) {
            case DIRTY_PAGE -> {
                String page = options.remove("page");
                String address = options.remove("address");
                if ((page == null) == (address == null)) {
                    errors.error("dirty-page needs exactly one of page=argN (a page number) or address=argN (a guest address)");
                } else {
                    isAddress = address != null;
                    value = integralArg(isAddress ? "address" : "page", isAddress ? address : page, raw);
                }
                dedupe = yesNo(options.remove("dedupe"), "dedupe");
                space = spaceName(options.remove("space"), dedupe);
            }
            case STORE -> {
                String address = options.remove("address");
                if (address == null) {
                    errors.error("store needs address=argN, the argument holding the guest address");
                } else {
                    value = integralArg("address", address, raw);
                    isAddress = true;
                }
                size = storeSize(options.remove("size"), raw);
                space = spaceName(options.remove("space"), true);
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
        if (errors.count() != errorsBefore) {
            return null;
        }
        return new HookSpec(index, raw.line(), raw.role(), raw.scope(), raw.typeName(), raw.methodName(), raw.paramTypes(),
                vcpu, value, isAddress, size, atExit, dedupe, space);
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

    private String spaceName(String text, boolean applies) {
        if (text == null) {
            return applies ? "memory" : null;
        }
        if (!applies) {
            errors.error("space= applies to dirty-page only with dedupe=yes");
            return null;
        }
        if (!SPACE_NAME.matcher(text).matches()) {
            errors.error("space='" + text + "' must be a name of letters, digits, '_', '.' or '-'");
        }
        return text;
    }

    private ValueSource storeSize(String text, RawHook raw) {
        if (text == null) {
            errors.error("store needs size=BYTES, size=argN or size=length(argN)");
            return null;
        }
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
        errors.error("size='" + text + "' must be a number of bytes (1 or more), argN or length(argN)");
        return null;
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
