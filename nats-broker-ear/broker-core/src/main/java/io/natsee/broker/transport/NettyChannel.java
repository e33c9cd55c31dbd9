package io.natsee.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.SocketChannel;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;

/** One connection on netty: the {@link TransportChannel} the broker writes to, and the handler that reads. */
final class NettyChannel extends ChannelInboundHandlerAdapter implements TransportChannel {

    private static final System.Logger LOG = System.getLogger(NettyChannel.class.getName());

    private final SocketChannel channel;
    private final int loopIndex;
    private final String remoteHost;
    private final int remotePort;
    private final SslContext sslContext;
    private final long handshakeTimeoutMillis;
    /** The host dialled, for a channel that is the client side of TLS (a dialled route); {@code null} otherwise. */
    private final String dialledHost;
    private SslHandler sslHandler;
    /** Set once on the event loop when the handshake succeeded; read by monitoring threads. */
    private volatile TlsSession tlsSession;
    private ChannelListener listener;
    private boolean closedNotified;

    NettyChannel(SocketChannel channel, int loopIndex) {
        this(channel, loopIndex, null, 0);
    }

    /** A channel that can upgrade to TLS with {@code sslContext} ({@code null}: plain TCP only). */
    NettyChannel(SocketChannel channel, int loopIndex, SslContext sslContext, long handshakeTimeoutMillis) {
        this(channel, loopIndex, sslContext, handshakeTimeoutMillis, null);
    }

    /**
     * A channel that can upgrade to TLS; with {@code dialledHost} set it takes the client side of
     * the handshake and checks that the peer's certificate names that host, as Go's TLS client does.
     */
    NettyChannel(SocketChannel channel, int loopIndex, SslContext sslContext, long handshakeTimeoutMillis,
                 String dialledHost) {
        this.channel = channel;
        this.dialledHost = dialledHost;
        this.loopIndex = loopIndex;
        this.sslContext = sslContext;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        InetSocketAddress remote = channel.remoteAddress();
        this.remoteHost = remote == null ? "" : remote.getAddress().getHostAddress();
        this.remotePort = remote == null ? 0 : remote.getPort();
    }

    void listener(ChannelListener listener) {
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        ByteBuf buffer = (ByteBuf) message;
        try {
            int readable = buffer.readableBytes();
            if (readable > 0) {
                ByteBuffer bytes = buffer.nioBufferCount() == 1
                        ? buffer.internalNioBuffer(buffer.readerIndex(), readable)
                        : buffer.nioBuffer();
                listener.onRead(bytes);
            }
        } finally {
            buffer.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        listener.onReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        listener.onWritabilityChanged(channel.isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!closedNotified) {
            closedNotified = true;
            listener.onClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Connection resets and the like: the close that follows tells the connection.
        LOG.log(System.Logger.Level.DEBUG, "connection {0}:{1} failed: {2}", remoteHost, remotePort, cause.toString());
        channel.close();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ByteBuf out = channel.alloc().directBuffer(length);
        out.writeBytes(bytes, offset, length);
        channel.writeAndFlush(out, channel.voidPromise());
    }

    @Override
    public long pendingBytes() {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        return outbound == null ? 0 : outbound.totalPendingWriteBytes();
    }

    @Override
    public long unwrittenBytes() {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        if (outbound == null) {
            return 0;
        }
        long[] left = new long[1];
        try {
            outbound.forEachFlushedMessage(message -> {
                if (message instanceof io.netty.buffer.ByteBuf buffer) {
                    left[0] += buffer.readableBytes();
                }
                return true;
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return left[0];
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public boolean inEventLoop() {
        return channel.eventLoop().inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        ScheduledFuture<?> future = channel.eventLoop().schedule(task, delay, unit);
        return () -> future.cancel(false);
    }

    @Override
    public void setReading(boolean reading) {
        channel.config().setAutoRead(reading);
    }

    @Override
    public void closeAfterFlush() {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void closeNow() {
        channel.close();
    }

    @Override
    public String remoteHost() {
        return remoteHost;
    }

    @Override
    public int remotePort() {
        return remotePort;
    }

    @Override
    public int loopIndex() {
        return loopIndex;
    }

    /**
     * Puts netty's {@link SslHandler} at the head of the pipeline, as the server side. What was
     * written before (INFO) has already passed the pipeline into the socket's outbound buffer, so
     * it goes out in plain text ahead of the handshake, as nats-server sends it; every later write
     * is encrypted, and is held by the handler until the handshake is done. The handler starts its
     * handshake timer when added; a client that sends anything but a TLS record (a plaintext
     * {@code CONNECT}), a bad or missing client certificate, or a handshake that does not finish
     * in time fails the handshake, and the connection is closed without a byte more, as
     * nats-server 2.9.10 does (its {@code -ERR 'Secure Connection - TLS Required'} after a
     * handshake timeout never reaches the client: the connection is closed before it is written).
     */
    @Override
    public void startTls() {
        if (sslContext == null) {
            throw new IllegalStateException("TLS is not configured on this transport");
        }
        if (sslHandler != null) {
            throw new IllegalStateException("TLS already started");
        }
        SslHandler handler;
        if (dialledHost == null) {
            handler = sslContext.newHandler(channel.alloc());
        } else {
            handler = sslContext.newHandler(channel.alloc(), dialledHost, remotePort);
            javax.net.ssl.SSLParameters parameters = handler.engine().getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            handler.engine().setSSLParameters(parameters);
        }
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        // A failed handshake closes at once: no close_notify to wait for.
        handler.setCloseNotifyFlushTimeoutMillis(0);
        handler.setCloseNotifyReadTimeoutMillis(0);
        this.sslHandler = handler;
        channel.pipeline().addFirst("tls", handler);
        handler.handshakeFuture().addListener(this::handshakeDone);
    }

    private void handshakeDone(Future<? super io.netty.channel.Channel> result) {
        Throwable failure = result.cause();
        if (failure != null) {
            LOG.log(System.Logger.Level.DEBUG, "{0}:{1} - TLS handshake error: {2}", remoteHost, remotePort, failure.toString());
        } else {
            javax.net.ssl.SSLSession session = sslHandler.engine().getSession();
            tlsSession = new TlsSession(session.getProtocol(), session.getCipherSuite());
        }
        if (!closedNotified) {
            listener.onTlsHandshake(failure);
        }
        if (failure != null) {
            channel.close();
        }
    }

    @Override
    public TlsSession tlsSession() {
        return tlsSession;
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        SslHandler handler = sslHandler;
        if (handler == null || !handler.handshakeFuture().isSuccess()) {
            return List.of();
        }
        try {
            Certificate[] chain = handler.engine().getSession().getPeerCertificates();
            List<X509Certificate> certificates = new ArrayList<>(chain.length);
            for (Certificate certificate : chain) {
                if (certificate instanceof X509Certificate x509) {
                    certificates.add(x509);
                }
            }
            return List.copyOf(certificates);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }
}
