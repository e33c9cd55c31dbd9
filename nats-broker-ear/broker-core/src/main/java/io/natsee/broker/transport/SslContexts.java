package io.natsee.broker.transport;

import io.natsee.broker.tls.TlsException;
import io.natsee.broker.tls.TlsSettings;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * Turns {@link TlsSettings} (JDK types, loaded by the core) into netty's server {@link SslContext},
 * so that netty types stay in the transport package. OpenSSL (BoringSSL from netty-tcnative) is
 * preferred when it loads: on this project's 2-core machines, pub/sub over TLS 1.3 cost the
 * server about 2.1 us of CPU per 1 KiB message with it against 3-6 us with the JDK engine (and
 * 0.2 against 0.3 us at 16 bytes); the JDK engine is the fallback where the native library does
 * not load.
 */
final class SslContexts {

    private static final System.Logger LOG = System.getLogger(SslContexts.class.getName());

    private SslContexts() {
    }

    /** The provider the settings ask for, resolving AUTO by what loads here. */
    static SslProvider provider(TlsSettings.Engine engine) throws TlsException {
        return switch (engine) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new TlsException("OpenSSL TLS engine is not available: " + OpenSsl.unavailabilityCause(),
                            OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL;
            }
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        };
    }

    /** A server context: our key and chain, client certificates required or not, TLS 1.2+. */
    static SslContext serverContext(TlsSettings settings) throws TlsException {
        SslProvider provider = provider(settings.engine());
        X509Certificate[] chain = settings.certificateChain().toArray(new X509Certificate[0]);
        SslContextBuilder builder = SslContextBuilder.forServer(settings.key(), chain)
                .sslProvider(provider)
                .protocols(settings.protocols())
                .clientAuth(settings.clientCertificatesRequired() ? ClientAuth.REQUIRE : ClientAuth.NONE);
        if (settings.trustedCertificates() != null) {
            builder.trustManager(settings.trustedCertificates().toArray(new X509Certificate[0]));
        }
        builder.ciphers(settings.cipherSuitesInEffect(), SupportedCipherSuiteFilter.INSTANCE);
        try {
            SslContext context = builder.build();
            if (context.cipherSuites().isEmpty()) {
                throw new TlsException("none of the cipher suites " + settings.cipherSuitesInEffect()
                        + " is supported by the " + provider + " TLS engine");
            }
            LOG.log(System.Logger.Level.DEBUG, "TLS engine {0}", provider);
            return context;
        } catch (SSLException e) {
            throw new TlsException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * A client context, for dialled routes: the peer's certificate is checked against the
     * settings' CAs (the JDK's default trust when none are given), and ours is shown when asked.
     */
    static SslContext clientContext(TlsSettings settings) throws TlsException {
        SslProvider provider = provider(settings.engine());
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols(settings.protocols());
        if (settings.key() != null) {
            builder.keyManager(settings.key(), settings.certificateChain().toArray(new X509Certificate[0]));
        }
        if (settings.trustedCertificates() != null) {
            builder.trustManager(settings.trustedCertificates().toArray(new X509Certificate[0]));
        }
        builder.ciphers(settings.cipherSuitesInEffect(), SupportedCipherSuiteFilter.INSTANCE);
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new TlsException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
