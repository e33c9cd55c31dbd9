package io.natsee.ra.support;

import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import jakarta.resource.spi.work.WorkRejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WorkManager over a cached thread pool, with the listener callbacks a container makes.
 */
public final class FakeWorkManager implements WorkManager {

    private final AtomicInteger threadNumber = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-work-" + threadNumber.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger scheduled = new AtomicInteger();
    private final Set<Work> running = ConcurrentHashMap.newKeySet();

    @Override
    public void doWork(Work work) throws WorkException {
        work.run();
    }

    @Override
    public void doWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) throws WorkException {
        work.run();
        if (listener != null) {
            listener.workCompleted(new WorkEvent(this, WorkEvent.WORK_COMPLETED, work, null));
        }
    }

    @Override
    public long startWork(Work work) throws WorkException {
        scheduleWork(work);
        return 0;
    }

    @Override
    public long startWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) throws WorkException {
        scheduleWork(work, startTimeout, context, listener);
        return 0;
    }

    @Override
    public void scheduleWork(Work work) throws WorkException {
        scheduleWork(work, INDEFINITE, null, null);
    }

    @Override
    public void scheduleWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) throws WorkException {
        scheduled.incrementAndGet();
        try {
            if (listener != null) {
                listener.workAccepted(new WorkEvent(this, WorkEvent.WORK_ACCEPTED, work, null));
            }
            executor.execute(() -> {
                if (listener != null) {
                    listener.workStarted(new WorkEvent(this, WorkEvent.WORK_STARTED, work, null));
                }
                WorkException failure = null;
                running.add(work);
                try {
                    work.run();
                } catch (RuntimeException e) {
                    failure = new WorkException(e);
                } finally {
                    running.remove(work);
                    if (listener != null) {
                        listener.workCompleted(new WorkEvent(this, WorkEvent.WORK_COMPLETED, work, failure));
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            throw new WorkRejectedException(e);
        }
    }

    /** Returns how many Work items were scheduled. */
    public int scheduledCount() {
        return scheduled.get();
    }

    /** Returns how many Work items are running now. */
    public int runningCount() {
        return running.size();
    }

    /** Returns the Work items running now. */
    public List<Work> running() {
        return new ArrayList<>(running);
    }

    /** Calls {@link Work#release()} on every running Work, as a container does when it wants them to end. */
    public void releaseAll() {
        for (Work work : running) {
            work.release();
        }
    }

    /** Stops the threads, releasing the Work still running. */
    public void shutdown() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
