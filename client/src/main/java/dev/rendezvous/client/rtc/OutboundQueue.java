package dev.rendezvous.client.rtc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Safe send for one data channel: sends at once when it can, otherwise queues (bounded, with expiry),
 * flushes in order when the channel opens, pauses above the high-water mark, and refuses everything
 * once closed. Every message is settled exactly once: sent or refused.
 *
 * <p>Guarded by {@code this}. Futures are completed after the monitor is released, so continuations
 * the caller attached never run under it. The monitor may be held across {@link Channel#send}, which
 * webrtc-java marshals to its own thread; that thread never takes this monitor.
 */
final class OutboundQueue {

    /** The part of a data channel the queue needs; {@link PeerSession} adapts the real one. */
    interface Channel {
        long bufferedAmount();

        /** Sends one message; {@code data} is exactly the message (webrtc-java ignores position/limit). */
        void send(ByteBuffer data, boolean binary) throws Exception;
    }

    /** Told about every queued message that ends refused (expired, or dropped at close). */
    interface RefusalListener {
        /** {@code payload} is what was given to send: a {@link String} or a {@link ByteBuffer}. */
        void refused(Object payload, RefusalReason reason);
    }

    /** {@code wire} is exactly the bytes to send; {@code payload} the caller's text or buffer, for refusals. */
    private record Entry(
            Object payload,
            ByteBuffer wire,
            boolean binary,
            long deadlineNanos,
            CompletableFuture<SendOutcome> settled) {
        int size() {
            return wire.capacity();
        }
    }

    private record Settlement(Entry entry, SendOutcome outcome) {}

    private final SendPolicy policy;
    private final LongSupplier nanoClock;
    private final RefusalListener refusals;

    private final ArrayDeque<Entry> queue = new ArrayDeque<>(); // guarded by this
    private long queuedBytes; // guarded by this
    private Channel channel; // guarded by this; non-null exactly while the channel is open
    private boolean paused; // guarded by this
    private boolean closed; // guarded by this
    private long bufferedEstimate; // guarded by this: last polled bufferedAmount plus bytes sent since
    private long sentBytes; // guarded by this: bytes handed to the channel, ever
    private long unsentAtClose; // guarded by this: bytes libwebrtc still held when the channel closed

    OutboundQueue(SendPolicy policy, LongSupplier nanoClock, RefusalListener refusals) {
        this.policy = policy;
        this.nanoClock = nanoClock;
        this.refusals = refusals;
    }

    /** Sends, queues or refuses {@code text} (UTF-8, as a text message); never throws. */
    Delivery offer(String text) {
        if (text == null) {
            return Delivery.settledNow(SendOutcome.refused(RefusalReason.SEND_FAILED));
        }
        return offer(text, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), false);
    }

    /**
     * Sends, queues or refuses the bytes between {@code data}'s position and limit as one binary message,
     * without moving its position; never throws. No copy is made when webrtc-java can send the buffer as
     * it is (a whole array, or a direct buffer: a direct buffer's slice is sent in place); otherwise the
     * bytes are copied once. Until the delivery settles the queue may still read them.
     */
    Delivery offer(ByteBuffer data) {
        if (data == null) {
            return Delivery.settledNow(SendOutcome.refused(RefusalReason.SEND_FAILED));
        }
        return offer(data, wireForm(data), true);
    }

    /** Exactly the message's bytes, in a form webrtc-java sends whole (it ignores position, limit and offset). */
    static ByteBuffer wireForm(ByteBuffer data) {
        if (data.isDirect()) {
            return data.position() == 0 && data.limit() == data.capacity() ? data : data.slice();
        }
        if (data.hasArray()
                && data.arrayOffset() == 0
                && data.position() == 0
                && data.limit() == data.capacity()
                && data.capacity() == data.array().length) {
            return data;
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return ByteBuffer.wrap(copy);
    }

    private Delivery offer(Object payload, ByteBuffer wire, boolean binary) {
        int size = wire.capacity();
        synchronized (this) {
            if (closed) {
                return Delivery.settledNow(SendOutcome.refused(RefusalReason.CLOSED));
            }
            if (size > policy.maxMessageBytes()) {
                return Delivery.settledNow(SendOutcome.refused(RefusalReason.TOO_LARGE));
            }
            if (queue.isEmpty() && channel != null && !paused) {
                if (hasRoomInChannel()) {
                    return Delivery.settledNow(sendNow(wire, binary));
                }
                paused = true;
            }
            if (queue.size() >= policy.maxQueuedMessages() || queuedBytes + size > policy.maxQueuedBytes()) {
                return Delivery.settledNow(SendOutcome.refused(RefusalReason.QUEUE_FULL));
            }
            CompletableFuture<SendOutcome> settled = new CompletableFuture<>();
            queue.add(new Entry(
                    payload,
                    wire,
                    binary,
                    nanoClock.getAsLong() + policy.expiry().toNanos(),
                    settled));
            queuedBytes += size;
            return Delivery.pending(settled);
        }
    }

    /** The channel is open: start flushing on the next {@link #pump()}. */
    void opened(Channel openChannel) {
        synchronized (this) {
            if (!closed) {
                channel = openChannel;
                paused = false;
                bufferedEstimate = 0;
            }
        }
    }

    /**
     * Expires overdue messages, then sends what the channel can take now, in order.
     *
     * @return whether messages still wait (the caller polls again: sooner while the channel is open)
     */
    boolean pump() {
        List<Settlement> settlements = new ArrayList<>();
        boolean waiting;
        synchronized (this) {
            expireOverdue(settlements);
            while (!queue.isEmpty() && channel != null) {
                if (paused) {
                    bufferedEstimate = channel.bufferedAmount();
                    if (bufferedEstimate > policy.lowWaterBytes()) {
                        break;
                    }
                    paused = false;
                }
                if (!hasRoomInChannel()) {
                    paused = true;
                    break;
                }
                Entry next = queue.poll();
                queuedBytes -= next.size();
                settlements.add(new Settlement(next, sendNow(next.wire(), next.binary())));
            }
            waiting = !queue.isEmpty();
        }
        settle(settlements);
        return waiting;
    }

    /** Whether a queued message waits on an open channel (flow control), rather than for the channel. */
    synchronized boolean flushing() {
        return channel != null && !queue.isEmpty();
    }

    synchronized int queuedMessages() {
        return queue.size();
    }

    /** Whether flow control holds messages back (the channel is open, its buffer above the high mark). */
    synchronized boolean paused() {
        return paused && channel != null && !queue.isEmpty();
    }

    /** When the oldest queued message expires (on the queue's clock), or Long.MAX_VALUE if none waits. */
    synchronized long nextDeadlineNanos() {
        return queue.isEmpty() ? Long.MAX_VALUE : queue.peek().deadlineNanos();
    }

    /**
     * Bytes not yet on the wire: queued here plus what libwebrtc buffers (asked now while open; once
     * closed, what it held at close, which will never be sent).
     */
    synchronized long unsentBytes() {
        long buffered = channel != null ? channel.bufferedAmount() : unsentAtClose;
        return queuedBytes + buffered;
    }

    /** Bytes handed to the channel since it opened. */
    synchronized long sentBytes() {
        return sentBytes;
    }

    /** Refuses everything queued and everything offered from now on. Idempotent. */
    void close() {
        List<Settlement> settlements = new ArrayList<>();
        synchronized (this) {
            if (channel != null && !closed) {
                try {
                    unsentAtClose = channel.bufferedAmount();
                } catch (RuntimeException gone) {
                    unsentAtClose = 0;
                }
            }
            closed = true;
            channel = null;
            for (Entry entry : queue) {
                settlements.add(new Settlement(entry, SendOutcome.refused(RefusalReason.CLOSED)));
            }
            queue.clear();
            queuedBytes = 0;
        }
        settle(settlements);
    }

    private void expireOverdue(List<Settlement> settlements) {
        long now = nanoClock.getAsLong();
        // One expiry for all, so queue order is deadline order: expire from the head.
        while (!queue.isEmpty() && now - queue.peek().deadlineNanos() >= 0) {
            Entry expired = queue.poll();
            queuedBytes -= expired.size();
            settlements.add(new Settlement(expired, SendOutcome.refused(RefusalReason.EXPIRED)));
        }
    }

    /**
     * Asks libwebrtc for the real buffered amount (a call marshalled to its thread) only when the running
     * estimate reaches the high-water mark.
     */
    private boolean hasRoomInChannel() {
        if (bufferedEstimate < policy.highWaterBytes()) {
            return true;
        }
        bufferedEstimate = channel.bufferedAmount();
        return bufferedEstimate < policy.highWaterBytes();
    }

    private SendOutcome sendNow(ByteBuffer wire, boolean binary) {
        try {
            channel.send(wire, binary);
            bufferedEstimate += wire.capacity();
            sentBytes += wire.capacity();
            return SendOutcome.SENT;
        } catch (Exception e) {
            return SendOutcome.refused(RefusalReason.SEND_FAILED);
        }
    }

    private void settle(List<Settlement> settlements) {
        for (Settlement s : settlements) {
            if (s.outcome() instanceof SendOutcome.Refused refused) {
                try {
                    refusals.refused(s.entry().payload(), refused.reason());
                } catch (RuntimeException ignored) {
                    // A listener's failure must not stop the other settlements.
                }
            }
            s.entry().settled().complete(s.outcome());
        }
    }
}
