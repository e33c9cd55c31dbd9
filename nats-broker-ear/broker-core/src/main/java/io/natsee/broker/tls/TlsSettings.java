package io.natsee.broker.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The client port's TLS settings, loaded and checked: the server's key and certificate chain
 * read from PEM files, the CAs that client certificates must chain to, whether clients must
 * present one, the cipher suites (Go names turned into IANA names) and the handshake timeout.
 *
 * <p>Only JDK types leave this class, so the core can load and check TLS settings (and report bad
 * files at start-up) without seeing netty; the transport turns a {@code TlsSettings} into its own
 * SSL context ({@code io.natsee.broker.transport.SslContexts}). PEM parsing is BouncyCastle's
 * (bcpkix): the JDK alone reads neither PKCS#1 ({@code RSA PRIVATE KEY}) nor SEC1
 * ({@code EC PRIVATE KEY}) keys, and nats-server accepts both. No security provider is
 * registered; keys are built by the JDK's own key factories.
 */
public final class TlsSettings {

    /** TLS 1.2 and newer, as nats-server (its minimum is TLS 1.2). */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The TLS 1.3 suites. Go ignores {@code cipher_suites} for TLS 1.3, so a configured list
     * restricts TLS 1.2 only and these stay enabled.
     */
    public static final List<String> TLS13_SUITES =
            List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    /**
     * What nats-server 2.9.10 enables without {@code cipher_suites} (its
     * {@code defaultCipherSuites}: ECDHE with AES-GCM or ChaCha20 for TLS 1.2, no CBC suites),
     * plus the TLS 1.3 suites; the engines' own defaults differ (the JDK's has no ChaCha20 for
     * TLS 1.2 here and allows CBC).
     */
    public static final List<String> DEFAULT_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    /**
     * nats-server's cipher names (its {@code cipherMap}, Go's constant names) to the IANA names
     * that the JDK and OpenSSL engines take. Most are the same; Go shortens the ChaCha20 ones.
     */
    private static final Map<String, String> GO_CIPHERS = Map.ofEntries(
            Map.entry("TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_RC4_128_SHA"),
            Map.entry("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
            Map.entry("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry("TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256"),
            Map.entry("TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
            Map.entry("TLS_ECDHE_RSA_WITH_RC4_128_SHA", "TLS_ECDHE_RSA_WITH_RC4_128_SHA"),
            Map.entry("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256"),
            Map.entry("TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384"),
            Map.entry("TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256"));

    /** Which TLS implementation the transport should use. */
    public enum Engine {
        /** OpenSSL (BoringSSL, netty-tcnative) when it loads on this machine, else the JDK's. */
        AUTO,
        /** OpenSSL, failing if it does not load. */
        OPENSSL,
        /** The JDK's SSLEngine. */
        JDK
    }

    private final PrivateKey key;
    private final List<X509Certificate> certificateChain;
    private final List<X509Certificate> trustedCertificates;
    private final boolean clientCertificatesRequired;
    private final List<String> cipherSuites;
    private final Duration handshakeTimeout;
    private final Engine engine;

    private TlsSettings(PrivateKey key, List<X509Certificate> certificateChain, List<X509Certificate> trustedCertificates,
                        boolean clientCertificatesRequired, List<String> cipherSuites, Duration handshakeTimeout,
                        Engine engine) {
        this.key = key;
        this.certificateChain = List.copyOf(certificateChain);
        this.trustedCertificates = trustedCertificates == null ? null : List.copyOf(trustedCertificates);
        this.clientCertificatesRequired = clientCertificatesRequired;
        this.cipherSuites = List.copyOf(cipherSuites);
        this.handshakeTimeout = handshakeTimeout;
        this.engine = engine;
    }

    /**
     * Reads and checks the files the options name. Fails with a message naming the file and the
     * problem: missing or unreadable, no certificate or key in it, a key that does not belong to
     * the certificate, an encrypted key, an unknown cipher suite.
     */
    public static TlsSettings load(TlsOptions options) throws TlsException {
        if (options.certFile() == null || options.keyFile() == null) {
            throw new TlsException("missing 'cert_file' or 'key_file' in TLS configuration");
        }
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            chain = readCertificates(options.certFile());
            key = readPrivateKey(options.keyFile());
        } catch (TlsException e) {
            throw new TlsException("error parsing X509 certificate/key pair: " + e.getMessage(), e.getCause());
        }
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new TlsException("error parsing X509 certificate/key pair: private key " + options.keyFile()
                    + " does not match the public key of certificate " + options.certFile());
        }
        List<X509Certificate> trusted = null;
        if (options.caFile() != null) {
            try {
                trusted = readCertificates(options.caFile());
            } catch (TlsException e) {
                throw new TlsException("failed to parse root ca certificate: " + e.getMessage(), e.getCause());
            }
        }
        return new TlsSettings(key, chain, trusted, options.requiresClientCertificates(),
                cipherSuites(options.cipherSuites()), options.timeoutOrDefault(), Engine.AUTO);
    }

    /** A copy that asks the transport for a particular TLS implementation. */
    public TlsSettings withEngine(Engine engine) {
        return new TlsSettings(key, certificateChain, trustedCertificates, clientCertificatesRequired, cipherSuites,
                handshakeTimeout, engine);
    }

    /** The server's private key. */
    public PrivateKey key() {
        return key;
    }

    /** The server's certificate first, then the intermediates the file holds. */
    public List<X509Certificate> certificateChain() {
        return certificateChain;
    }

    /** The CAs from {@code ca_file}; {@code null} for the JDK's default trust store. */
    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    /** Whether a client must present a certificate that chains to a trusted CA. */
    public boolean clientCertificatesRequired() {
        return clientCertificatesRequired;
    }

    /** The configured cipher suites in IANA names; empty for nats-server's defaults. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** The suites enabled: the configured ones, else {@link #DEFAULT_SUITES}. */
    public List<String> cipherSuitesInEffect() {
        return cipherSuites.isEmpty() ? DEFAULT_SUITES : cipherSuites;
    }

    /** The protocol versions offered. */
    public List<String> protocols() {
        return PROTOCOLS;
    }

    /** How long a handshake may take before the connection is closed. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Which TLS implementation to use. */
    public Engine engine() {
        return engine;
    }

    /**
     * Turns nats-server cipher names into IANA names; the TLS 1.3 suites are added to a non-empty
     * list, since Go does not let {@code cipher_suites} restrict TLS 1.3.
     */
    static List<String> cipherSuites(List<String> goNames) throws TlsException {
        if (goNames.isEmpty()) {
            return List.of();
        }
        Set<String> suites = new LinkedHashSet<>();
        for (String name : goNames) {
            String iana = GO_CIPHERS.get(name.trim().toUpperCase(Locale.ROOT));
            if (iana == null) {
                throw new TlsException("unrecognized cipher " + name);
            }
            suites.add(iana);
        }
        suites.addAll(TLS13_SUITES);
        return new ArrayList<>(suites);
    }

    /** Every certificate in a PEM file, in order; at least one. */
    public static List<X509Certificate> readCertificates(Path file) throws TlsException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (NoSuchFileException e) {
            throw new TlsException("open " + file + ": no such file or directory", e);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new TlsException("cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new TlsException("no PEM certificate found in " + file);
        }
        return certificates;
    }

    /**
     * The first private key in a PEM file: PKCS#1 ({@code RSA PRIVATE KEY}), SEC1
     * ({@code EC PRIVATE KEY}, an {@code EC PARAMETERS} block before it is skipped) or PKCS#8
     * ({@code PRIVATE KEY}). Encrypted keys are refused, as nats-server refuses them.
     */
    public static PrivateKey readPrivateKey(Path file) throws TlsException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new TlsException("encrypted private key in " + file + " is not supported");
                }
                if (!(object instanceof ASN1ObjectIdentifier) && !(object instanceof X509CertificateHolder)) {
                    throw new TlsException("unexpected " + object.getClass().getSimpleName() + " in key file " + file);
                }
            }
        } catch (NoSuchFileException e) {
            throw new TlsException("open " + file + ": no such file or directory", e);
        } catch (TlsException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new TlsException("cannot read a private key from " + file + ": " + e.getMessage(), e);
        }
        throw new TlsException("no PEM private key found in " + file);
    }

    /** Whether the private key belongs to the public key: a signature made by one verifies with the other. */
    static boolean matches(PrivateKey privateKey, PublicKey publicKey) throws TlsException {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new TlsException("unsupported private key algorithm " + privateKey.getAlgorithm());
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "TlsSettings[subject=" + certificateChain.get(0).getSubjectX500Principal()
                + ", verify=" + clientCertificatesRequired + ", ciphers=" + (cipherSuites.isEmpty() ? "default" : cipherSuites)
                + ", timeout=" + handshakeTimeout + ", engine=" + engine + "]";
    }
}
