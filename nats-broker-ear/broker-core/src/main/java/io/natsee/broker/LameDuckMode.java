package io.natsee.broker;

import io.natsee.broker.server.ClientConnection;
import io.natsee.broker.server.CloseReason;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run of lame duck mode, as nats-server 2.9.10's {@code lameDuckMode} does it: the caller
 * has stopped accepting and announced {@code ldm} to the clients; this waits the grace period,
 * then closes the clients one at a time spread evenly over the rest of the duration (at most a
 * second apart, in batches when there are more clients than nanoseconds), then shuts the broker
 * down. Runs on its own thread; {@link #cancel} (the broker closing otherwise) ends it early.
 */
final class LameDuckMode implements Runnable {

    private static final System.Logger LOG = System.getLogger(LameDuckMode.class.getName());
    private static final long MAX_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final List<ClientConnection> clients;
    private final Duration duration;
    private final Duration gracePeriod;
    private final Runnable shutdown;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    LameDuckMode(List<ClientConnection> clients, Duration duration, Duration gracePeriod, Runnable shutdown) {
        this.clients = clients;
        this.duration = duration;
        this.gracePeriod = gracePeriod;
        this.shutdown = shutdown;
    }

    /** Completes once the broker has shut down at the end of lame duck mode (or it was cancelled). */
    CompletableFuture<Void> done() {
        return done;
    }

    /** Stops waiting; clients not closed yet are left to the broker's own shutdown. */
    void cancel() {
        cancelled.countDown();
    }

    @Override
    public void run() {
        try {
            LOG.log(System.Logger.Level.INFO, "Entering lame duck mode, stop accepting new clients");
            if (!clients.isEmpty()) {
                if (!gracePeriod.isZero()) {
                    LOG.log(System.Logger.Level.INFO, "Waiting {0} before closing the first of {1} client(s)",
                            gracePeriod, clients.size());
                }
                if (waitCancelled(gracePeriod.toNanos())) {
                    return;
                }
                closeGradually();
            }
            shutdown.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Lame duck mode failed; shutting down", e);
            shutdown.run();
        } finally {
            done.complete(null);
        }
    }

    private void closeGradually() throws InterruptedException {
        long spread = duration.toNanos() - gracePeriod.toNanos();
        if (spread <= 0) {
            spread = TimeUnit.SECONDS.toNanos(1);
        }
        int count = clients.size();
        long interval = spread / count;
        int batch = 1;
        if (interval < 1) {
            interval = 1;
            batch = (int) Math.max(1, count / spread);
        } else if (interval > MAX_INTERVAL_NANOS) {
            interval = MAX_INTERVAL_NANOS;
        }
        LOG.log(System.Logger.Level.INFO, "Closing existing clients");
        for (int i = 0; i < count; i++) {
            clients.get(i).closeGracefully(CloseReason.SERVER_SHUTDOWN);
            if ((i + 1) % batch == 0 && i + 1 < count && waitCancelled(interval)) {
                return;
            }
        }
    }

    /** Waits, true when cancelled meanwhile. */
    private boolean waitCancelled(long nanos) throws InterruptedException {
        return nanos > 0 ? cancelled.await(nanos, TimeUnit.NANOSECONDS) : cancelled.getCount() == 0;
    }
}
