package io.natsee.ra.inbound;

import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.lang.System.Logger.Level;
import java.util.Timer;
import java.util.TimerTask;

/**
 * The setup attempts of one activation: each attempt is one Work; after a failed attempt the
 * container's timer schedules the next one (so no thread is held between attempts), up to the
 * configured number of attempts. {@link #cancel()} (at deactivation) cancels a pending retry and
 * schedules no further attempt; the container releasing a running attempt ends the loop.
 */
final class SetupLoop {

    private static final System.Logger LOGGER = System.getLogger(SetupLoop.class.getName());

    /** What the loop sets up: the activation. */
    interface Target {
        /** Sets up once, all-or-nothing: a failed attempt closes what it opened. */
        void setUpOnce() throws Exception;

        /** Returns whether the activation is stopped (no attempt runs then). */
        boolean stopped();

        /** Marks the activation failed, unless it is stopped. */
        void failIfNotStopped();

        /** Describes the active activation for the log line of a successful attempt. */
        String activeDescription();
    }

    private final WorkManager workManager;
    private final Timer timer;
    private final String label;
    private final int attempts;
    private final long intervalMillis;
    private final Target target;
    private final Object lock = new Object();
    /** Guarded by {@code lock}. */
    private TimerTask retry;
    /** Guarded by {@code lock}. */
    private boolean cancelled;

    /**
     * @param label how log lines name the activation, such as {@code NATS activation on orders}
     * @param attempts the attempts before giving up; negative for no limit; null for the default
     * @param intervalMillis the pause between attempts; null for the default
     */
    SetupLoop(WorkManager workManager, Timer timer, String label, Integer attempts, Long intervalMillis, Target target) {
        this.workManager = workManager;
        this.timer = timer;
        this.label = label;
        this.attempts = attempts == null ? NatsActivationSpec.DEFAULT_SETUP_ATTEMPTS : attempts;
        this.intervalMillis = Math.max(1, intervalMillis == null ? NatsActivationSpec.DEFAULT_SETUP_INTERVAL_MILLIS : intervalMillis);
        this.target = target;
    }

    /** Schedules attempt number {@code attempt} on a Work and returns at once. */
    void schedule(int attempt) throws WorkException {
        workManager.scheduleWork(new SetupAttempt(attempt));
    }

    /** Cancels a pending retry; no further attempt is scheduled. */
    void cancel() {
        synchronized (lock) {
            cancelled = true;
            if (retry != null) {
                retry.cancel();
                retry = null;
            }
        }
    }

    /**
     * One attempt, as one Work: it ends when the attempt has succeeded or failed; a retry is a
     * new Work. {@link #release()} ends it early (the thread is interrupted out of the connect)
     * and schedules no further attempt.
     */
    private final class SetupAttempt implements Work {
        private final int attempt;
        /** Guarded by this Work's monitor. */
        private Thread runner;
        private volatile boolean released;

        private SetupAttempt(int attempt) {
            this.attempt = attempt;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (released) {
                    return;
                }
                runner = Thread.currentThread();
            }
            try {
                attempt(attempt, this);
            } finally {
                synchronized (this) {
                    runner = null;
                }
                // A release that came late must not leave the container's thread interrupted.
                Thread.interrupted();
            }
        }

        @Override
        public void release() {
            synchronized (this) {
                released = true;
                if (runner != null) {
                    runner.interrupt();
                }
            }
        }
    }

    private void attempt(int attempt, SetupAttempt work) {
        if (target.stopped()) {
            return;
        }
        try {
            target.setUpOnce();
            LOGGER.log(Level.INFO, "{0} ({1}) active after {2} attempt(s)", label, target.activeDescription(), attempt);
            return;
        } catch (Exception e) {
            if (work.released || e instanceof InterruptedException) {
                target.failIfNotStopped();
                LOGGER.log(Level.WARNING, "{0}: the container released setup attempt {1}; no more attempts", label, attempt);
                return;
            }
            LOGGER.log(Level.WARNING, "{0}: attempt {1} failed ({2})", label, attempt, e.toString());
        }
        if (attempts >= 0 && attempt >= attempts) {
            target.failIfNotStopped();
            LOGGER.log(Level.ERROR, "{0} gave up after {1} attempts", label, attempts);
            return;
        }
        synchronized (lock) {
            if (cancelled || target.stopped()) {
                return;
            }
            retry = new TimerTask() {
                @Override
                public void run() {
                    try {
                        schedule(attempt + 1);
                    } catch (WorkException | RuntimeException e) {
                        target.failIfNotStopped();
                        LOGGER.log(Level.ERROR, label + ": cannot schedule attempt " + (attempt + 1) + "; delivery stopped", e);
                    }
                }
            };
            try {
                timer.schedule(retry, intervalMillis);
            } catch (IllegalStateException e) {
                target.failIfNotStopped();
                LOGGER.log(Level.ERROR, "{0}: the container''s timer is cancelled; no more attempts", label);
            }
        }
    }
}
