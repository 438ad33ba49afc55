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

        /** Sends one text message; {@code data} is exactly the message (webrtc-java ignores position/limit). */
        void send(ByteBuffer data) throws Exception;
    }

    /** Told about every queued message that ends refused (expired, or dropped at close). */
    interface RefusalListener {
        void refused(String text, RefusalReason reason);
    }

    private record Entry(String text, byte[] bytes, long deadlineNanos, CompletableFuture<SendOutcome> settled) {}

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

    OutboundQueue(SendPolicy policy, LongSupplier nanoClock, RefusalListener refusals) {
        this.policy = policy;
        this.nanoClock = nanoClock;
        this.refusals = refusals;
    }

    /** Sends, queues or refuses {@code text}; never throws. */
    Delivery offer(String text) {
        if (text == null) {
            return Delivery.settledNow(SendOutcome.refused(RefusalReason.SEND_FAILED));
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (closed) {
                return Delivery.settledNow(SendOutcome.refused(RefusalReason.CLOSED));
            }
            if (bytes.length > policy.maxMessageBytes()) {
                return Delivery.settledNow(SendOutcome.refused(RefusalReason.TOO_LARGE));
            }
            if (queue.isEmpty() && channel != null && !paused) {
                if (hasRoomInChannel()) {
                    return Delivery.settledNow(sendNow(bytes));
                }
                paused = true;
            }
            if (queue.size() >= policy.maxQueuedMessages() || queuedBytes + bytes.length > policy.maxQueuedBytes()) {
                return Delivery.settledNow(SendOutcome.refused(RefusalReason.QUEUE_FULL));
            }
            CompletableFuture<SendOutcome> settled = new CompletableFuture<>();
            queue.add(new Entry(text, bytes, nanoClock.getAsLong() + policy.expiry().toNanos(), settled));
            queuedBytes += bytes.length;
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
                queuedBytes -= next.bytes().length;
                settlements.add(new Settlement(next, sendNow(next.bytes())));
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

    /** Refuses everything queued and everything offered from now on. Idempotent. */
    void close() {
        List<Settlement> settlements = new ArrayList<>();
        synchronized (this) {
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
            queuedBytes -= expired.bytes().length;
            settlements.add(new Settlement(expired, SendOutcome.refused(RefusalReason.EXPIRED)));
        }
    }

    /** Polls the real buffered amount only when the running estimate reaches the high-water mark. */
    private boolean hasRoomInChannel() {
        if (bufferedEstimate < policy.highWaterBytes()) {
            return true;
        }
        bufferedEstimate = channel.bufferedAmount();
        return bufferedEstimate < policy.highWaterBytes();
    }

    private SendOutcome sendNow(byte[] bytes) {
        try {
            channel.send(ByteBuffer.wrap(bytes));
            bufferedEstimate += bytes.length;
            return SendOutcome.SENT;
        } catch (Exception e) {
            return SendOutcome.refused(RefusalReason.SEND_FAILED);
        }
    }

    private void settle(List<Settlement> settlements) {
        for (Settlement s : settlements) {
            if (s.outcome() instanceof SendOutcome.Refused refused) {
                try {
                    refusals.refused(s.entry().text(), refused.reason());
                } catch (RuntimeException ignored) {
                    // A listener's failure must not stop the other settlements.
                }
            }
            s.entry().settled().complete(s.outcome());
        }
    }
}
