package dev.rendezvous.server.session;

import io.netty.buffer.ByteBuf;

/**
 * What a {@link Connection} needs from the thread it is confined to: time, timers, a way back onto
 * that thread, and buffers for outbound frames. The Netty transport backs it with the channel's event loop; logic tests
 * with a manual clock.
 */
public interface Transport {

    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /** Runs {@code task} on the connection's thread after {@code delayNanos}; the result cancels it. */
    Runnable schedule(Runnable task, long delayNanos);

    /** Runs {@code task} on the connection's thread soon (used to come back from off-loop work). */
    void execute(Runnable task);

    /**
     * A new buffer for an outbound frame of up to {@code jsonBytes} of JSON, to be written from its writer
     * index on. The transport may keep room in front of it (for the WebSocket frame header, so a relayed
     * frame is framed in place): how much is the transport's business, not the caller's.
     */
    ByteBuf frameBuffer(int jsonBytes);
}
