package dev.rendezvous.client.rtc;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread on which a {@code Peer}'s sessions live: every webrtc-java callback is handed here, the
 * peer connections and channels are touched only here, and every listener method runs here, in order.
 * A standalone {@link PeerSession} has its own. A daemon thread; tasks that throw are logged, never lost
 * silently, and never stop the thread.
 */
public final class EventThread {
    private static final Logger log = LoggerFactory.getLogger(EventThread.class);

    private final ScheduledExecutorService executor;
    private volatile Thread thread;

    public EventThread(String name) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /** Whether the caller is this event thread. */
    public boolean inThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} later, in order; false if the thread has been shut down (the task is dropped). */
    public boolean execute(Runnable task) {
        try {
            executor.execute(() -> runGuarded(task));
            return true;
        } catch (RejectedExecutionException afterShutdown) {
            return false;
        }
    }

    /** Runs {@code task} after {@code delayNanos}; false if the thread has been shut down. */
    boolean schedule(Runnable task, long delayNanos) {
        try {
            executor.schedule(() -> runGuarded(task), delayNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException afterShutdown) {
            return false;
        }
    }

    /**
     * Runs {@code task} here and waits at most {@code wait} for it (inline if already on this thread).
     * Returns false if it did not finish in time, or the thread is shut down.
     */
    public boolean runAndWait(Runnable task, Duration wait) {
        if (inThread()) {
            task.run();
            return true;
        }
        try {
            executor.submit((Callable<Void>) () -> {
                        task.run();
                        return null;
                    })
                    .get(wait.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException afterShutdown) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            log.warn("event task failed", e.getCause());
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /** Stops taking tasks; those already queued still run. */
    public void shutdown() {
        executor.shutdown();
    }

    private static void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("event task failed", e);
        }
    }
}
