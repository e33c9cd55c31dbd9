package io.natsee.streaming.ee;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The monitoring endpoints at the root of the streaming WAR ({@code /streaming/serverz}, ...). */
@ApplicationPath("/")
public class StreamingMonitorApplication extends Application {
}
