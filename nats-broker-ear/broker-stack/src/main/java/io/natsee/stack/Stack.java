package io.natsee.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The one-command stack: starts Payara Micro (taken from Maven Central at build time, kept next
 * to this jar in {@code natsee-stack/}) with the broker WAR, the NATS resource adapter and the
 * sample application, loopback only, Hazelcast and phone-home off; prints where each part
 * listens once every part answers; stops the server on Ctrl-C or SIGTERM and waits for it.
 *
 * <pre>
 * java -jar natsee-stack.jar [-a HOST] [-p NATS_PORT] [--http-port PORT] [--no-sample]
 * </pre>
 *
 * {@code NATSEE_STACK_JAVA_OPTS} adds JVM options to the server's JVM. Other broker settings
 * ({@code nats.*} system properties, {@code NATS_*} environment variables, see docs/deploy.md)
 * reach the broker through the environment, which the server inherits.
 */
public final class Stack {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(300);

    private final String host;
    private final int natsPort;
    private final int httpPort;
    private final boolean sample;
    private final Path archives;
    private volatile Process server;
    private volatile Path work;
    private volatile boolean stopping;

    private Stack(String host, int natsPort, int httpPort, boolean sample, Path archives) {
        this.host = host;
        this.natsPort = natsPort;
        this.httpPort = httpPort;
        this.sample = sample;
        this.archives = archives;
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int natsPort = 4222;
        int httpPort = 8080;
        boolean sample = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-a", "--addr", "--net" -> host = value(args, ++i);
                case "-p", "--port" -> natsPort = Integer.parseInt(value(args, ++i));
                case "--http-port" -> httpPort = Integer.parseInt(value(args, ++i));
                case "--no-sample" -> sample = false;
                case "-h", "--help" -> {
                    System.out.println("usage: java -jar natsee-stack.jar [-a HOST] [-p NATS_PORT] [--http-port PORT] [--no-sample]");
                    return;
                }
                default -> {
                    System.err.println("natsee-stack: unknown option " + args[i] + " (see --help)");
                    System.exit(2);
                }
            }
        }
        Stack stack = new Stack(host, natsPort, httpPort, sample, archives());
        System.exit(stack.run());
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println("natsee-stack: " + args[i - 1] + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    /** The {@code natsee-stack/} directory next to this jar, holding Payara Micro and the archives. */
    private static Path archives() throws URISyntaxException {
        Path jar = Path.of(Stack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path directory = (Files.isDirectory(jar) ? jar.getParent() : jar.getParent()).resolve("natsee-stack");
        if (!Files.isRegularFile(directory.resolve("payara-micro.jar"))) {
            throw new IllegalStateException(directory + "/payara-micro.jar is missing: build with mvn package");
        }
        return directory;
    }

    private int run() throws IOException, InterruptedException {
        long started = System.nanoTime();
        work = Files.createTempDirectory("natsee-stack");
        Path preboot = Files.writeString(work.resolve("preboot.asadmin"),
                "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=" + host + "\n");
        String servers = "nats\\://" + host + "\\:" + natsPort;
        StringBuilder postboot = new StringBuilder()
                .append("deploy --name natsee-broker --contextroot broker ").append(archives.resolve("natsee-broker.war")).append('\n')
                .append("create-resource-adapter-config --property servers=").append(servers)
                .append(":maxReconnects=-1:reconnectWaitMillis=250 nats-ra\n")
                .append("deploy --name nats-ra ").append(archives.resolve("nats-ra.rar")).append('\n');
        if (sample) {
            postboot.append("deploy --name natsee-greeter --contextroot greeter ").append(archives.resolve("natsee-greeter.war")).append('\n');
        }
        Path postbootFile = Files.writeString(work.resolve("postboot.asadmin"), postboot);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String options = System.getenv("NATSEE_STACK_JAVA_OPTS");
        if (options != null && !options.isBlank()) {
            command.addAll(List.of(options.trim().split("\\s+")));
        }
        command.addAll(List.of("-Dnats.host=" + host, "-Dnats.port=" + natsPort,
                "-jar", archives.resolve("payara-micro.jar").toString(),
                "--nohazelcast", "--disablephonehome", "--port", Integer.toString(httpPort),
                "--rootdir", work.resolve("runtime").toString(),
                "--prebootcommandfile", preboot.toString(), "--postbootcommandfile", postbootFile.toString()));
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "natsee-stack-stop"));
        // Ctrl-C and SIGTERM are the normal way to stop: exit 0 after stopping (the hook above
        // stops the server), rather than the JVM's 130/143. Installed before anything starts.
        for (String name : List.of("INT", "TERM")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                stopping = true;
                new Thread(() -> System.exit(0), "natsee-stack-exit").start();
            });
        }
        server = new ProcessBuilder(command).inheritIO().start();

        if (!awaitReady()) {
            if (!server.isAlive()) {
                System.err.println("natsee-stack: Payara Micro exited with status " + server.exitValue() + " before the stack was ready");
                return 1;
            }
            System.err.println("natsee-stack: not ready after " + STARTUP_TIMEOUT.toSeconds() + " s; stopping");
            return 1;
        }
        String http = "http://" + host + ":" + httpPort;
        StringBuilder banner = new StringBuilder()
                .append(String.format("%nNATS EE stack ready in %.1f s (Payara Micro, pid %d)%n", (System.nanoTime() - started) / 1e9, server.pid()))
                .append("  NATS clients         nats://").append(host).append(':').append(natsPort).append('\n')
                .append("  broker monitoring    ").append(http).append("/broker/varz  ").append(http).append("/broker/healthz\n")
                .append("  readiness            ").append(http).append("/health/ready\n")
                .append("  resource adapter     nats-ra, connected to nats://").append(host).append(':').append(natsPort).append('\n');
        if (sample) {
            banner.append("  sample application   ").append(http).append("/greeter/api/greetings (POST publishes, GET lists what its MDB received)\n");
        }
        banner.append("Ctrl-C stops the stack.");
        System.out.println(banner);
        System.out.flush();
        int status = server.waitFor();
        return stopping ? 0 : status;
    }

    /** Every part answers: the client port accepts, readiness is UP, the sample's endpoint answers. */
    private boolean awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://" + host + ":" + httpPort;
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && server.isAlive()) {
            if (accepts() && ok(http, base + "/health/ready") && ok(http, base + "/broker/healthz")
                    && (!sample || ok(http, base + "/greeter/api/greetings"))) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, natsPort), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean ok(HttpClient http, String url) throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops Payara Micro (SIGTERM: it undeploys, so the broker closes its clients), waits, cleans up. */
    private void stop() {
        stopping = true;
        Process running = server;
        if (running != null && running.isAlive()) {
            System.out.println("natsee-stack: stopping");
            running.destroy();
            try {
                if (!running.waitFor(60, TimeUnit.SECONDS)) {
                    System.err.println("natsee-stack: Payara Micro did not stop in 60 s; killing it");
                    running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                running.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        Path directory = work;
        if (directory != null) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                System.err.println("natsee-stack: could not remove " + directory + ": " + e);
            }
        }
    }
}
