package dev.rendezvous.server.session;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * The last frames sent to one resumable session's client, oldest first, bounded in frames and bytes: a
 * ring of buffer references, each with the readable window it had when kept. A kept frame costs one
 * reference count on its buffer and two array slots — no wrapper, no duplicate, no copy — so keeping the
 * frames a relay allocated anyway adds no object per frame. The arrays grow on demand (an idle session
 * that was sent nothing holds none) up to the frame bound, then are reused.
 *
 * <p>Not thread-safe: its {@link ResumableLink} calls it under its monitor. The frames are never read or
 * written here; a replay or a hand-over gets retained slices of the kept windows, so whatever the
 * transport does with a buffer's indices while writing it does not matter.
 */
final class SentLog {
    private static final ByteBuf[] NONE = {};
    private static final long[] NO_WINDOWS = {};
    private static final int FIRST_CAPACITY = 8;

    private final int maxFrames;
    private final int maxBytes;
    private ByteBuf[] frames = NONE;
    /** Per slot: the reader index in the high 32 bits, the length in the low 32. */
    private long[] windows = NO_WINDOWS;

    private int head;
    private int size;
    private int bytes;

    /** @param maxFrames a power of two */
    SentLog(int maxFrames, int maxBytes) {
        if (Integer.bitCount(maxFrames) != 1) {
            throw new IllegalArgumentException("maxFrames must be a power of two, got " + maxFrames);
        }
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /**
     * Keeps {@code frame}'s readable bytes, taking over one reference the caller holds; the oldest frames
     * go (released) while the bound is exceeded, possibly this one too when it alone is larger than it.
     */
    void add(ByteBuf frame) {
        if (size == frames.length) {
            if (size == maxFrames) {
                dropOldest();
            } else {
                grow();
            }
        }
        int n = frame.readableBytes();
        int slot = (head + size) & (frames.length - 1);
        frames[slot] = frame;
        windows[slot] = ((long) frame.readerIndex() << 32) | n;
        size++;
        bytes += n;
        while (bytes > maxBytes) {
            dropOldest();
        }
    }

    int size() {
        return size;
    }

    int bytes() {
        return bytes;
    }

    /** Releases the oldest frame kept; there must be one. */
    void dropOldest() {
        int slot = head;
        ByteBuf f = frames[slot];
        frames[slot] = null;
        bytes -= (int) windows[slot];
        head = (slot + 1) & (frames.length - 1);
        size--;
        f.release();
    }

    /** Releases every frame kept. */
    void clear() {
        while (size > 0) {
            dropOldest();
        }
    }

    /**
     * Hands each kept frame, oldest first, to {@code to} as a retained slice of its kept window (the
     * receiver owns and releases it); the log keeps its own references. The replay of a resume, and what a
     * hand-over of the session to another node would carry.
     */
    void forEachRetained(Consumer<ByteBuf> to) {
        int mask = frames.length - 1;
        for (int i = 0; i < size; i++) {
            int slot = (head + i) & mask;
            long w = windows[slot];
            to.accept(frames[slot].retainedSlice((int) (w >>> 32), (int) w));
        }
    }

    private void grow() {
        int capacity = Math.min(maxFrames, Math.max(FIRST_CAPACITY, frames.length * 2));
        ByteBuf[] f = new ByteBuf[capacity];
        long[] w = new long[capacity];
        for (int i = 0; i < size; i++) { // unwrap the ring: the oldest goes to slot 0
            int slot = (head + i) & (frames.length - 1);
            f[i] = frames[slot];
            w[i] = windows[slot];
        }
        frames = f;
        windows = w;
        head = 0;
    }
}
