package dev.rendezvous.server.session;

import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.server.auth.Authenticator;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.hub.HubObserver;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * What every connection of one server shares: the hub, the protocol timings and limits, and the
 * optional authenticator. Immutable.
 *
 * @param authenticator null when auth is off
 * @param authExecutor where tokens are verified (off the event loop)
 * @param iceServers the {@code ice_servers} to give a client id in {@code your_id}
 * @param rateLimitPerSecond inbound frames per second per connection; 0 disables rate limiting
 * @param rateLimitBurst frames a connection may send at once
 * @param rateLimitBytesPerSecond inbound payload bytes per second per connection; 0 disables the byte limit
 * @param rateLimitBurstBytes payload bytes a connection may send at once
 * @param resumeGrace how long a resumable session survives its connection (v1.1); zero turns resume off
 * @param resumes the detached-or-attached resumable sessions of this server, by id
 */
public record ConnectionSettings(
        Hub hub,
        HubObserver observer,
        Duration pingInterval,
        Duration pingTimeout,
        Authenticator authenticator,
        Duration authTimeout,
        Executor authExecutor,
        Function<String, List<IceServer>> iceServers,
        double rateLimitPerSecond,
        double rateLimitBurst,
        double rateLimitBytesPerSecond,
        double rateLimitBurstBytes,
        Duration resumeGrace,
        ResumeDirectory resumes) {

    /** Refused frames a client may send in a row before it is closed with 4029 (refills in 10 s). */
    public static final double RATE_LIMIT_STRIKES = 100;

    public ConnectionSettings {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(resumeGrace, "resumeGrace");
        Objects.requireNonNull(resumes, "resumes");
        if (resumeGrace.isNegative()) {
            throw new IllegalArgumentException("resume grace must be >= 0");
        }
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(iceServers, "iceServers");
        Objects.requireNonNull(authExecutor, "authExecutor");
        if (pingInterval.isNegative() || pingInterval.isZero() || pingTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("need 0 < ping interval < ping timeout");
        }
    }

    /** A fresh inbound limiter for one connection (v1 or PeerJS), its buckets full at {@code now}. */
    public RateLimiter newRateLimiter(long now) {
        return new RateLimiter(
                rateLimitPerSecond,
                rateLimitBurst,
                rateLimitBytesPerSecond,
                rateLimitBurstBytes,
                RATE_LIMIT_STRIKES,
                now);
    }

    /** Some inbound limit is on: frames per second or bytes per second. */
    boolean rateLimited() {
        return rateLimitPerSecond > 0 || rateLimitBytesPerSecond > 0;
    }

    /** Whether a {@code resumable=1} connection gets a resumable session. */
    boolean resumeOn() {
        return !resumeGrace.isZero();
    }

    boolean authRequired() {
        return authenticator != null;
    }
}
