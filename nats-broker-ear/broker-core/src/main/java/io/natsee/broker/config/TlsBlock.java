package io.natsee.broker.config;

import io.natsee.broker.Values;
import io.natsee.broker.config.BlockReader.BlockError;
import io.natsee.broker.config.ConfigValue.ArrayValue;
import io.natsee.broker.config.ConfigValue.BooleanValue;
import io.natsee.broker.config.ConfigValue.FloatValue;
import io.natsee.broker.config.ConfigValue.IntegerValue;
import io.natsee.broker.config.ConfigValue.MapValue;
import io.natsee.broker.config.ConfigValue.StringValue;
import io.natsee.broker.tls.TlsOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the client port's {@code tls} block into {@link TlsOptions}, with nats-server 2.9.10's
 * keys, checks and error texts: {@code cert_file}, {@code key_file}, {@code ca_file},
 * {@code verify}, {@code verify_and_map}, {@code timeout} (seconds, or a duration string) and
 * {@code cipher_suites} (nats-server's names). The files are checked as nats-server checks them
 * when it reads the file (see {@link TlsFiles}).
 *
 * <p>Keys nats-server knows that {@link TlsOptions} cannot express are refused by name unless
 * they hold the value that asks for nothing: {@code insecure} (false), {@code curve_preferences},
 * {@code pinned_certs} (empty) and {@code connection_rate_limit} (0). Deliberate differences:
 * a block without {@code cert_file} and {@code key_file}, which nats-server accepts and then
 * fails every handshake, is refused; a negative {@code timeout} is refused.
 */
final class TlsBlock {

    /** The cipher suite names nats-server 2.9.10 accepts (its {@code cipherMap}). */
    static final Set<String> CIPHER_SUITES = Set.of(
            "TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
            "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    /** The curve names nats-server 2.9.10 accepts. */
    private static final Set<String> CURVES = Set.of("CurveP256", "CurveP384", "CurveP521", "X25519");

    private static final String PREFIX = "error parsing tls config, ";

    private TlsBlock() {
    }

    /**
     * Reads the block; every problem is added to {@code errors}.
     *
     * @return the options, or {@code null} when the block has errors
     */
    static TlsOptions read(ConfigEntry block, List<ConfigError> errors) {
        if (!(block.value() instanceof MapValue map)) {
            errors.add(BlockReader.wrongType(block, "a block { ... }").error);
            return null;
        }
        int before = errors.size();
        Path certFile = null;
        Path keyFile = null;
        Path caFile = null;
        boolean verify = false;
        boolean verifyAndMap = false;
        Duration timeout = null;
        List<String> cipherSuites = List.of();
        for (ConfigEntry entry : map.entries().values()) {
            try {
                switch (entry.key().toLowerCase(Locale.ROOT)) {
                    case "cert_file" -> certFile = file(entry);
                    case "key_file" -> keyFile = file(entry);
                    case "ca_file" -> caFile = file(entry);
                    case "verify" -> verify = bool(entry);
                    case "verify_and_map" -> verifyAndMap = bool(entry);
                    case "verify_cert_and_check_known_urls" -> {
                        if (bool(entry)) {
                            throw new BlockError(entry.keyPosition(),
                                    "verify_cert_and_check_known_urls not supported in this context");
                        }
                    }
                    case "insecure" -> {
                        if (bool(entry)) {
                            throw unsupported(entry, "false");
                        }
                    }
                    case "timeout" -> timeout = timeout(entry);
                    case "cipher_suites" -> cipherSuites = cipherSuites(entry);
                    case "curve_preferences" -> curves(entry);
                    case "pinned_certs" -> {
                        if (!(entry.value() instanceof ArrayValue array) || !array.elements().isEmpty()) {
                            throw unsupported(entry, "[]");
                        }
                    }
                    case "connection_rate_limit" -> {
                        if (!(entry.value() instanceof IntegerValue limit) || limit.value() != 0) {
                            throw unsupported(entry, "0");
                        }
                    }
                    default -> {
                        if (!entry.usedAsVariable()) {
                            errors.add(entry.keyPosition().error(PREFIX + "unknown field [\"" + entry.key() + "\"]"));
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
        ConfigPosition at = block.keyPosition();
        if (certFile == null && keyFile == null) {
            errors.add(at.error("missing 'cert_file' and 'key_file' in TLS configuration"
                    + " (nats-server would require TLS without a certificate and fail every handshake)"));
            return null;
        }
        if (certFile == null) {
            errors.add(at.error("missing 'cert_file' in TLS configuration"));
            return null;
        }
        if (keyFile == null) {
            errors.add(at.error("missing 'key_file' in TLS configuration"));
            return null;
        }
        String problem = TlsFiles.problem(certFile, keyFile, caFile);
        if (problem != null) {
            errors.add(at.error(problem));
            return null;
        }
        return new TlsOptions(certFile, keyFile, caFile, verify, verifyAndMap, timeout, cipherSuites);
    }

    private static Path file(ConfigEntry entry) {
        if (!(entry.value() instanceof StringValue text)) {
            throw new BlockError(entry.keyPosition(), PREFIX + "expected '" + entry.key() + "' to be filename");
        }
        if (text.value().isEmpty()) {
            return null;
        }
        try {
            return Path.of(text.value());
        } catch (InvalidPathException e) {
            throw new BlockError(entry.value().position(), "\"" + entry.key() + "\" is not a valid path: " + e.getReason());
        }
    }

    private static boolean bool(ConfigEntry entry) {
        if (entry.value() instanceof BooleanValue bool) {
            return bool.value();
        }
        throw new BlockError(entry.keyPosition(), PREFIX + "expected '" + entry.key() + "' to be a boolean");
    }

    /** Seconds (integer or fractional) or a duration string; zero means the default. */
    private static Duration timeout(ConfigEntry entry) {
        ConfigValue value = entry.value();
        Duration timeout;
        if (value instanceof IntegerValue integer) {
            timeout = Duration.ofSeconds(integer.value());
        } else if (value instanceof FloatValue number) {
            timeout = Duration.ofNanos(Math.round(number.value() * 1e9));
        } else if (value instanceof StringValue text) {
            try {
                timeout = Values.parseDuration(text.value());
            } catch (IllegalArgumentException e) {
                throw new BlockError(entry.keyPosition(), PREFIX + "'timeout' " + e.getMessage());
            }
        } else {
            throw new BlockError(entry.keyPosition(), PREFIX + "'timeout' wrong type");
        }
        if (timeout.isNegative()) {
            throw new BlockError(value.position(), "\"timeout\" must not be negative"
                    + " (nats-server would fail every handshake at once)");
        }
        return timeout.isZero() ? null : timeout;
    }

    private static List<String> cipherSuites(ConfigEntry entry) {
        if (!(entry.value() instanceof ArrayValue array)) {
            throw BlockReader.wrongType(entry, "an array of cipher suite names");
        }
        if (array.elements().isEmpty()) {
            throw new BlockError(entry.keyPosition(), PREFIX + "'cipher_suites' cannot be empty");
        }
        List<String> suites = new ArrayList<>();
        for (ConfigValue element : array.elements()) {
            if (!(element instanceof StringValue name)) {
                throw new BlockError(element.position(), "a cipher suite must be a string, not " + BlockReader.describe(element));
            }
            if (!CIPHER_SUITES.contains(name.value())) {
                throw new BlockError(element.position(), "unrecognized cipher " + name.value());
            }
            suites.add(name.value());
        }
        return suites;
    }

    /** Checks the names as nats-server does, then refuses: {@link TlsOptions} has no curves. */
    private static void curves(ConfigEntry entry) {
        if (!(entry.value() instanceof ArrayValue array)) {
            throw BlockReader.wrongType(entry, "an array of curve names");
        }
        if (array.elements().isEmpty()) {
            throw new BlockError(entry.keyPosition(), PREFIX + "'curve_preferences' cannot be empty");
        }
        for (ConfigValue element : array.elements()) {
            if (!(element instanceof StringValue name) || !CURVES.contains(name.value())) {
                throw new BlockError(element.position(), "unrecognized curve preference "
                        + (element instanceof StringValue name ? name.value() : BlockReader.describe(element)));
            }
        }
        throw new BlockError(entry.keyPosition(), "\"" + entry.key() + "\" is not supported yet by this server");
    }

    private static BlockError unsupported(ConfigEntry entry, String acceptedValue) {
        return new BlockError(entry.keyPosition(), "\"" + entry.key() + "\" is not supported yet by this server"
                + " except with the value " + acceptedValue);
    }
}
