package io.natsee.broker.ee;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The monitoring endpoints at the root of the broker WAR ({@code /broker/varz}, {@code /broker/healthz}). */
@ApplicationPath("/")
public class MonitorApplication extends Application {
}
