package io.natsee.broker.cli;

import io.natsee.broker.BrokerDefaults;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this server, stamped into {@code version.properties} by the build. */
final class Version {

    private Version() {
    }

    /** Our release, for example {@code 0.1.0}; {@code dev} when run from unfiltered sources. */
    static String server() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "");
                if (!version.isEmpty() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // A damaged jar: the version line is still useful without the number.
        }
        return "dev";
    }

    /**
     * The {@code -v} line. nats-server prints {@code nats-server: v2.9.10}; this server names
     * itself and the nats-server release whose protocol and flags it follows, so no tool mistakes
     * it for the Go server.
     */
    static String line() {
        return "natsee-server: v" + server() + " (nats-server v" + BrokerDefaults.VERSION + " compatible)";
    }
}
