package dev.rendezvous.server.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The frames read from a resumable session's client on one connection. Only that connection's event loop
 * counts, without a lock: one compare-and-set per frame, which fails only when the count was sealed. The
 * session's {@link ResumableLink} seals it, under its monitor, when the connection stops carrying the
 * session (a detach, a departure, or a resume on another connection, maybe from another thread): from then
 * on the connection's frames are refused, and the sealed value is exactly the frames it let through — the
 * {@code received} of the next {@code resumed}, so no frame is both counted and refused, or processed
 * and not counted.
 */
final class InboundCount {
    private static final long SEALED = -1;
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(InboundCount.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The connection's transport link whose frames this counts. */
    final Object wire;
    /** Frames counted, from the session's start; {@link #SEALED} once sealed. */
    @SuppressWarnings("unused") // through VALUE
    private volatile long value;

    InboundCount(Object wire, long start) {
        this.wire = wire;
        this.value = start;
    }

    /**
     * The connection's thread: counts one frame, or false when sealed (the frame must then be dropped).
     * With one counting thread the compare-and-set fails only on a seal; the loop keeps a second counter
     * (should a connection ever be read from two threads) from losing a frame.
     */
    boolean count() {
        while (true) {
            long v = (long) VALUE.getOpaque(this);
            if (v == SEALED) {
                return false;
            }
            if (VALUE.compareAndSet(this, v, v + 1)) {
                return true;
            }
        }
    }

    /** Any thread, once: no frame is counted after this; returns the frames counted. */
    long seal() {
        long v = (long) VALUE.getAndSet(this, SEALED);
        if (v == SEALED) {
            throw new IllegalStateException("sealed twice");
        }
        return v;
    }
}
