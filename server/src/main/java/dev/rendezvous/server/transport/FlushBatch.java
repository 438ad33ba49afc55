package dev.rendezvous.server.transport;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.Arrays;

/**
 * Flush consolidation for one event loop: frames written on this loop during an iteration (every relay
 * of every channel read in that iteration) are flushed once per channel at the end of the iteration,
 * by one task, instead of one {@code write(2)} per frame.
 *
 * <p>Confined to its event loop thread (one instance per loop, in a {@link FastThreadLocal}).
 */
final class FlushBatch implements Runnable {
    private static final FastThreadLocal<FlushBatch> CURRENT = new FastThreadLocal<>();

    private final EventExecutor loop;
    private Outbound[] pending = new Outbound[16];
    private int size;
    private boolean scheduled;

    private FlushBatch(EventExecutor loop) {
        this.loop = loop;
    }

    /** The batch of the event loop running this thread, or null when the caller is not on an event loop. */
    static FlushBatch current() {
        if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
            return null;
        }
        FlushBatch batch = CURRENT.getIfExists();
        if (batch == null) {
            EventExecutor loop = ThreadExecutorMap.currentExecutor();
            if (loop == null) {
                return null;
            }
            batch = new FlushBatch(loop);
            CURRENT.set(batch);
        }
        return batch;
    }

    /** Flushes {@code handler}'s channel at the end of this loop iteration. */
    void add(Outbound handler) {
        if (size > 0 && pending[size - 1] == handler) {
            return; // the common case: several frames for one receiver in a row
        }
        if (size == pending.length) {
            pending = Arrays.copyOf(pending, size * 2);
        }
        pending[size++] = handler;
        if (!scheduled) {
            scheduled = true;
            loop.execute(this); // in-loop: no wake-up; runs after this iteration's I/O
        }
    }

    @Override
    public void run() {
        // A flush may fail a channel, whose departure sends frames to others: they join this same pass.
        for (int i = 0; i < size; i++) {
            Outbound h = pending[i];
            pending[i] = null;
            h.flushNow();
        }
        size = 0;
        scheduled = false;
        if (pending.length > 1024) {
            pending = new Outbound[16]; // do not keep a burst's array for ever
        }
    }
}
