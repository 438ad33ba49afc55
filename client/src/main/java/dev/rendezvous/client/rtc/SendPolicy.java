package dev.rendezvous.client.rtc;

import java.time.Duration;

/**
 * Bounds of safe send, per channel. Messages wait (before the channel opens, or while flow control
 * pauses) in a queue bounded by {@code maxQueuedMessages} and {@code maxQueuedBytes}; a message older than
 * {@code expiry} is refused as {@link RefusalReason#EXPIRED}. Flow control: sending pauses once libwebrtc
 * buffers {@code highWaterBytes} and resumes at or below {@code lowWaterBytes} — on webrtc-java's
 * {@code onBufferedAmountChange} event where it delivers one, else (0.14.0 never does) by asking for the
 * buffered amount every {@link #pausedPollNanos()} while paused, and only then. Without a pause, libwebrtc
 * silently closes the channel once about 16–22 MiB are buffered.
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

    /**
     * For a peer that moves bulk data (a file sender): a wider flow-control band. The low mark is what
     * libwebrtc still holds when sending resumes; 2 MiB lasts ~20 ms at 100 MiB/s, so a resume that waits
     * a few ms for a core (two processes and their libwebrtc threads on 2 cores) does not let the channel
     * run dry, and the band lets each poll be 4x rarer (see {@link #pausedPollNanos()}). The high mark
     * stays far below the 16 MiB at which libwebrtc closes a channel.
     */
    public static final SendPolicy BULK =
            new SendPolicy(10_000, 32L << 20, Duration.ofSeconds(30), 4L << 20, 2L << 20, SCTP_MAX_MESSAGE_BYTES);

    /** The shortest interval between two polls of the buffered amount while paused. */
    static final long MIN_PAUSED_POLL_NANOS = 500_000;
    /** A rate libwebrtc's buffer does not drain faster than, on loopback (measured: ~130 MiB/s). */
    private static final long MAX_DRAIN_BYTES_PER_SECOND = 1L << 30;

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

    /**
     * While paused, how often to ask libwebrtc for its buffered amount (each ask is a call into its network
     * thread, the thread that moves the bytes): the time the low mark takes to drain at
     * {@value #MAX_DRAIN_BYTES_PER_SECOND} B/s, at least {@value #MIN_PAUSED_POLL_NANOS} ns, so the buffer
     * cannot run dry between two polls.
     */
    public long pausedPollNanos() {
        return Math.max(MIN_PAUSED_POLL_NANOS, lowWaterBytes * 1_000_000_000L / MAX_DRAIN_BYTES_PER_SECOND);
    }

    public SendPolicy withExpiry(Duration newExpiry) {
        return new SendPolicy(
                maxQueuedMessages, maxQueuedBytes, newExpiry, highWaterBytes, lowWaterBytes, maxMessageBytes);
    }

    public SendPolicy withQueueBounds(int messages, long bytes) {
        return new SendPolicy(messages, bytes, expiry, highWaterBytes, lowWaterBytes, maxMessageBytes);
    }
}
