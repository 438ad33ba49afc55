package dev.rendezvous.client.rtc;

import java.nio.ByteBuffer;

/**
 * What one {@link DataChannel} reports. Every method does nothing by default, and runs on the owning
 * peer's event thread, one at a time, in order (never on webrtc-java's thread): do not block in it.
 *
 * <p>Order for one channel: {@link #onOpen} once (if it opens), then messages, then (if it had opened)
 * {@link #onClosed} once, last. {@code onUndelivered} may come at any point after the send it concerns.
 */
public interface ChannelListener {
    /** The channel is open; messages queued meanwhile are going out, in order. */
    default void onOpen(DataChannel channel) {}

    /** One text message. */
    default void onMessage(DataChannel channel, String text) {}

    /**
     * One binary message, in a heap buffer of exactly its size that belongs to the listener (a copy
     * of libwebrtc's, which is valid only during its callback).
     */
    default void onMessage(DataChannel channel, ByteBuffer data) {}

    /** A text message that had been QUEUED was refused later (expired, or the channel closed). */
    default void onUndelivered(DataChannel channel, String text, RefusalReason reason) {}

    /** A binary message that had been QUEUED was refused later; {@code data} is what was given to send. */
    default void onUndelivered(DataChannel channel, ByteBuffer data, RefusalReason reason) {}

    /** The channel that was open closed (either side closed it, or its connection closed). Last, once. */
    default void onClosed(DataChannel channel) {}
}
