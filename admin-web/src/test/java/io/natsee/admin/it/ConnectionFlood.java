package io.natsee.admin.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Many idle NATS client connections from a process of their own (each socket is a file descriptor,
 * and the test JVM holds the broker's side of each): {@code ConnectionFlood HOST PORT COUNT SECONDS}
 * opens COUNT plain sockets, sends each a CONNECT and a PING, prints {@code connected COUNT}, and
 * holds them open for at most SECONDS (or until its input closes), then exits. Only JDK classes, so
 * it runs from the test classes directory alone.
 */
public final class ConnectionFlood {

    private ConnectionFlood() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        byte[] hello = ("CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"flood\",\"lang\":\"java\",\"version\":\"0\",\"protocol\":1}\r\n"
                + "SUB flood.> 1\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII);
        List<SocketChannel> channels = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
                channel.write(ByteBuffer.wrap(hello));
                channels.add(channel);
            }
            System.out.println("connected " + channels.size());
            System.out.flush();
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // wait for the parent to close our input
                    }
                } catch (IOException ignored) {
                    // the parent is gone
                }
                Runtime.getRuntime().halt(0);
            }, "stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
            TimeUnit.SECONDS.sleep(seconds);
        } finally {
            for (SocketChannel channel : channels) {
                channel.close();
            }
        }
    }
}
