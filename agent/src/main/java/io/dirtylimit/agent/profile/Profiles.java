package io.dirtylimit.agent.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Finds a profile: a built-in one by name (a resource in the agent jar), else a file. */
public final class Profiles {
    /** The built-in profiles' names. */
    public static final List<String> BUILT_IN = List.of("toyvm", "toyvm-bitmap", "toyvm-store");

    private Profiles() {}

    /**
     * Loads {@code nameOrPath}: a built-in name, or a file path (a path with a '/' is always a file).
     *
     * @param nameOrPath {@code toyvm}, {@code /path/x.profile}, ...
     * @return the profile
     * @throws ProfileException when it cannot be read or has errors
     */
    public static Profile load(String nameOrPath) throws ProfileException {
        if (BUILT_IN.contains(nameOrPath)) {
            return ProfileParser.parse("builtin:" + nameOrPath, builtInText(nameOrPath));
        }
        Path path;
        try {
            path = Path.of(nameOrPath).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new ProfileException(ProfileErrors.oneLine("profile '" + nameOrPath + "' is not a file path: " + e.getReason()));
        }
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ProfileException(path + ": no such profile file (built-in profiles: " + String.join(", ", BUILT_IN) + ")");
        } catch (IOException | RuntimeException e) {
            throw new ProfileException(path + ": cannot read the profile: " + e);
        }
        return ProfileParser.parse(path.toString(), text);
    }

    private static String builtInText(String name) throws ProfileException {
        String resource = "/io/dirtylimit/agent/profiles/" + name + ".profile";
        try (InputStream in = Profiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ProfileException("builtin:" + name + ": missing from the agent jar (" + resource + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProfileException("builtin:" + name + ": cannot read: " + e);
        }
    }
}
