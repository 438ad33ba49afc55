package dev.rendezvous.server.session;

/**
 * A token bucket of inbound frames for one connection, with time as a parameter. {@code perSecond}
 * tokens refill each second up to {@code burst}; a frame without a token is refused. A client that
 * keeps sending while refused runs out of a second, smaller allowance of refusals ({@code strikes},
 * refilled at a tenth of it per second) and must then be closed (4029).
 *
 * <p>Confined to the connection's event loop.
 */
final class RateLimiter {
    /** The verdict on one frame. */
    enum Verdict {
        ACCEPT,
        REFUSE,
        CLOSE
    }

    private final double perNano;
    private final double burst;
    private final double strikesPerNano;
    private final double maxStrikes;
    private double tokens;
    private double strikes;
    private long last;

    RateLimiter(double perSecond, double burst, double maxStrikes, long now) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.maxStrikes = maxStrikes;
        this.strikesPerNano = maxStrikes / 10 / 1e9;
        this.tokens = burst;
        this.strikes = maxStrikes;
        this.last = now;
    }

    Verdict onFrame(long now) {
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perNano);
            strikes = Math.min(maxStrikes, strikes + elapsed * strikesPerNano);
            last = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ACCEPT;
        }
        strikes -= 1;
        return strikes < 0 ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
