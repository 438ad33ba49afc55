package dev.rendezvous.server.session;

/**
 * The keepalive clock of one connection, with time as a parameter (nanoseconds from any fixed origin).
 * The server pings every {@code interval}; a client silent for {@code timeout} is closed. Any inbound
 * frame is liveness ({@link #heard}). The owner calls {@link #wake} at {@link #nextWakeAt()} (or later)
 * and acts on the answer. The close therefore happens {@code timeout} after the last frame, at the
 * precision of the owner's timer — inside protocol v1's window [timeout, timeout + interval].
 *
 * <p>Confined to the connection's event loop.
 */
final class Keepalive {
    /** What the owner must do at a wake-up. */
    enum Action {
        NOTHING,
        PING,
        CLOSE
    }

    private final long intervalNanos;
    private final long timeoutNanos;
    private long lastHeard;
    private long nextPing;

    Keepalive(long intervalNanos, long timeoutNanos, long now) {
        if (intervalNanos <= 0 || timeoutNanos <= intervalNanos) {
            throw new IllegalArgumentException("need 0 < interval < timeout");
        }
        this.intervalNanos = intervalNanos;
        this.timeoutNanos = timeoutNanos;
        this.lastHeard = now;
        this.nextPing = now + intervalNanos;
    }

    /** A frame arrived at {@code now}. */
    void heard(long now) {
        lastHeard = now;
    }

    /** The action due at {@code now}; a ping is due every interval, the close once the client is silent for the timeout. */
    Action wake(long now) {
        if (now - lastHeard >= timeoutNanos) {
            return Action.CLOSE;
        }
        if (now - nextPing >= 0) {
            // Skip missed ticks rather than bursting pings after a long pause of the timer.
            long missed = (now - nextPing) / intervalNanos;
            nextPing += (missed + 1) * intervalNanos;
            return Action.PING;
        }
        return Action.NOTHING;
    }

    /** When the owner must call {@link #wake} next: the next ping or the silence deadline, whichever is first. */
    long nextWakeAt() {
        long deadline = lastHeard + timeoutNanos;
        return deadline - nextPing < 0 ? deadline : nextPing;
    }

    /** Nanoseconds the client has been silent at {@code now}. */
    long silentFor(long now) {
        return now - lastHeard;
    }
}
