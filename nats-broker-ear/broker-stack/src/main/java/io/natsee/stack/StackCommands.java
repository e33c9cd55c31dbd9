package io.natsee.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The asadmin command files the stack hands Payara Micro: the pre-boot file that binds the HTTP
 * listener to one address, and the post-boot file that deploys, in this order, the broker WAR,
 * the resource adapter (configured to reach that broker), the streaming server WAR (on that
 * broker), the user's own RARs, the sample, then the user's WARs, so that everything an
 * application needs is there before it starts, and last the admin console at {@code /admin}.
 * The user's own commands ({@code --postboot}) come first, so that what they create (a JDBC pool
 * and its resource for the streaming server's SQL store, say) exists when the deployments start.
 */
final class StackCommands {

    /** The name MDBs and connection factories refer to the adapter by. */
    static final String RESOURCE_ADAPTER_NAME = "nats-ra";

    private final String host;
    private final int natsPort;
    private final Path archives;
    private final boolean sample;
    private final List<Path> deployments;
    private final String userCommands;
    private final List<Path> libraries;

    /**
     * @param host the address Payara's HTTP listener and the broker bind
     * @param natsPort the broker's client port
     * @param archives the directory holding natsee-broker.war, nats-ra.rar, natsee-streaming.war and natsee-greeter.war
     * @param sample whether to deploy the greeter sample
     * @param deployments the user's WARs and RARs, in the order given
     */
    StackCommands(String host, int natsPort, Path archives, boolean sample, List<Path> deployments) {
        this(host, natsPort, archives, sample, deployments, "", List.of());
    }

    /**
     * @param userCommands asadmin commands of the user's, one per line, run before any deployment ("" for none)
     * @param libraries JARs (or directories of them) Payara Micro adds to its class path, such as a JDBC driver
     */
    StackCommands(String host, int natsPort, Path archives, boolean sample, List<Path> deployments,
                  String userCommands, List<Path> libraries) {
        this.userCommands = userCommands.isEmpty() || userCommands.endsWith("\n") ? userCommands : userCommands + "\n";
        this.libraries = List.copyOf(libraries);
        this.host = host;
        this.natsPort = natsPort;
        this.archives = archives;
        this.sample = sample;
        this.deployments = List.copyOf(deployments);
        for (Path deployment : this.deployments) {
            String kind = kind(deployment);
            if (!kind.equals("war") && !kind.equals("rar")) {
                throw new IllegalArgumentException("--deploy takes a .war or a .rar (Payara Micro deploys no EAR): " + deployment);
            }
        }
    }

    /** Returns the pre-boot file: the HTTP listener binds {@code host} only. */
    String preboot() {
        return "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address="
                + host + "\n";
    }

    /** Returns the post-boot file: every deployment, broker first and the user's WARs last. */
    String postboot() {
        String servers = "nats\\://" + host + "\\:" + natsPort;
        StringBuilder postboot = new StringBuilder(userCommands)
                .append("deploy --name natsee-broker --contextroot broker ").append(archives.resolve("natsee-broker.war")).append('\n')
                .append("create-resource-adapter-config --property servers=").append(servers)
                .append(":maxReconnects=-1:reconnectWaitMillis=250 ").append(RESOURCE_ADAPTER_NAME).append('\n')
                .append("deploy --name ").append(RESOURCE_ADAPTER_NAME).append(' ').append(archives.resolve("nats-ra.rar")).append('\n');
        postboot.append("deploy --name natsee-streaming --contextroot streaming ").append(archives.resolve("natsee-streaming.war")).append('\n');
        List<String> names = new ArrayList<>(List.of("natsee-broker", RESOURCE_ADAPTER_NAME, "natsee-streaming", "natsee-admin", "admin"));
        for (Path deployment : deployments) {
            if (kind(deployment).equals("rar")) {
                postboot.append("deploy --name ").append(uniqueName(deployment, names)).append(' ')
                        .append(deployment.toAbsolutePath()).append('\n');
            }
        }
        if (sample) {
            names.add("natsee-greeter");
            postboot.append("deploy --name natsee-greeter --contextroot greeter ").append(archives.resolve("natsee-greeter.war")).append('\n');
        }
        for (Path deployment : deployments) {
            if (kind(deployment).equals("war")) {
                String name = uniqueName(deployment, names);
                postboot.append("deploy --name ").append(name).append(" --contextroot ").append(name).append(' ')
                        .append(deployment.toAbsolutePath()).append('\n');
            }
        }
        postboot.append("deploy --name natsee-admin --contextroot admin ").append(archives.resolve("natsee-admin.war")).append('\n');
        return postboot.toString();
    }

    /** Writes {@code preboot.asadmin} and {@code postboot.asadmin} into {@code directory}; returns their paths. */
    List<Path> writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        return List.of(Files.writeString(directory.resolve("preboot.asadmin"), preboot()),
                Files.writeString(directory.resolve("postboot.asadmin"), postboot()));
    }

    /** Returns the Payara Micro options that use the files in {@code directory} (after {@code java -jar payara-micro.jar}). */
    List<String> microOptions(int httpPort, Path directory) {
        List<String> options = new ArrayList<>(List.of("--nohazelcast", "--disablephonehome", "--port", Integer.toString(httpPort),
                "--prebootcommandfile", directory.resolve("preboot.asadmin").toString(),
                "--postbootcommandfile", directory.resolve("postboot.asadmin").toString()));
        if (!libraries.isEmpty()) {
            StringBuilder paths = new StringBuilder();
            for (Path library : libraries) {
                paths.append(paths.length() == 0 ? "" : java.io.File.pathSeparator).append(library.toAbsolutePath());
            }
            options.addAll(List.of("--addlibs", paths.toString()));
        }
        return options;
    }

    private static String kind(Path deployment) {
        String file = deployment.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1);
    }

    /** The file name without its extension, made unique among the names already used. */
    private static String uniqueName(Path deployment, List<String> used) {
        String file = deployment.getFileName().toString();
        String base = file.substring(0, file.lastIndexOf('.')).replaceAll("[^A-Za-z0-9_.-]", "_");
        String name = base;
        for (int n = 2; used.contains(name); n++) {
            name = base + "-" + n;
        }
        used.add(name);
        return name;
    }
}
