package dev.rendezvous.server.session;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.server.logging.LogBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound rate limit of one connection, in front of every other handler: a frame over the limit is
 * refused with {@code rate_limited} (one log line per streak of refusals), and a client that keeps
 * sending over it is closed with 4029. Created at a connection's first frame.
 *
 * <p>Confined to the connection's thread.
 */
final class RateLimitHandler {
    private static final Logger log = LoggerFactory.getLogger(Connection.class); // one logger for a connection's lines

    private final RateLimiter limiter;
    private boolean refusing;

    /** The bucket starts full at {@code now}, as it would have at open. */
    RateLimitHandler(ConnectionSettings settings, long now) {
        this.limiter = settings.newRateLimiter(now);
    }

    /** Applies the limit to {@code frame} of {@code bytes} payload bytes (null: a binary frame); false when it must not be processed. */
    boolean admit(Connection c, long now, Inbound frame, int bytes) {
        return switch (limiter.onFrame(now, bytes)) {
            case ACCEPT -> {
                refusing = false;
                yield true;
            }
            case REFUSE -> {
                if (!refusing && LogBudget.CLIENTS.tryLine()) {
                    log.info("refuse client={} code=rate_limited", c.clientId());
                    refusing = true;
                }
                c.sendError(ErrorCode.RATE_LIMITED, "too many messages; slow down", ref(frame));
                yield false;
            }
            case CLOSE -> {
                if (LogBudget.CLIENTS.tryLine()) {
                    log.info("refuse client={} reason=rate-limit-persisted", c.clientId());
                }
                c.settings.observer().throttled(c.clientId());
                c.sendError(ErrorCode.RATE_LIMITED, "too many messages for too long", ref(frame));
                c.closeWith(CloseCode.RATE_LIMITED, "rate limit");
                yield false;
            }
        };
    }

    /** Applies the limit to a control frame (a ping): false when it must not be answered. */
    boolean admitControl(Connection c, long now) {
        return switch (limiter.onFrame(now)) {
            case ACCEPT -> {
                refusing = false;
                yield true;
            }
            case REFUSE -> false; // unanswered: an error reply would be output again
            case CLOSE -> {
                if (LogBudget.CLIENTS.tryLine()) {
                    log.info("refuse client={} reason=rate-limit-persisted (pings)", c.clientId());
                }
                c.settings.observer().throttled(c.clientId());
                c.closeWith(CloseCode.RATE_LIMITED, "rate limit");
                yield false;
            }
        };
    }

    private static String ref(Inbound frame) {
        return frame == null ? null : Inbound.ref(frame);
    }
}
