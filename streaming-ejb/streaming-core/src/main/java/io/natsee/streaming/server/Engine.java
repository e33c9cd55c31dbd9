package io.natsee.streaming.server;

import io.nats.client.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The streaming server's one engine thread: every request, timer and publish is an event taken from one queue,
 * so the state needs no locks. Consecutive publishes are handled as one batch: all appended, one flush of the
 * store, then their PubAcks and the deliveries (group commit).
 */
final class Engine {
    private static final System.Logger LOG = System.getLogger(Engine.class.getName());
    /** The most publishes handled in one batch (one flush). */
    static final int MAX_BATCH = 4096;

    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final ThreadFactory threadFactory;
    private volatile boolean running;
    private Thread thread;
    private PublishPipeline publishes;

    Engine(ThreadFactory threadFactory) {
        this.threadFactory = threadFactory;
    }

    void start(PublishPipeline publishes) {
        this.publishes = publishes;
        running = true;
        thread = threadFactory.newThread(this::run);
        thread.setName("streaming-engine");
        thread.start();
    }

    /** Queues a task for the engine thread. */
    void post(Runnable task) {
        events.add(task);
    }

    /** Queues a client's publish. */
    void postPublish(Message message) {
        events.add(message);
    }

    /** Runs a task on the engine thread and waits for it (for monitoring reads and shutdown). */
    <T> T call(java.util.function.Supplier<T> task) throws InterruptedException {
        if (Thread.currentThread() == thread) {
            return task.get();
        }
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        post(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the streaming engine did not answer within 10 s");
        }
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    private void run() {
        List<Message> batch = new ArrayList<>();
        while (running) {
            Object event;
            try {
                event = events.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (event == null) {
                continue;
            }
            try {
                while (event != null) {
                    if (event instanceof Message message) {
                        batch.add(message);
                        if (batch.size() >= MAX_BATCH) {
                            publishes.handle(batch);
                            batch.clear();
                        }
                        event = events.poll();
                        continue;
                    }
                    if (!batch.isEmpty()) {
                        publishes.handle(batch);
                        batch.clear();
                    }
                    ((Runnable) event).run();
                    event = events.poll();
                }
                if (!batch.isEmpty()) {
                    publishes.handle(batch);
                    batch.clear();
                }
            } catch (RuntimeException | Error e) {
                batch.clear();
                LOG.log(System.Logger.Level.ERROR, "streaming engine: an event failed", e);
            }
        }
    }
}
