package dev.rendezvous.server.transport;

import java.time.Duration;

/**
 * The bounds the WebSocket frame reader holds every connection to.
 *
 * @param maxMessageBytes the largest message payload accepted, fragments included (larger: refused)
 * @param unfinishedMessageTimeout how long a fragmented message may stay unfinished (then close 1008)
 */
public record WebSocketLimits(int maxMessageBytes, Duration unfinishedMessageTimeout) {

    long unfinishedMessageNanos() {
        return unfinishedMessageTimeout.toNanos();
    }
}
