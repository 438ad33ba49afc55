package dev.rendezvous.client.rtc;

import java.time.Duration;

/**
 * Bounds of safe send, per channel. Messages wait (before the channel opens, or while flow control
 * pauses) in a queue bounded by {@code maxQueuedMessages} and {@code maxQueuedBytes}; a message older than
 * {@code expiry} is refused as {@link RefusalReason#EXPIRED}. Flow control: sending pauses once libwebrtc
 * buffers {@code highWaterBytes} and resumes at or below {@code lowWaterBytes} — on webrtc-java's
 * {@code onBufferedAmountChange} event where it delivers one, else (0.14.0 never does) by asking for the
 * buffered amount every {@value DataChannel#PAUSED_POLL_MICROS} µs while paused, and only then. Without a
 * pause, libwebrtc silently closes the channel once about 16–22 MiB are buffered.
 */
public record SendPolicy(
        int maxQueuedMessages,
        long maxQueuedBytes,
        Duration expiry,
        long highWaterBytes,
        long lowWaterBytes,
        int maxMessageBytes) {

    /** libwebrtc's default SCTP maximum message size (a=max-message-size:262144). */
    public static final int SCTP_MAX_MESSAGE_BYTES = 256 * 1024;

    public static final SendPolicy DEFAULT =
            new SendPolicy(10_000, 16L << 20, Duration.ofSeconds(30), 1L << 20, 256L << 10, SCTP_MAX_MESSAGE_BYTES);

    public SendPolicy {
        if (maxQueuedMessages < 1 || maxQueuedBytes < 1 || maxMessageBytes < 1) {
            throw new IllegalArgumentException("queue bounds must be positive");
        }
        if (expiry.isNegative() || expiry.isZero()) {
            throw new IllegalArgumentException("expiry must be positive: " + expiry);
        }
        if (lowWaterBytes < 0 || highWaterBytes <= lowWaterBytes) {
            throw new IllegalArgumentException("need 0 <= lowWaterBytes < highWaterBytes");
        }
    }

    public SendPolicy withExpiry(Duration newExpiry) {
        return new SendPolicy(
                maxQueuedMessages, maxQueuedBytes, newExpiry, highWaterBytes, lowWaterBytes, maxMessageBytes);
    }

    public SendPolicy withQueueBounds(int messages, long bytes) {
        return new SendPolicy(messages, bytes, expiry, highWaterBytes, lowWaterBytes, maxMessageBytes);
    }
}
