package io.natsee.it.ra;

import io.nats.client.Connection;
import io.natsee.it.Deployments;
import io.natsee.it.Http;
import io.natsee.it.ItNats;
import io.natsee.it.ra.app.BenchServlet;
import io.natsee.it.ra.app.CountingMdb;
import io.natsee.it.ra.app.CountingMdb1;
import io.natsee.it.ra.app.CountingMdb16;
import io.natsee.it.ra.app.Factories;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The figures in docs/ra-guide.md, measured inside Payara Micro; not part of the default build
 * (run with {@code mvn -pl arquillian-tests verify -Dit.test=RaThroughputMeasurement}).
 */
@ExtendWith(ArquillianExtension.class)
class RaThroughputMeasurement {

    static {
        ItNats.start();
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("bench", Factories.class, BenchServlet.class, CountingMdb.class, CountingMdb1.class, CountingMdb16.class);
    }

    @ArquillianResource
    URL base;

    private long bench(String op, int messages, int size) throws Exception {
        return Long.parseLong(Http.get(base, "bench", Map.of("op", op, "messages", "" + messages, "size", "" + size, "url", ItNats.url())));
    }

    @Test
    void measure() throws Exception {
        int messages = 200_000;
        for (int round = 1; round <= 6; round++) {
            long pooled = bench("pooled", messages, 128);
            long adapter = bench("adapter", messages, 128);
            long handle = bench("handle", messages, 128);
            long raw = bench("raw", messages, 128);
            System.out.printf("MEASURE publish 128 B round %d: pooled get/publish/close %d ns/msg, adapter-only get/publish/close %d ns/msg,"
                    + " one handle %d ns/msg, raw jnats %d ns/msg%n", round, pooled, adapter, handle, raw);
        }
        Http.get(base, "bench", Map.of("op", "dispatcher-start", "url", ItNats.url()));
        try (Connection client = ItNats.connect()) {
            String[] kinds = Boolean.getBoolean("measure.sleepy") ? new String[] {"empty", "sleep1ms"} : new String[] {"empty"};
            for (String kind : kinds) {
                for (String subject : new String[] {"bench.c1", "bench.c16", "bench.raw"}) {
                    if (subject.equals("bench.raw") && !kind.equals("empty")) {
                        continue;
                    }
                    int count = kind.equals("empty") ? 50_000 : 2_000;
                    byte[] payload = kind.equals("empty") ? new byte[16] : "s".repeat(16).getBytes();
                    for (int round = 1; round <= 2; round++) {
                        warmUp(client, subject);
                        Http.get(base, "bench", Map.of("op", "reset"));
                        long start = System.nanoTime();
                        for (int i = 0; i < count; i++) {
                            client.publish(subject, payload);
                        }
                        client.flush(Duration.ofSeconds(30));
                        while (Long.parseLong(Http.get(base, "bench", Map.of("op", "count", "subject", subject))) < count) {
                            Thread.sleep(20);
                        }
                        double seconds = (System.nanoTime() - start) / 1e9;
                        System.out.printf("MEASURE MDB %s %s round %d: %d messages in %.2f s = %.0f msg/s%n", subject, kind, round,
                                count, seconds, count / seconds);
                    }
                }
            }
        } finally {
            Http.get(base, "bench", Map.of("op", "dispatcher-stop"));
        }
    }

    private void warmUp(Connection client, String subject) throws Exception {
        Http.get(base, "bench", Map.of("op", "reset"));
        for (int i = 0; i < 2_000; i++) {
            client.publish(subject, new byte[16]);
        }
        client.flush(Duration.ofSeconds(30));
        while (Long.parseLong(Http.get(base, "bench", Map.of("op", "count", "subject", subject))) < 2_000) {
            Thread.sleep(20);
        }
    }
}
