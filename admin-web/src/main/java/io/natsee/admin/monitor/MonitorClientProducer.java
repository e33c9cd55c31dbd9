package io.natsee.admin.monitor;

import io.natsee.admin.AdminSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Makes the console's {@link MonitorClient} from {@link AdminSettings}: HTTP to the configured servers. */
@ApplicationScoped
public class MonitorClientProducer {

    @Produces
    @ApplicationScoped
    MonitorClient client() {
        AdminSettings settings = AdminSettings.fromEnvironment();
        // One admin token (natsee.admin.token) serves the broker's close-connection and the streaming server's delete-channel.
        return new HttpMonitorClient(settings.servers(), settings.streaming(), settings.servers().get(0).token(),
                HttpMonitorClient.DEFAULT_TIMEOUT);
    }
}
