package dev.rendezvous.server.session;

import io.netty.buffer.ByteBufAllocator;

/**
 * What a {@link Connection} needs from the thread it is confined to: time, timers, a way back onto
 * that thread, and buffers. The Netty transport backs it with the channel's event loop; logic tests
 * with a manual clock.
 */
public interface Transport {

    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /** Runs {@code task} on the connection's thread after {@code delayNanos}; the result cancels it. */
    Runnable schedule(Runnable task, long delayNanos);

    /** Runs {@code task} on the connection's thread soon (used to come back from off-loop work). */
    void execute(Runnable task);

    /** The allocator for outbound frames. */
    ByteBufAllocator alloc();
}
