package io.natsee.broker.transport;

import io.natsee.broker.tls.TlsSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The transport on netty: a group of event loops (native epoll where present, NIO otherwise) that
 * accepts connections on one or more ports and serves each connection on one loop for its life.
 * The only classes of the broker that see netty types are here, in the transport package
 * ({@link NettyChannel}, {@link SslContexts}); TLS settings come in as
 * {@link TlsSettings}, which holds JDK types only.
 */
public final class NettyTransport implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NettyTransport.class.getName());
    /** Writability turns off above this many unsent bytes and back on below the low mark. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final EventLoopGroup group;
    private final boolean epoll;
    private final Map<EventExecutor, Integer> loopIndexes = new IdentityHashMap<>();
    private final java.util.List<Channel> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Starts {@code eventLoops} IO threads made by {@code threadFactory} (daemon threads {@code natsee-io-*} if null). */
    public NettyTransport(int eventLoops, ThreadFactory threadFactory) {
        if (threadFactory == null) {
            threadFactory = new DefaultThreadFactory("natsee-io", true);
        }
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(eventLoops, threadFactory, handlers);
        int index = 0;
        for (EventExecutor executor : group) {
            loopIndexes.put(executor, index++);
        }
    }

    /** Whether the native epoll transport is in use. */
    public boolean nativeTransport() {
        return epoll;
    }

    /** The number of event loops. */
    public int eventLoops() {
        return loopIndexes.size();
    }

    /**
     * Listens on {@code host:port} (port 0 = any free port) and hands each accepted connection
     * to {@code acceptor}. Returns the bound port.
     */
    public int bind(String host, int port, ChannelAcceptor acceptor) throws IOException {
        return bind(host, port, acceptor, null);
    }

    /**
     * Like {@link #bind(String, int, ChannelAcceptor)}, with TLS settings ({@code null} for none)
     * that {@link TransportChannel#startTls()} uses on the accepted connections. A TLS engine that
     * cannot be set up fails here, before the port is bound.
     */
    public int bind(String host, int port, ChannelAcceptor acceptor, TlsSettings tls) throws IOException {
        SslContext sslContext = tls == null ? null : SslContexts.serverContext(tls);
        long handshakeTimeoutMillis = tls == null ? 0 : Math.max(1, tls.handshakeTimeout().toMillis());
        Class<? extends ServerChannel> serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        int loop = loopIndexes.getOrDefault(channel.eventLoop(), 0);
                        NettyChannel transportChannel = new NettyChannel(channel, loop, sslContext, handshakeTimeoutMillis);
                        channel.pipeline().addLast(transportChannel);
                        transportChannel.listener(acceptor.accept(transportChannel));
                    }
                });
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IOException("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
        }
        Channel channel = bound.channel();
        listeners.add(channel);
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Dials {@code host:port} and, once connected, hands the connection to {@code acceptor} as
     * if it had been accepted; {@code failed} hears why a connection could not be made (on an
     * event loop). Returns at once. For routes to other servers.
     */
    public void connect(String host, int port, int timeoutMillis, ChannelAcceptor acceptor,
                        java.util.function.Consumer<Throwable> failed) {
        connect(host, port, timeoutMillis, null, acceptor, failed);
    }

    /**
     * Like {@link #connect(String, int, int, ChannelAcceptor, java.util.function.Consumer)}, with
     * TLS settings ({@code null} for none) that {@link TransportChannel#startTls()} uses as the
     * client side of the handshake: the peer's certificate must chain to the settings' CAs (the
     * JDK's when none) and name {@code host}; our certificate is shown when the peer asks. A TLS
     * engine that cannot be set up fails through {@code failed}.
     */
    public void connect(String host, int port, int timeoutMillis, TlsSettings tls, ChannelAcceptor acceptor,
                        java.util.function.Consumer<Throwable> failed) {
        SslContext sslContext;
        try {
            sslContext = tls == null ? null : SslContexts.clientContext(tls);
        } catch (io.natsee.broker.tls.TlsException e) {
            failed.accept(e);
            return;
        }
        long handshakeTimeoutMillis = tls == null ? 0 : Math.max(1, tls.handshakeTimeout().toMillis());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                // Nothing is read until the listener is in place: a connect to a local port can
                // complete (and the peer's first bytes arrive) before the future's listener runs.
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        // The pipeline is completed once connected: the remote address is known then.
                    }
                });
        bootstrap.connect(new InetSocketAddress(host, port)).addListener((ChannelFuture future) -> {
            if (!future.isSuccess()) {
                failed.accept(future.cause());
                return;
            }
            SocketChannel channel = (SocketChannel) future.channel();
            int loop = loopIndexes.getOrDefault(channel.eventLoop(), 0);
            NettyChannel transportChannel = new NettyChannel(channel, loop, sslContext, handshakeTimeoutMillis,
                    sslContext == null ? null : host);
            channel.pipeline().addLast(transportChannel);
            transportChannel.listener(acceptor.accept(transportChannel));
            channel.config().setAutoRead(true);
        });
    }

    /** Runs {@code task} on one of the event loops after {@code delayMillis}; dropped once the loops stop. */
    public void schedule(Runnable task, long delayMillis) {
        if (!group.isShuttingDown()) {
            group.next().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Closes every listening socket; accepted connections stay open. */
    public void stopAccepting() {
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        listeners.clear();
    }

    /** Runs a task on every event loop. */
    public void executeOnEachLoop(java.util.function.IntConsumer task) {
        for (EventExecutor executor : group) {
            int index = loopIndexes.get(executor);
            executor.execute(() -> task.accept(index));
        }
    }

    /** Whether the calling thread is one of this transport's event loops. */
    public boolean inAnyEventLoop() {
        for (EventExecutor executor : group) {
            if (executor.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** Stops accepting and shuts the event loops down, waiting up to a few seconds. */
    @Override
    public void close() {
        stopAccepting();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        if (!group.isTerminated()) {
            LOG.log(System.Logger.Level.WARNING, "event loops did not stop within 10 s");
        }
    }

}
