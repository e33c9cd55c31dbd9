package io.natsee.admin.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The console's users, one a line: {@code name roles hash}, separated by white space, where
 * {@code roles} is a comma-separated list of {@link Roles} and {@code hash} a
 * {@link PasswordHash}; {@code #} starts a comment. An operator is also a viewer. Lines in
 * error are reported all at once, with their numbers, and never show a hash.
 *
 * <pre>
 * # NATS EE console users
 * admin natsee-operator $pbkdf2-sha256$600000$...$...
 * alice natsee-viewer   $pbkdf2-sha256$600000$...$...
 * </pre>
 */
public final class UserFile {

    /** One user. */
    public record User(String name, Set<String> roles, String hash) {

        public User {
            roles = Set.copyOf(roles);
        }
    }

    private final Map<String, User> users;

    private UserFile(Map<String, User> users) {
        this.users = Map.copyOf(users);
    }

    /** Reads the file. @throws IOException when it cannot be read; @throws IllegalArgumentException listing its errors */
    public static UserFile read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses the text; {@code source} names it in errors. */
    public static UserFile parse(String text, String source) {
        Map<String, User> users = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ":" + (i + 1) + ": ";
            String[] fields = line.split("\\s+");
            if (fields.length != 3) {
                errors.add(where + "expected 'name roles hash'");
                continue;
            }
            Set<String> roles = new LinkedHashSet<>();
            boolean rolesValid = true;
            for (String role : fields[1].split(",")) {
                switch (role) {
                    case Roles.OPERATOR -> {
                        roles.add(Roles.OPERATOR);
                        roles.add(Roles.VIEWER);
                    }
                    case Roles.VIEWER -> roles.add(Roles.VIEWER);
                    default -> {
                        errors.add(where + "unknown role '" + role + "' (" + Roles.VIEWER + " or " + Roles.OPERATOR + ")");
                        rolesValid = false;
                    }
                }
            }
            if (!fields[2].startsWith("$" + PasswordHash.SCHEME + "$")) {
                errors.add(where + "the password must be a $" + PasswordHash.SCHEME + "$ hash");
                continue;
            }
            if (users.containsKey(fields[0])) {
                errors.add(where + "user '" + fields[0] + "' appears twice");
                continue;
            }
            if (rolesValid) {
                users.put(fields[0], new User(fields[0], roles, fields[2]));
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", errors));
        }
        return new UserFile(users);
    }

    /** The user with this name. */
    public Optional<User> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    /** How many users the file holds. */
    public int size() {
        return users.size();
    }

    /**
     * The user's roles when the password is right, else empty. Takes about as long for an
     * unknown name as for a wrong password, so that timing does not tell which names exist.
     */
    public Optional<Set<String>> authenticate(String name, char[] password) {
        User user = users.get(name);
        if (user == null) {
            PasswordHash.verify(password, DUMMY);
            return Optional.empty();
        }
        try {
            return PasswordHash.verify(password, user.hash()) ? Optional.of(user.roles()) : Optional.empty();
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /** A hash of nothing anyone knows, verified for unknown names. */
    private static final String DUMMY = PasswordHash.hash(new char[] {'\0'});
}
