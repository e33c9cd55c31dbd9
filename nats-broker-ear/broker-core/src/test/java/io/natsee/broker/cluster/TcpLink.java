package io.natsee.broker.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP link between a dialling server and a target port on 127.0.0.1, for route faults: it can
 * be cut (every connection through it closed), partitioned (cut, and new connections refused
 * until healed), and made slow in the direction of the target (paused, or a trickle). Daemon
 * threads; {@link #close()} stops everything.
 */
final class TcpLink implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;
    private volatile boolean paused;
    /** Bytes let through toward the target per 100 ms; 0 for no limit. */
    private volatile int trickle;
    private volatile boolean closed;

    TcpLink(int targetPort) throws IOException {
        this.targetPort = targetPort;
        server = new ServerSocket();
        // Small buffers, so that a link that does not read fills up soon.
        server.setReceiveBufferSize(32 * 1024);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::acceptLoop, "tcp-link-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The URL a server dials to reach the target through this link. */
    URI routeUrl() {
        return URI.create("nats-route://127.0.0.1:" + server.getLocalPort());
    }

    /** Closes every connection through the link; new ones are accepted. */
    void cut() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** Cuts the link and refuses connections until {@link #heal()}. */
    void partition() {
        refusing = true;
        cut();
    }

    void heal() {
        refusing = false;
    }

    /** Stops reading from the dialler (the target hears nothing more) until {@link #resume()}. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        trickle = 0;
    }

    /** Lets only {@code bytesPer100Millis} through toward the target per 100 ms. */
    void trickle(int bytesPer100Millis) {
        trickle = bytesPer100Millis;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket dialler;
            try {
                dialler = server.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                closeQuietly(dialler);
                continue;
            }
            try {
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(dialler);
                sockets.add(target);
                pump(dialler, target, true);
                pump(target, dialler, false);
            } catch (IOException e) {
                closeQuietly(dialler);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean towardTarget) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                long budget = 0;
                while (!closed) {
                    int limit = buffer.length;
                    if (towardTarget) {
                        if (paused) {
                            Thread.sleep(10);
                            continue;
                        }
                        int perTick = trickle;
                        if (perTick > 0) {
                            if (budget <= 0) {
                                Thread.sleep(100);
                                budget = perTick;
                            }
                            limit = (int) Math.min(limit, budget);
                        }
                    }
                    int read = in.read(buffer, 0, limit);
                    if (read < 0) {
                        break;
                    }
                    budget -= read;
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // The other side or cut() closed it.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-link-pump-" + from.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        cut();
    }
}
