package io.natsee.broker.config;

import static io.natsee.broker.config.BlockReader.describe;
import static io.natsee.broker.config.BlockReader.integer;
import static io.natsee.broker.config.BlockReader.string;
import static io.natsee.broker.config.BlockReader.strings;

import io.natsee.broker.Values;
import io.natsee.broker.auth.AuthOptions;
import io.natsee.broker.auth.Permissions;
import io.natsee.broker.auth.ResponsePermission;
import io.natsee.broker.auth.SubjectRules;
import io.natsee.broker.auth.User;
import io.natsee.broker.config.BlockReader.BlockError;
import io.natsee.broker.config.ConfigValue.ArrayValue;
import io.natsee.broker.config.ConfigValue.BooleanValue;
import io.natsee.broker.config.ConfigValue.FloatValue;
import io.natsee.broker.config.ConfigValue.IntegerValue;
import io.natsee.broker.config.ConfigValue.MapValue;
import io.natsee.broker.config.ConfigValue.StringValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads the {@code authorization} block into {@link AuthOptions}, with nats-server 2.9.10's
 * keys, aliases, checks and error texts (each error at the value it concerns, in this
 * project's 1-based columns).
 *
 * <p>What nats-server does and this reader matches: {@code user}/{@code username},
 * {@code password}/{@code pass}, {@code token}, {@code timeout} (seconds, integer or fractional;
 * any other type is read as 1 second, which this reader also does but warns about),
 * {@code users}, and {@code default_permissions} (aliases {@code default_permission},
 * {@code permissions}). A user entry takes {@code user}/{@code username},
 * {@code password}/{@code pass}, {@code nkey}, {@code permissions} (aliases {@code permission},
 * {@code authorization}) and {@code allowed_connection_types} (aliases
 * {@code allowed_conn_types}, {@code allowed_cnx_types}). An empty allow list allows
 * everything, as nats-server reads it; {@code allow_responses} without publish rules allows only
 * replies. A user without a password gets the empty password, which nats-server compares
 * against the client's (missing, so empty) {@code pass}.
 *
 * <p>Deliberate differences: a negative {@code timeout} (which nats-server accepts, timing
 * every client out at once) is refused; a negative {@code allow_responses.max} or
 * {@code expires} (nats-server: no limit) becomes {@link Integer#MAX_VALUE} or zero, which
 * {@link ResponsePermission} documents as no limit; values of the wrong type are reported as
 * such where nats-server reports a Go type-conversion panic.
 */
final class AuthorizationBlock {

    /** The connection types nats-server 2.9.10 accepts in {@code allowed_connection_types}. */
    private static final Set<String> CONNECTION_TYPES = Set.of(
            "STANDARD", "WEBSOCKET", "LEAFNODE", "LEAFNODE_WS", "MQTT", "MQTT_WS");

    /** nats-server's default for {@code allow_responses}: one reply per request. */
    private static final int DEFAULT_RESPONSE_MAX = 1;

    private final List<ConfigError> errors;
    private final Consumer<ConfigError> warnings;
    /** Where the first password nats-server would call plaintext was written; {@code null} if none. */
    private ConfigPosition plaintextPassword;
    /** The same for users without a password, which nats-server excuses under TLS {@code verify_and_map}. */
    private ConfigPosition missingPassword;

    private AuthorizationBlock(List<ConfigError> errors, Consumer<ConfigError> warnings) {
        this.errors = errors;
        this.warnings = warnings;
    }

    /** The result of reading the block: the options, and where nats-server would warn about plaintext. */
    record Result(AuthOptions options, ConfigPosition plaintextPassword, ConfigPosition missingPassword) {

        /** Where to warn about plaintext passwords, given whether TLS maps certificates to users. */
        ConfigPosition plaintextWarning(boolean tlsMapsUsers) {
            if (plaintextPassword != null) {
                return plaintextPassword;
            }
            return tlsMapsUsers ? null : missingPassword;
        }
    }

    /**
     * Reads the block; every problem is added to {@code errors}.
     *
     * @return the options, or {@code null} when the block has errors
     */
    static Result read(ConfigEntry entry, List<ConfigError> errors, Consumer<ConfigError> warnings) {
        int before = errors.size();
        AuthorizationBlock reader = new AuthorizationBlock(errors, warnings);
        AuthOptions options;
        try {
            options = reader.authorization(entry);
        } catch (BlockError e) {
            errors.add(e.error);
            return null;
        }
        return errors.size() > before ? null
                : new Result(options, reader.plaintextPassword, reader.missingPassword);
    }

    /** Whether nats-server treats a configured password as a bcrypt hash ({@code $2a$NN$...}, also 2b, 2x, 2y). */
    static boolean isBcrypt(String password) {
        return password.matches("\\$2[abxy]\\$\\d{2}\\$.*");
    }

    private AuthOptions authorization(ConfigEntry block) {
        MapValue map = BlockReader.map(block);
        String user = null;
        String password = null;
        ConfigPosition passwordAt = null;
        String token = null;
        Duration timeout = null;
        List<User> users = null;
        ConfigEntry usersEntry = null;
        Permissions defaults = null;
        for (ConfigEntry entry : map.entries().values()) {
            try {
                switch (entry.key().toLowerCase(Locale.ROOT)) {
                    case "user", "username" -> user = string(entry);
                    case "pass", "password" -> {
                        password = string(entry);
                        passwordAt = entry.value().position();
                    }
                    case "token" -> token = string(entry);
                    case "timeout" -> timeout = timeout(entry);
                    case "users" -> {
                        users = users(entry);
                        usersEntry = entry;
                    }
                    case "default_permission", "default_permissions", "permissions" -> defaults = permissions(entry);
                    default -> BlockReader.unknownField(entry, errors);
                }
            } catch (BlockError e) {
                errors.add(e.error);
            }
        }
        user = emptyToNull(user);
        token = emptyToNull(token);
        password = emptyToNull(password);
        ConfigPosition at = block.keyPosition();
        if ((user != null || password != null) && token != null) {
            errors.add(at.error("Cannot have a user/pass and token"));
        }
        if (usersEntry != null && user != null) {
            errors.add(at.error("Can not have a single user/pass and a users array"));
        }
        if (usersEntry != null && token != null) {
            errors.add(at.error("Can not have a token and a users array"));
        }
        if (password != null && !isBcrypt(password) && plaintextPassword == null) {
            plaintextPassword = passwordAt;
        }
        return new AuthOptions(user, user != null && password == null ? "" : password, token,
                users == null ? List.of() : users, defaults, timeout);
    }

    /** nats-server reads a number of seconds; anything else silently as one second. */
    private Duration timeout(ConfigEntry entry) {
        ConfigValue value = entry.value();
        double seconds;
        if (value instanceof IntegerValue integer) {
            seconds = integer.value();
        } else if (value instanceof FloatValue number) {
            seconds = number.value();
        } else {
            warnings.accept(value.position().error("\"timeout\" is a number of seconds; nats-server reads "
                    + describe(value) + " as 1 second, and so does this server"));
            return Duration.ofSeconds(1);
        }
        if (seconds < 0) {
            throw new BlockError(value.position(), "\"timeout\" must not be negative, not " + seconds
                    + " (nats-server would time every client out at once)");
        }
        return seconds == 0 ? null : Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private List<User> users(ConfigEntry entry) {
        if (!(entry.value() instanceof ArrayValue array)) {
            throw new BlockError(entry.value().position(), "Expected users field to be an array, got "
                    + describe(entry.value()));
        }
        List<User> users = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> nkeys = new HashSet<>();
        for (ConfigValue element : array.elements()) {
            if (!(element instanceof MapValue map)) {
                errors.add(element.position().error("Expected user entry to be a map/struct, got " + describe(element)));
                continue;
            }
            User user = user(map);
            if (user == null) {
                continue;
            }
            if (user.nkey() != null && !nkeys.add(user.nkey())) {
                errors.add(map.position().error("Duplicate nkey \"" + user.nkey() + "\" detected"));
            } else if (user.name() != null && !names.add(user.name())) {
                errors.add(map.position().error("Duplicate user \"" + user.name() + "\" detected"));
            } else {
                users.add(user);
            }
        }
        return users;
    }

    /** One user entry, or {@code null} when it has errors (already recorded). */
    private User user(MapValue map) {
        int before = errors.size();
        String name = null;
        String password = null;
        ConfigPosition passwordAt = null;
        String nkey = null;
        ConfigPosition nkeyAt = null;
        Permissions permissions = null;
        Set<String> connectionTypes = Set.of();
        for (ConfigEntry entry : map.entries().values()) {
            try {
                switch (entry.key().toLowerCase(Locale.ROOT)) {
                    case "nkey" -> {
                        nkey = string(entry);
                        nkeyAt = entry.value().position();
                    }
                    case "user", "username" -> name = string(entry);
                    case "pass", "password" -> {
                        password = string(entry);
                        passwordAt = entry.value().position();
                    }
                    case "permission", "permissions", "authorization" -> permissions = permissions(entry);
                    case "allowed_connection_types", "allowed_conn_types", "allowed_cnx_types" ->
                            connectionTypes = connectionTypes(entry);
                    default -> BlockReader.unknownField(entry, errors);
                }
            } catch (BlockError e) {
                errors.add(e.error);
            }
        }
        nkey = emptyToNull(nkey);
        name = emptyToNull(name);
        password = emptyToNull(password);
        if (nkey == null && name == null) {
            errors.add(map.position().error("User entry requires a user"));
        } else if (nkey != null) {
            if (!io.natsee.broker.auth.NKeys.isValidUserKey(nkey)) {
                errors.add(nkeyAt.error("Not a valid public nkey for a user"));
            }
            if (name != null || password != null) {
                errors.add(map.position().error("Nkey users do not take usernames or passwords"));
            }
        }
        if (errors.size() > before) {
            return null;
        }
        if (nkey != null) {
            return new User(null, null, nkey, permissions, connectionTypes);
        }
        if (password == null) {
            if (missingPassword == null) {
                missingPassword = map.position();
            }
        } else if (!isBcrypt(password) && plaintextPassword == null) {
            plaintextPassword = passwordAt;
        }
        return new User(name, password == null ? "" : password, null, permissions, connectionTypes);
    }

    private Set<String> connectionTypes(ConfigEntry entry) {
        Set<String> types = new LinkedHashSet<>();
        for (StringValue type : strings(entry, "a connection type")) {
            types.add(type.value().toUpperCase(Locale.ROOT));
        }
        List<String> unknown = types.stream().filter(type -> !CONNECTION_TYPES.contains(type)).toList();
        if (!unknown.isEmpty()) {
            throw new BlockError(entry.value().position(), "invalid connection types "
                    + unknown.stream().map(type -> "\"" + type + "\"").collect(Collectors.joining(" ", "[", "]")));
        }
        return types;
    }

    /** A {@code permissions} block; {@code null} after recording errors. */
    private Permissions permissions(ConfigEntry entry) {
        if (!(entry.value() instanceof MapValue map)) {
            throw new BlockError(entry.value().position(), "Expected permissions to be a map/struct, got "
                    + describe(entry.value()));
        }
        int before = errors.size();
        SubjectRules publish = null;
        SubjectRules subscribe = null;
        ResponsePermission responses = null;
        for (ConfigEntry permission : map.entries().values()) {
            try {
                switch (permission.key().toLowerCase(Locale.ROOT)) {
                    case "pub", "publish", "import" -> publish = subjectRules(permission);
                    case "sub", "subscribe", "export" -> subscribe = subjectRules(permission);
                    case "publish_allow_responses", "allow_responses" -> responses = responses(permission);
                    default -> {
                        if (!permission.usedAsVariable()) {
                            errors.add(permission.keyPosition().error("Unknown field \"" + permission.key()
                                    + "\" parsing permissions"));
                        }
                    }
                }
            } catch (BlockError e) {
                errors.add(e.error);
            }
        }
        if (errors.size() > before) {
            return null;
        }
        if (responses != null && (publish == null || publish.allow() == null)) {
            // As nats-server: allow_responses switches off the blanket publish permission.
            publish = new SubjectRules(List.of(), publish == null ? List.of() : publish.deny());
        }
        return new Permissions(publish, subscribe, responses);
    }

    /** A subject, a list of subjects (the allow list), or {@code { allow, deny }}. */
    private SubjectRules subjectRules(ConfigEntry entry) {
        ConfigValue value = entry.value();
        if (value instanceof MapValue map) {
            List<String> allow = null;
            List<String> deny = List.of();
            for (ConfigEntry rule : map.entries().values()) {
                switch (rule.key().toLowerCase(Locale.ROOT)) {
                    case "allow" -> allow = subjects(rule);
                    case "deny" -> deny = subjects(rule);
                    default -> {
                        if (!rule.usedAsVariable()) {
                            throw new BlockError(rule.keyPosition(), "Unknown field name \"" + rule.key()
                                    + "\" parsing subject permissions, only 'allow' or 'deny' are permitted");
                        }
                    }
                }
            }
            return new SubjectRules(allow == null || allow.isEmpty() ? null : allow, deny);
        }
        List<String> allow = subjects(entry);
        return new SubjectRules(allow.isEmpty() ? null : allow, List.of());
    }

    private static List<String> subjects(ConfigEntry entry) {
        ConfigValue value = entry.value();
        if (!(value instanceof StringValue) && !(value instanceof ArrayValue)) {
            throw new BlockError(value.position(), "Expected subject permissions to be a subject, or array of subjects, got "
                    + describe(value));
        }
        List<String> subjects = new ArrayList<>();
        List<ConfigValue> elements = value instanceof ArrayValue array ? array.elements() : List.of(value);
        for (ConfigValue element : elements) {
            if (!(element instanceof StringValue subject)) {
                throw new BlockError(element.position(), "Subject in permissions array cannot be cast to string");
            }
            if (!isValidPermissionSubject(subject.value())) {
                throw new BlockError(element.position(), "subject \"" + subject.value() + "\" is not a valid subject");
            }
            subjects.add(subject.value());
        }
        return subjects;
    }

    private ResponsePermission responses(ConfigEntry entry) {
        ConfigValue value = entry.value();
        if (value instanceof BooleanValue bool) {
            return bool.value() ? ResponsePermission.DEFAULT : null;
        }
        if (!(value instanceof MapValue map)) {
            throw new BlockError(value.position(), "error parsing response permissions, expected a boolean or a map");
        }
        int max = DEFAULT_RESPONSE_MAX;
        Duration expires = Duration.ZERO;
        for (ConfigEntry field : map.entries().values()) {
            switch (field.key().toLowerCase(Locale.ROOT)) {
                case "max", "max_msgs", "max_messages", "max_responses" -> {
                    long number = integer(field);
                    if (number < 0 || number > Integer.MAX_VALUE) {
                        max = Integer.MAX_VALUE; // nats-server: negative means no limit
                    } else if (number > 0) {
                        max = (int) number;
                    }
                }
                case "expires", "expiration", "ttl" -> {
                    if (!(field.value() instanceof StringValue text)) {
                        throw new BlockError(field.value().position(), "error parsing expires, not a duration string");
                    }
                    try {
                        Duration parsed = Values.parseDuration(text.value());
                        // nats-server: zero keeps the default, negative means no limit; both are zero here.
                        expires = parsed.isNegative() ? Duration.ZERO : parsed;
                    } catch (IllegalArgumentException e) {
                        throw new BlockError(field.value().position(), "error parsing expires: " + e.getMessage());
                    }
                }
                default -> {
                    if (!field.usedAsVariable()) {
                        throw new BlockError(field.keyPosition(), "Unknown field \"" + field.key() + "\" parsing permissions");
                    }
                }
            }
        }
        return new ResponsePermission(max, expires);
    }

    /**
     * nats-server's check of permission subjects: a valid subject (wildcards allowed), or a
     * subject and a queue group separated by white space (the queue form of subscribe rules,
     * which nats-server also lets through for publish rules).
     */
    static boolean isValidPermissionSubject(String text) {
        if (isValidSubject(text)) {
            return true;
        }
        String[] fields = text.strip().split("[ \\t\\n\\r\\f]+");
        return !text.isBlank() && fields.length == 2 && isValidSubject(fields[0]) && isValidSubject(fields[1]);
    }

    /** nats-server's {@code IsValidSubject}: no empty tokens, nothing after {@code >}, no white space in tokens. */
    static boolean isValidSubject(String subject) {
        if (subject.isEmpty()) {
            return false;
        }
        boolean afterFullWildcard = false;
        for (String token : subject.split("\\.", -1)) {
            if (token.isEmpty() || afterFullWildcard) {
                return false;
            }
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                    return false;
                }
            }
            if (token.equals(">")) {
                afterFullWildcard = true;
            }
        }
        return true;
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
