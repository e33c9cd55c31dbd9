package io.natsee.ra.inbound;

import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkAdapter;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the deliveries in flight of one activation: the dispatcher thread takes a slot before
 * it schedules a delivery Work, and the slot is freed when the Work completes or is rejected, so
 * a busy bean slows its subscription down instead of piling up work.
 */
final class DeliverySlots {

    private final WorkManager workManager;
    private final int maxConcurrency;
    private final Semaphore slots;

    DeliverySlots(WorkManager workManager, int maxConcurrency) {
        this.workManager = workManager;
        this.maxConcurrency = maxConcurrency;
        this.slots = new Semaphore(maxConcurrency);
    }

    /** Waits for a free slot. */
    void acquire() throws InterruptedException {
        slots.acquire();
    }

    /** Frees a slot taken by {@link #acquire()} that no delivery will use. */
    void release() {
        slots.release();
    }

    /**
     * Schedules a delivery on the slot just acquired; the slot is freed when the Work completes or
     * is rejected, or at once when it cannot be scheduled (then the exception is thrown).
     */
    void schedule(Work delivery) throws WorkException {
        AtomicBoolean slotHeld = new AtomicBoolean(true);
        Runnable freeSlot = () -> {
            if (slotHeld.compareAndSet(true, false)) {
                slots.release();
            }
        };
        try {
            workManager.scheduleWork(delivery, WorkManager.INDEFINITE, null, new WorkAdapter() {
                @Override
                public void workRejected(WorkEvent event) {
                    freeSlot.run();
                }

                @Override
                public void workCompleted(WorkEvent event) {
                    freeSlot.run();
                }
            });
        } catch (WorkException | RuntimeException e) {
            freeSlot.run();
            throw e;
        }
    }

    /** Waits until no delivery runs, up to {@code timeout}; returns false if some still run. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (slots.tryAcquire(maxConcurrency, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            slots.release(maxConcurrency);
            return true;
        }
        return false;
    }

    /** Returns the number of deliveries running now. */
    int inFlight() {
        return maxConcurrency - slots.availablePermits();
    }
}
