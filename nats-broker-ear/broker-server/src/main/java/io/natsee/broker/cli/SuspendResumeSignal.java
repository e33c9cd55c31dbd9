package io.natsee.broker.cli;

import java.util.Map;

/**
 * Whether HotSpot's suspend/resume signal leaves SIGUSR2 to the server. HotSpot suspends threads
 * with a signal (SIGUSR2 unless the environment variable {@value #ENVIRONMENT_VARIABLE} names
 * another), for example for every thread sample of a flight recording. While it is SIGUSR2, the
 * server's lame duck handler receives those samples (a recording puts the server in lame duck
 * mode by itself), and without the handler an outside SIGUSR2 crashes the JVM in HotSpot's own
 * handler. {@code bin/natsee-server} therefore sets {@value #ENVIRONMENT_VARIABLE} to
 * {@value #RECOMMENDED}, a real-time signal nothing else uses.
 */
final class SuspendResumeSignal {

    /** HotSpot's variable naming its suspend/resume signal by number. */
    static final String ENVIRONMENT_VARIABLE = "_JAVA_SR_SIGNUM";

    /** The signal {@code bin/natsee-server} gives HotSpot: SIGRTMIN+6 on Linux. */
    static final int RECOMMENDED = 40;

    /** SIGUSR2 on Linux. */
    private static final int SIGUSR2 = 12;

    /** HotSpot takes a number above SIGSEGV (11) and below NSIG (65 on Linux). */
    private static final int HIGHEST = 64;

    private SuspendResumeSignal() {
    }

    /**
     * Whether this JVM suspends threads with SIGUSR2: a HotSpot JVM whose environment names no
     * other valid signal (HotSpot ignores an invalid number, with a warning, and keeps SIGUSR2).
     *
     * @param vmName the {@code java.vm.name} property
     */
    static boolean takesUsr2(String vmName, Map<String, String> environment) {
        if (vmName == null || !(vmName.contains("HotSpot") || vmName.startsWith("OpenJDK"))) {
            return false;
        }
        String value = environment.get(ENVIRONMENT_VARIABLE);
        if (value == null) {
            return true;
        }
        try {
            int signal = Integer.parseInt(value.trim());
            return signal <= SIGUSR2 || signal > HIGHEST;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** The warning logged at start-up when {@link #takesUsr2} holds. */
    static String warning() {
        return "SIGUSR2 (lame duck mode) is also this JVM's thread suspend signal: a flight recording would put "
                + "the server in lame duck mode; start the JVM with " + ENVIRONMENT_VARIABLE + "=" + RECOMMENDED
                + " in its environment, as bin/natsee-server does";
    }
}
