package dev.rendezvous.client.files;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Reused direct buffers of one size for a sender's chunks. A buffer goes back once its delivery has
 * settled (libwebrtc copies a chunk while sending it), so the pool holds at most what flow control lets
 * be in flight. {@link #give} may be called from any thread (a queued chunk settles on the event thread).
 */
final class ChunkPool {
    private final int size;
    private final ConcurrentLinkedQueue<ByteBuffer> spare = new ConcurrentLinkedQueue<>();

    ChunkPool(int size) {
        this.size = size;
    }

    /** A cleared buffer of exactly {@code size} bytes: a spare one, or a new one. */
    ByteBuffer take() {
        ByteBuffer buffer = spare.poll();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(size);
    }

    void give(ByteBuffer buffer) {
        spare.add(buffer);
    }
}
