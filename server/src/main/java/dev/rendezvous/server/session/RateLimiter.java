package dev.rendezvous.server.session;

/**
 * Token buckets of inbound frames and bytes for one connection, with time as a parameter. {@code perSecond}
 * tokens refill each second up to {@code burst}, and {@code bytesPerSecond} byte tokens up to
 * {@code burstBytes}; a frame without a token, or without byte tokens for its payload, is refused (a
 * rate of 0 turns that bucket off). A client that
 * keeps sending while refused runs out of a second, smaller allowance of refusals ({@code strikes},
 * refilled at a tenth of it per second) and must then be closed (4029).
 *
 * <p>Shared by the v1 sessions and the PeerJS sockets (one limit, one place). Confined to the connection's event loop.
 */
public final class RateLimiter {
    /** The verdict on one frame. */
    public enum Verdict {
        ACCEPT,
        REFUSE,
        CLOSE
    }

    private final double perNano;
    private final double burst;
    private final double strikesPerNano;
    private final double maxStrikes;
    private final double bytesPerNano;
    private final double burstBytes;
    private double tokens;
    private double byteTokens;
    private double strikes;
    private long last;

    RateLimiter(double perSecond, double burst, double maxStrikes, long now) {
        this(perSecond, burst, 0, 0, maxStrikes, now);
    }

    public RateLimiter(
            double perSecond, double burst, double bytesPerSecond, double burstBytes, double maxStrikes, long now) {
        this.perNano = perSecond / 1e9;
        this.burst = perSecond > 0 ? burst : Double.POSITIVE_INFINITY;
        this.bytesPerNano = bytesPerSecond / 1e9;
        this.burstBytes = bytesPerSecond > 0 ? burstBytes : Double.POSITIVE_INFINITY;
        this.byteTokens = this.burstBytes;
        this.maxStrikes = maxStrikes;
        this.strikesPerNano = maxStrikes / 10 / 1e9;
        this.tokens = this.burst;
        this.strikes = maxStrikes;
        this.last = now;
    }

    Verdict onFrame(long now) {
        return onFrame(now, 0);
    }

    /** The verdict on one frame of {@code bytes} payload bytes. */
    public Verdict onFrame(long now, int bytes) {
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perNano);
            byteTokens = Math.min(burstBytes, byteTokens + elapsed * bytesPerNano);
            strikes = Math.min(maxStrikes, strikes + elapsed * strikesPerNano);
            last = now;
        }
        if (tokens >= 1 && byteTokens >= bytes) {
            tokens -= 1;
            byteTokens -= bytes;
            return Verdict.ACCEPT;
        }
        strikes -= 1;
        return strikes < 0 ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
