package dev.rendezvous.server.peerjs;

/**
 * Inbound frame budget of one PeerJS socket: {@code perSecond} refilled continuously up to {@code burst}.
 * Confined to the socket's event loop; time comes from the caller.
 */
final class TokenBucket {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long lastNanos;

    /** {@code perSecond} 0: unlimited. */
    TokenBucket(double perSecond, double burst, long nowNanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes one token; false when the budget is spent. */
    boolean take(long nowNanos) {
        if (perSecond <= 0) {
            return true;
        }
        tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * perSecond / 1e9);
        lastNanos = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
