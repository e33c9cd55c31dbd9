package io.natsee.broker.cli;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerDefaults;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.monitor.MonitorHttpServer;
import io.natsee.broker.monitor.MonitorService;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One standalone server: the broker, its monitoring HTTP endpoints when a monitoring port is set,
 * and the pid file, started and stopped together with nats-server's start-up and shut-down lines.
 */
public final class StandaloneServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StandaloneServer.class.getName());

    private final BrokerOptions options;
    private final Broker broker;
    private final MonitorService monitor;
    private MonitorHttpServer http;
    private Path writtenPidFile;
    private Path writtenPortsFile;
    private boolean started;
    private boolean closed;

    /** A server with the given options; nothing is bound until {@link #start}. */
    public StandaloneServer(BrokerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.broker = new Broker(options);
        this.monitor = broker.monitor();
    }

    /**
     * Starts monitoring (when configured) and then the client listener, as nats-server does,
     * writes the pid file and reports {@code Server is ready}. On failure everything started is
     * stopped again.
     *
     * @throws IOException with nats-server's wording when a port cannot be bound or the pid file
     *                     cannot be written
     */
    public synchronized void start() throws IOException {
        if (started || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        started = true;
        LOG.log(System.Logger.Level.INFO, "Starting natsee-server");
        LOG.log(System.Logger.Level.INFO, "  Version:  {0}", Version.server() + " (nats-server " + BrokerDefaults.VERSION + " compatible)");
        LOG.log(System.Logger.Level.DEBUG, "  Java:     {0}", Runtime.version() + " " + System.getProperty("java.vm.name", ""));
        LOG.log(System.Logger.Level.INFO, "  Name:     {0}", broker.serverName());
        LOG.log(System.Logger.Level.INFO, "  ID:       {0}", broker.serverId());
        try {
            if (options.httpPort() != 0) {
                startMonitoring();
            }
            try {
                broker.start();
            } catch (IOException e) {
                throw new IOException("Error listening on port: " + options.host() + ":" + options.port()
                        + ", \"" + e.getMessage() + "\"", e);
            }
            // The broker itself reports "Listening for client connections on host:port".
            if (options.pidFile() != null) {
                writePidFile(options.pidFile());
            }
            if (options.portsFileDir() != null) {
                writePortsFile(options.portsFileDir());
            }
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "Server is ready");
    }

    /**
     * Applies options re-read from the configuration file to the running broker (see
     * {@link Broker#reload(BrokerOptions)}): the authorization, max_connections and max_payload
     * change at run time; any other change is refused, with nothing applied.
     *
     * @return {@code newOptions}, now in effect
     * @throws IllegalArgumentException naming the options that cannot change at run time
     * @throws IllegalStateException when the server is not running
     */
    public synchronized BrokerOptions reload(BrokerOptions newOptions) {
        if (!started || closed) {
            throw new IllegalStateException("server not running");
        }
        broker.reload(newOptions);
        return newOptions;
    }

    /** The broker this server runs. */
    public Broker broker() {
        return broker;
    }

    /** The monitoring data of the broker. */
    public MonitorService monitor() {
        return monitor;
    }

    /** The bound monitoring address, or {@code null} when monitoring is off or not started. */
    public synchronized InetSocketAddress monitorAddress() {
        return http == null ? null : http.address();
    }

    /**
     * Shuts down gracefully: monitoring, then the broker, then the pid file. Can run more than
     * once; only the first call acts.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.log(System.Logger.Level.INFO, "Initiating Shutdown...");
        // The broker reports "Server Exiting.." once it has closed its clients.
        stop();
    }

    private void startMonitoring() throws IOException {
        String host = options.httpHost();
        MonitorHttpServer server = new MonitorHttpServer(monitor, host, options.httpPort(), new MonitorThreads(),
                "natsee-server " + Version.server());
        try {
            server.start();
        } catch (IOException e) {
            throw new IOException("Can't listen to the monitor port: " + hostPort(host, options.httpPort())
                    + ", \"" + e.getMessage() + "\"", e);
        }
        http = server;
        LOG.log(System.Logger.Level.INFO, "Starting http monitor on {0}", hostPort(host, server.address().getPort()));
    }

    private void stop() {
        if (http != null) {
            http.close();
            http = null;
        }
        try {
            broker.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Error closing the broker", e);
        }
        if (writtenPidFile != null) {
            deletePidFile(writtenPidFile);
            writtenPidFile = null;
        }
        if (writtenPortsFile != null) {
            try {
                Files.deleteIfExists(writtenPortsFile);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not remove ports file {0}: {1}", writtenPortsFile, e.getMessage());
            }
            writtenPortsFile = null;
        }
    }

    /**
     * Lame duck mode (SIGUSR2, {@code --signal ldm}); see {@link Broker#enterLameDuckMode}.
     *
     * @return completes once the broker has closed; the caller then closes this server
     */
    public java.util.concurrent.CompletableFuture<Void> enterLameDuckMode() {
        try {
            return broker.enterLameDuckMode();
        } catch (IllegalStateException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }

    /**
     * nats-server's ports file: {@code <executable>_<pid>.ports} in the directory, holding the
     * URLs of the client and monitoring ports as JSON ({@code {"nats":[...],"monitoring":[...]}}),
     * removed on shut-down. The executable's name is {@code natsee-server}.
     */
    private void writePortsFile(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("ports file directory " + directory + " does not exist");
        }
        Path file = directory.resolve("natsee-server_" + ProcessHandle.current().pid() + ".ports");
        StringBuilder json = new StringBuilder("{\"nats\":[\"nats://").append(hostPort(advertised(options.host()), broker.port()))
                .append("\"]");
        if (http != null) {
            json.append(",\"monitoring\":[\"http://").append(hostPort(advertised(options.httpHost()), http.address().getPort()))
                    .append("\"]");
        }
        json.append('}');
        try {
            Files.writeString(file, json.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("Error writing ports file (" + file + "): " + e.getMessage(), e);
        }
        writtenPortsFile = file;
    }

    /** The address a client uses for a listener bound to {@code host} (the wildcard means this machine). */
    private static String advertised(String host) {
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    private void writePidFile(Path file) throws IOException {
        String pid = Long.toString(ProcessHandle.current().pid());
        try {
            Files.writeString(file, pid, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("Could not write pidfile: " + e.getMessage(), e);
        }
        writtenPidFile = file;
    }

    /** Deletes the pid file unless another process has written its own id there since. */
    private static void deletePidFile(Path file) {
        try {
            String content = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (content.equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.delete(file);
            }
        } catch (NoSuchFileException e) {
            // Already gone: nothing to clean up.
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not remove pidfile {0}: {1}", file, e.getMessage());
        }
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Daemon threads for the monitoring server, so they never keep the JVM alive. */
    private static final class MonitorThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "natsee-monitor-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
