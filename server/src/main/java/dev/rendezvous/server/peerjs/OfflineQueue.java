package dev.rendezvous.server.peerjs;

import java.util.ArrayList;
import java.util.List;

/**
 * Messages waiting for one id that is not connected (peerjs-server's per-id {@code MessageQueue}). It is
 * drained exactly once: by the id's arrival (delivered in order) or by expiry ({@code EXPIRE} to each
 * sender). Guarded by this; no I/O is done under the monitor.
 */
final class OfflineQueue {
    /** One waiting message: its sender (for {@code EXPIRE}), its type and its encoded text. */
    record Waiting(String src, String type, String json) {}

    private final String dst;
    private final int capacity;
    private final List<Waiting> messages = new ArrayList<>();
    private boolean drained;
    private boolean watched;
    private Runnable cancelExpiry = () -> {};

    OfflineQueue(String dst, int capacity) {
        this.dst = dst;
        this.capacity = capacity;
    }

    String dst() {
        return dst;
    }

    synchronized void expiry(Runnable cancel) {
        this.cancelExpiry = cancel;
    }

    /** True once, for the first caller: it asks the hub to watch for the id on other nodes. */
    synchronized boolean startWatch() {
        if (watched) {
            return false;
        }
        watched = true;
        return true;
    }

    /** The outcome of {@link #add}. */
    enum Added {
        QUEUED,
        FULL,
        DRAINED
    }

    synchronized Added add(Waiting w) {
        if (drained) {
            return Added.DRAINED;
        }
        if (messages.size() >= capacity) {
            return Added.FULL;
        }
        messages.add(w);
        return Added.QUEUED;
    }

    /** Takes every message, once; later adds answer {@link Added#DRAINED}. */
    List<Waiting> drain() {
        Runnable cancel;
        List<Waiting> out;
        synchronized (this) {
            if (drained) {
                return List.of();
            }
            drained = true;
            out = List.copyOf(messages);
            messages.clear();
            cancel = cancelExpiry;
        }
        cancel.run();
        return out;
    }
}
