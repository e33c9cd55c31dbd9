package io.natsee.broker.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * Builds the process of a server JVM as {@code bin/natsee-server} starts it: with HotSpot's
 * suspend signal moved off SIGUSR2 (see {@link SuspendResumeSignal}), so lame duck mode comes only
 * from {@code --signal ldm}.
 */
public final class ServerJvm {

    private ServerJvm() {
    }

    /** A process builder for {@code command} whose environment moves the suspend signal. */
    public static ProcessBuilder processBuilder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(SuspendResumeSignal.ENVIRONMENT_VARIABLE, Integer.toString(SuspendResumeSignal.RECOMMENDED));
        return builder;
    }

    /** The {@code java} of the JVM running the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
