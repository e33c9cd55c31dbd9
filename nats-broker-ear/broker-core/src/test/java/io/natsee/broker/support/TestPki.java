package io.natsee.broker.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throw-away public key infrastructure for TLS tests, made with BouncyCastle at test time: a CA,
 * certificates it signs (a server certificate for 127.0.0.1 and localhost, client certificates),
 * written as PEM files in the forms nats-server reads (RSA keys in PKCS#1 or PKCS#8, EC keys in
 * SEC1 or PKCS#8), and JDK {@link SSLContext}s for clients such as jnats.
 */
public final class TestPki {

    /** Key types and PEM encodings of a private key. */
    public enum KeyForm {
        /** RSA 2048, {@code -----BEGIN RSA PRIVATE KEY-----}. */
        RSA_PKCS1,
        /** RSA 2048, {@code -----BEGIN PRIVATE KEY-----}. */
        RSA_PKCS8,
        /** EC P-256, {@code -----BEGIN EC PRIVATE KEY-----}. */
        EC_SEC1,
        /** EC P-256, {@code -----BEGIN PRIVATE KEY-----}. */
        EC_PKCS8
    }

    /** A certificate, its key, and where both were written. */
    public record Issued(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) {
    }

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final Path directory;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final Path caFile;

    private TestPki(Path directory, KeyPair caKeys, X509Certificate caCertificate, Path caFile) {
        this.directory = directory;
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
        this.caFile = caFile;
    }

    /** A new CA named {@code name}, its certificate written to {@code <directory>/<name>-ca.pem}. */
    public static TestPki create(Path directory, String name) {
        try {
            KeyPair keys = generate(KeyForm.RSA_PKCS8);
            X500Name subject = new X500Name("CN=" + name + " Test CA,O=NATS EE tests");
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(subject, subject, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys.getPrivate(), keys.getPrivate().getAlgorithm());
            Path file = directory.resolve(name + "-ca.pem");
            Files.writeString(file, pem(certificate), StandardCharsets.US_ASCII);
            return new TestPki(directory, keys, certificate, file);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot create a test CA", e);
        }
    }

    /** The CA certificate's PEM file (a {@code ca_file}). */
    public Path caFile() {
        return caFile;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** A server certificate for 127.0.0.1 and localhost. */
    public Issued server(String fileName, KeyForm form) {
        return issue(fileName, "CN=localhost,O=NATS EE tests", form, true);
    }

    /**
     * A route certificate for 127.0.0.1 and localhost, good for both ends of a TLS handshake
     * (server and client authentication), as a cluster member needs with {@code verify}.
     */
    public Issued route(String fileName, KeyForm form) {
        return issue(fileName, new X500Name("CN=localhost,O=NATS EE tests"), form, null,
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost"));
    }

    /** A client certificate with the given subject CN. */
    public Issued client(String fileName, String commonName, KeyForm form) {
        return issue(fileName, "CN=" + commonName + ",O=NATS EE tests", form, false);
    }

    /**
     * A client certificate for TLS {@code verify_and_map}: {@code rfc2253Subject} as the JDK reads
     * RFC 2253 (most specific first, so {@code "CN=alice,O=Test"} is encoded O then CN, as
     * {@code openssl -subj /O=Test/CN=alice} would), with the given subject alternative names
     * (BouncyCastle {@link GeneralName}s: {@code rfc822Name}, {@code dNSName},
     * {@code uniformResourceIdentifier}).
     */
    public Issued clientWithSubject(String fileName, String rfc2253Subject, KeyForm form, GeneralName... alternativeNames) {
        return issue(fileName, X500Name.getInstance(new javax.security.auth.x500.X500Principal(rfc2253Subject).getEncoded()),
                form, false, alternativeNames);
    }

    private Issued issue(String fileName, String subject, KeyForm form, boolean server) {
        GeneralName[] names = server ? new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")} : new GeneralName[0];
        return issue(fileName, new X500Name(subject), form, server, names);
    }

    private Issued issue(String fileName, X500Name subject, KeyForm form, boolean server, GeneralName... alternativeNames) {
        return issue(fileName, subject, form, server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth,
                alternativeNames);
    }

    /** {@code purpose} null: both server and client authentication. */
    private Issued issue(String fileName, X500Name subject, KeyForm form, KeyPurposeId purpose,
                         GeneralName... alternativeNames) {
        try {
            KeyPair keys = generate(form);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
                    subject, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(caCertificate))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, purpose == null
                            ? new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})
                            : new ExtendedKeyUsage(purpose));
            if (alternativeNames.length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternativeNames));
            }
            X509Certificate certificate = sign(builder, caKeys.getPrivate(), caKeys.getPrivate().getAlgorithm());
            Path certFile = directory.resolve(fileName + "-cert.pem");
            Path keyFile = directory.resolve(fileName + "-key.pem");
            Files.writeString(certFile, pem(certificate), StandardCharsets.US_ASCII);
            Files.writeString(keyFile, keyPem(keys.getPrivate(), form), StandardCharsets.US_ASCII);
            return new Issued(certificate, keys.getPrivate(), certFile, keyFile);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    /** A client context that trusts this CA and presents {@code identity} (none when {@code null}). */
    public SSLContext clientContext(Issued identity) {
        return clientContext(identity, caCertificate);
    }

    /** A client context that trusts {@code trusted} and presents {@code identity} (none when {@code null}). */
    public static SSLContext clientContext(Issued identity, X509Certificate trusted) {
        try {
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("ca", trusted);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            KeyManagerFactory keys = null;
            if (identity != null) {
                KeyStore keyStore = KeyStore.getInstance("PKCS12");
                keyStore.load(null, null);
                char[] password = "changeit".toCharArray();
                keyStore.setKeyEntry("client", identity.key(), password, new X509Certificate[] {identity.certificate()});
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a client SSLContext", e);
        }
    }

    private static KeyPair generate(KeyForm form) throws GeneralSecurityException {
        KeyPairGenerator generator;
        if (form == KeyForm.EC_SEC1 || form == KeyForm.EC_PKCS8) {
            generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer, String algorithm)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        ContentSigner contentSigner = new JcaContentSignerBuilder(
                "EC".equals(algorithm) ? "SHA256withECDSA" : "SHA256withRSA").build(signer);
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    /** PEM text of a certificate or of a key in its traditional form (PKCS#1 for RSA, SEC1 for EC). */
    public static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static String keyPem(PrivateKey key, KeyForm form) throws IOException {
        return switch (form) {
            case RSA_PKCS1 -> pem(key);
            case EC_SEC1 -> {
                // SEC1 with the curve inside, as openssl writes it (Go cannot read it without).
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
                ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                ECPrivateKey full = new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
                yield pem(new PemObject("EC PRIVATE KEY", full.getEncoded()));
            }
            case RSA_PKCS8, EC_PKCS8 -> pem(new JcaPKCS8Generator(key, null));
        };
    }
}
