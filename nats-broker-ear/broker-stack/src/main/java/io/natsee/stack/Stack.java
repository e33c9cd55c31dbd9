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
 * to this jar in {@code natsee-stack/}) with the broker WAR, the NATS resource adapter, the
 * streaming server WAR and the sample application, loopback only, Hazelcast and phone-home off; prints where each part
 * listens once every part answers; stops the server on Ctrl-C or SIGTERM and waits for it.
 *
 * <pre>
 * java -jar natsee-stack.jar [-a HOST] [-p NATS_PORT] [-m MONITOR_PORT] [--http-port PORT] [--no-sample]
 *                            [--deploy PATH.war|PATH.rar]... [--postboot FILE] [--addlibs PATH]...
 *                            [--write-commands DIR]
 * </pre>
 *
 * {@code -m} is the broker's own nats-server monitoring port (default 8222, 0 switches it off).
 * The streaming server WAR runs on the stack's broker; {@code streaming.*} keys (docs/streaming.md)
 * reach it like the broker's keys.
 *
 * {@code --deploy} adds the user's own WARs (context root: the file name without {@code .war})
 * and RARs, deployed after the broker and the adapter. {@code --postboot FILE} runs the user's asadmin
 * commands before anything is deployed (a JDBC connection pool and resource for the streaming
 * server's SQL store, for example); {@code --addlibs PATH} puts a JAR (a JDBC driver) or a directory
 * of JARs on Payara Micro's class path. {@code --write-commands DIR} writes the
 * pre- and post-boot command files into {@code DIR}, prints the Payara Micro command line that
 * uses them, and exits without starting anything.
 *
 * The admin console ({@code /admin}) reads its users from {@code NATSEE_ADMIN_USERS}, by default
 * {@code natsee-stack/admin-users.txt}; when that file does not exist the stack creates it with a
 * first operator, {@code admin}, whose random password it prints once (see {@link AdminAccount}).
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
    private final int monitorPort;
    private final boolean sample;
    private final Path archives;
    private final StackCommands commands;
    private volatile Process server;
    private volatile Path work;
    private volatile boolean stopping;

    private Stack(String host, int natsPort, int monitorPort, int httpPort, boolean sample, Path archives, List<Path> deployments,
                  String userCommands, List<Path> libraries) {
        this.host = host;
        this.natsPort = natsPort;
        this.monitorPort = monitorPort;
        this.httpPort = httpPort;
        this.sample = sample;
        this.archives = archives;
        this.commands = new StackCommands(host, natsPort, archives, sample, deployments, userCommands, libraries);
    }

    private static final String USAGE = "usage: java -jar natsee-stack.jar [-a HOST] [-p NATS_PORT] [-m MONITOR_PORT] [--http-port PORT]"
            + " [--no-sample] [--deploy PATH.war|PATH.rar]... [--postboot FILE] [--addlibs PATH]... [--write-commands DIR]";

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int natsPort = 4222;
        int httpPort = 8080;
        int monitorPort = 8222;
        boolean sample = true;
        List<Path> deployments = new ArrayList<>();
        List<Path> libraries = new ArrayList<>();
        String userCommands = "";
        Path writeCommands = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-a", "--addr", "--net" -> host = value(args, ++i);
                case "-p", "--port" -> natsPort = Integer.parseInt(value(args, ++i));
                case "--http-port" -> httpPort = Integer.parseInt(value(args, ++i));
                case "-m", "--http_port", "--monitor-port" -> monitorPort = Integer.parseInt(value(args, ++i));
                case "--no-sample" -> sample = false;
                case "--deploy" -> {
                    Path deployment = Path.of(value(args, ++i));
                    if (!Files.isRegularFile(deployment)) {
                        System.err.println("natsee-stack: --deploy " + deployment + ": no such file");
                        System.exit(2);
                    }
                    deployments.add(deployment);
                }
                case "--postboot" -> {
                    Path file = Path.of(value(args, ++i));
                    try {
                        userCommands = Files.readString(file);
                    } catch (IOException e) {
                        System.err.println("natsee-stack: --postboot " + file + ": cannot read it (" + e.getMessage() + ")");
                        System.exit(2);
                    }
                }
                case "--addlibs" -> {
                    Path library = Path.of(value(args, ++i));
                    if (!Files.exists(library)) {
                        System.err.println("natsee-stack: --addlibs " + library + ": no such file or directory");
                        System.exit(2);
                    }
                    libraries.add(library);
                }
                case "--write-commands" -> writeCommands = Path.of(value(args, ++i));
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> {
                    System.err.println("natsee-stack: unknown option " + args[i] + " (see --help)");
                    System.exit(2);
                }
            }
        }
        Stack stack;
        try {
            stack = new Stack(host, natsPort, monitorPort, httpPort, sample, archives(), deployments, userCommands, libraries);
        } catch (IllegalArgumentException e) {
            System.err.println("natsee-stack: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (writeCommands != null) {
            stack.writeCommands(writeCommands);
            return;
        }
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

    /** Writes the command files and prints the Payara Micro command that uses them. */
    private void writeCommands(Path directory) throws IOException {
        for (Path file : commands.writeTo(directory)) {
            System.out.println("wrote " + file.toAbsolutePath());
        }
        List<String> command = new ArrayList<>(List.of("java", "-Dnats.host=" + host, "-Dnats.port=" + natsPort,
                "-Dnats.http_port=" + monitorPort, "-jar", archives.resolve("payara-micro.jar").toString()));
        command.addAll(commands.microOptions(httpPort, directory.toAbsolutePath()));
        System.out.println("run Payara Micro with them:");
        System.out.println("  " + String.join(" ", command));
    }

    private int run() throws IOException, InterruptedException {
        long started = System.nanoTime();
        work = Files.createTempDirectory("natsee-stack");
        commands.writeTo(work);

        String usersSetting = System.getenv("NATSEE_ADMIN_USERS");
        Path users = (usersSetting == null || usersSetting.isBlank() ? archives.resolve("admin-users.txt") : Path.of(usersSetting)).toAbsolutePath();
        String firstPassword = AdminAccount.ensure(users).orElse(null);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String options = System.getenv("NATSEE_STACK_JAVA_OPTS");
        if (options != null && !options.isBlank()) {
            command.addAll(List.of(options.trim().split("\\s+")));
        }
        command.addAll(List.of("-Dnats.host=" + host, "-Dnats.port=" + natsPort, "-Dnats.http_port=" + monitorPort,
                "-Dnatsee.admin.users=" + users, "-Dnatsee.admin.streaming=http://" + host + ":" + httpPort));
        if (monitorPort > 0) {
            command.add("-Dnatsee.admin.servers=http://" + host + ":" + monitorPort);
        }
        command.addAll(List.of("-jar", archives.resolve("payara-micro.jar").toString(),
                "--rootdir", work.resolve("runtime").toString()));
        command.addAll(commands.microOptions(httpPort, work));
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "natsee-stack-stop"));
        // Ctrl-C and SIGTERM are the normal way to stop: exit 0 after stopping (the hook above
        // stops the server), rather than the JVM's 130/143. Installed before anything starts.
        for (String name : List.of("INT", "TERM")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                stopping = true;
                new Thread(() -> System.exit(0), "natsee-stack-exit").start();
            });
        }
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        // the console closes connections through the broker's monitoring port with this token; it
        // travels in the environment, not on the command line where every local user could read it
        byte[] secret = new byte[24];
        new java.security.SecureRandom().nextBytes(secret);
        builder.environment().put("NATSEE_ADMIN_TOKEN", java.util.HexFormat.of().formatHex(secret));
        server = builder.start();

        String account = firstPassword == null ? ""
                : "  first operator       user " + AdminAccount.USER + ", password " + firstPassword
                        + " (printed this once; stored hashed in " + users + ")\n";
        if (!awaitReady()) {
            if (!account.isEmpty()) {
                System.err.print(account);
            }
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
                .append("  broker monitoring    ").append(monitorPort == 0 ? "" : "http://" + host + ":" + monitorPort + "/varz  ")
                .append(http).append("/broker/varz  ").append(http).append("/broker/healthz\n")
                .append("  NATS Streaming       on nats://").append(host).append(':').append(natsPort)
                .append(" (cluster id and store: ").append(http).append("/streaming/serverz, /streaming/storez)\n")
                .append("  health, metrics      ").append(http).append("/health/ready  ").append(http).append("/health/live  ")
                .append(http).append("/metrics\n")
                .append("  resource adapter     nats-ra, connected to nats://").append(host).append(':').append(natsPort).append('\n');
        banner.append("  admin console        ").append(http).append("/admin/\n").append(account);
        if (sample) {
            banner.append("  sample application   ").append(http).append("/greeter/api/greetings (POST publishes, GET lists what its MDB received)\n");
        }
        banner.append("Ctrl-C stops the stack.");
        System.out.println(banner);
        System.out.flush();
        int status = server.waitFor();
        return stopping ? 0 : status;
    }

    /** Every part answers: the client port accepts, readiness is UP, the console's login page and the sample's endpoint answer. */
    private boolean awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://" + host + ":" + httpPort;
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && server.isAlive()) {
            if (accepts() && ok(http, base + "/health/ready") && ok(http, base + "/broker/healthz")
                    && ok(http, base + "/streaming/serverz") && ok(http, base + "/admin/login.xhtml")
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
