package io.natsee.broker.cluster;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.support.Await;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts our brokers as cluster members on 127.0.0.1 (any free ports) and connects jnats clients to them. */
final class ClusterTestSupport {

    static final Duration WAIT = Duration.ofSeconds(10);

    private ClusterTestSupport() {
    }

    /** A broker in cluster {@code name} (null: a generated name) that dials {@code routes}. */
    static Broker start(String serverName, String name, List<URI> routes) throws IOException {
        return start(serverName, name, routes, null, null);
    }

    static Broker start(String serverName, String name, List<URI> routes, String user, String password)
            throws IOException {
        return start(serverName, new ClusterOptions(name, "127.0.0.1", ClusterOptions.RANDOM_PORT, routes, user,
                password, null, null, null, false, 0));
    }

    /** A broker with the given cluster block (its host and port as given: use 127.0.0.1 and -1). */
    static Broker start(String serverName, ClusterOptions cluster) throws IOException {
        return start(serverName, cluster, null);
    }

    /** As {@link #start(String, ClusterOptions)}, with a write deadline ({@code null}: the default). */
    static Broker start(String serverName, ClusterOptions cluster, Duration writeDeadline) throws IOException {
        BrokerOptions.Builder builder = BrokerOptions.builder()
                .host("127.0.0.1")
                .port(-1)
                .serverName(serverName)
                .eventLoops(Integer.getInteger("natsee.test.eventLoops", 1))
                .cluster(cluster);
        if (writeDeadline != null) {
            builder.writeDeadline(writeDeadline);
        }
        BrokerOptions options = builder.build();
        Broker broker = new Broker(options);
        broker.start();
        return broker;
    }

    static URI routeUrl(Broker broker) {
        return URI.create("nats-route://127.0.0.1:" + broker.routes().port());
    }

    static String clientUrl(Broker broker) {
        return "nats://127.0.0.1:" + broker.port();
    }

    static int routeCount(Broker broker) {
        return broker.routes().routes().size();
    }

    /** Waits until every broker has a route to each of the others. */
    static void awaitMesh(Broker... brokers) {
        for (Broker broker : brokers) {
            Await.until(WAIT, "a full mesh of " + brokers.length, () -> routeCount(broker) == brokers.length - 1);
        }
    }

    /** Waits until {@code broker} has interest in {@code subject} from {@code routes} routes. */
    static void awaitRemoteInterest(Broker broker, String subject, int routes) {
        Await.until(WAIT, "interest in " + subject + " from " + routes + " routes", () -> {
            int count = 0;
            for (RouteConnection route : broker.routes().routes()) {
                for (String key : route.remoteSubjects()) {
                    if (key.equals(subject) || key.startsWith(subject + " ")) {
                        count++;
                        break;
                    }
                }
            }
            return count >= routes;
        });
    }

    static Connection connect(Broker broker) throws IOException, InterruptedException {
        return connect(clientUrl(broker));
    }

    static Connection connect(String url) throws IOException, InterruptedException {
        Connection connection = Nats.connect(new Options.Builder().server(url).connectionTimeout(WAIT)
                .maxReconnects(0).build());
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            throw new IOException("not connected to " + url);
        }
        return connection;
    }

    static void closeAll(AutoCloseable... resources) {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("close failed", failures.get(0));
        }
    }
}
