package io.natsee.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.SocketChannel;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/** One connection on netty: the {@link TransportChannel} the broker writes to, and the handler that reads. */
final class NettyChannel extends ChannelInboundHandlerAdapter implements TransportChannel {

    private static final System.Logger LOG = System.getLogger(NettyChannel.class.getName());

    private final SocketChannel channel;
    private final int loopIndex;
    private final String remoteHost;
    private final int remotePort;
    private ChannelListener listener;
    private boolean closedNotified;

    NettyChannel(SocketChannel channel, int loopIndex) {
        this.channel = channel;
        this.loopIndex = loopIndex;
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

    @Override
    public void startTls() {
        throw new IllegalStateException("TLS is not configured on this transport");
    }

    @Override
    public java.util.List<java.security.cert.X509Certificate> peerCertificates() {
        return java.util.List.of();
    }
}
