package io.natsee.ra;

import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks as Work on the container's WorkManager, so that blocking work of the streaming
 * client (a recovery's requests) runs on a container thread, not on a jnats or timer thread.
 */
public final class WorkExecutor implements Executor {

    private final WorkManager workManager;

    public WorkExecutor(WorkManager workManager) {
        this.workManager = workManager;
    }

    @Override
    public void execute(Runnable command) {
        try {
            workManager.scheduleWork(new Work() {
                @Override
                public void run() {
                    command.run();
                }

                @Override
                public void release() {
                }
            });
        } catch (WorkException e) {
            throw new RejectedExecutionException("the container refused the work: " + e.getMessage(), e);
        }
    }
}
