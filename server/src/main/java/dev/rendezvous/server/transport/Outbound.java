package dev.rendezvous.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The one outbound path of an upgraded WebSocket channel, whatever protocol it speaks (the v1 session
 * handler and the PeerJS socket share it): text frames, pongs and the close handshake.
 *
 * <p>Bounded outbound queue: the channel's write-buffer high water mark is the bound, for every frame,
 * pongs included. A frame for a channel above it is dropped and the owner hears {@code onSlowConsumer}
 * once (it closes with 4029) — a client that stops reading never grows the server's memory; once a close is
 * asked for, no new frame is accepted (pings then go unanswered), and the frames accepted before it leave
 * ahead of the close frame (an error sent from another thread, then the close, arrive in that order).
 *
 * <p>Write path (the relay's hot path): a frame sent on this channel's own event loop is written at once
 * and flushed at the end of the loop iteration ({@link FlushBatch}), so a burst of reads costs one
 * {@code write(2)} per receiver, not one per frame. A frame sent from another thread joins a lock-free
 * inbox (a Treiber stack, reversed on drain); the first frame into an empty inbox schedules one drain
 * task on this channel's loop, which writes the whole inbox in order and flushes once. A frame sent on
 * the loop while the inbox is not empty joins the inbox too, so frames always leave in the order of the
 * {@code send} calls — the hub sends state changes under its monitors, so every client sees them in the
 * order the hub made them (found by the chaos test: a {@code paired} written directly overtook an older
 * {@code peer_disconnected} still in the inbox).
 *
 * <p>Threading: {@link #send}, {@link #close} and {@link #closing} from any thread; the rest on the
 * channel's event loop.
 */
public final class Outbound {
    /** A close frame that cannot be flushed (client not reading) does not hold the socket longer than this. */
    private static final long CLOSE_GRACE_MILLIS = 2_000;

    private static final AtomicReferenceFieldUpdater<Outbound, Pending> INBOX =
            AtomicReferenceFieldUpdater.newUpdater(Outbound.class, Pending.class, "inbox");

    private final Channel channel;
    private final Runnable onSlowConsumer;
    /** A close was asked for (ours or the client's): no new frame is accepted. */
    private volatile boolean closing;
    /** A close frame went out: nothing may follow it, not even frames accepted before; event-loop only. */
    private boolean closeSent;

    private volatile boolean slowConsumerReported;
    /** Text frames written and their payload bytes, for the admin view; event-loop only. */
    private long framesOut;

    private long bytesOut;
    /** Frames sent from other threads, newest first; null when empty. */
    private volatile Pending inbox;

    /** One frame waiting in the inbox; {@code next} is rewritten once, by the drain that reverses the stack. */
    private static final class Pending {
        final ByteBuf frame;
        Pending next;

        Pending(ByteBuf frame, Pending next) {
            this.frame = frame;
            this.next = next;
        }
    }

    /**
     * @param onSlowConsumer run once, on the event loop, when a frame had to be dropped for the bound (the
     *     owner closes the session with 4029)
     */
    public Outbound(Channel channel, Runnable onSlowConsumer) {
        this.channel = channel;
        this.onSlowConsumer = onSlowConsumer;
    }

    /** Whether the close handshake began (ours or the client's): nothing more is sent. */
    public boolean closing() {
        return closing;
    }

    /** What this channel has written so far, for the admin view; on the event loop. */
    public Sent sent() {
        return new Sent(framesOut, bytesOut);
    }

    /** Text frames written and their payload bytes. */
    public record Sent(long frames, long bytes) {}

    /** A buffer for {@code text} as UTF-8, with the headroom for its frame header (framed in place). */
    public ByteBuf utf8(String text) {
        ByteBuf out = buffer(ByteBufUtil.utf8MaxBytes(text));
        ByteBufUtil.writeUtf8(out, text);
        return out;
    }

    /** A buffer for up to {@code jsonBytes} of JSON, with the headroom for its frame header (framed in place). */
    public ByteBuf buffer(int jsonBytes) {
        return TextFrames.buffer(channel.alloc(), jsonBytes);
    }

    /**
     * Queues one text frame holding {@code utf8Json}; takes ownership of the buffer. False when it was
     * dropped: the channel is closing or closed, or its client stopped reading (then the owner hears
     * {@code onSlowConsumer}). Any thread; frames sent from one thread leave in the order sent.
     */
    public boolean send(ByteBuf utf8Json) {
        if (closing) {
            utf8Json.release();
            return false;
        }
        if (!channel.isWritable()) {
            utf8Json.release();
            if (channel.isActive()) { // a closed channel is never writable: that is a departure, not a slow reader
                reportSlowConsumer();
            }
            return false;
        }
        if (inbox == null && channel.eventLoop().inEventLoop()) {
            // Direct only when nothing from other threads is waiting: frames leave in the order of send calls.
            framesOut++;
            bytesOut += utf8Json.readableBytes();
            FlushBatch batch = FlushBatch.current();
            if (batch == null) {
                channel.writeAndFlush(TextFrames.frame(utf8Json), channel.voidPromise());
            } else {
                channel.write(TextFrames.frame(utf8Json), channel.voidPromise());
                batch.add(this);
            }
            return true;
        }
        Pending next = new Pending(utf8Json, null);
        Pending head;
        do {
            head = inbox;
            next.next = head;
        } while (!INBOX.compareAndSet(this, head, next));
        if (head == null) {
            channel.eventLoop().execute(this::drainInbox);
        }
        return true;
    }

    /** On the loop: writes every frame of the inbox in the order sent, then flushes once. */
    private void drainInbox() {
        Pending ordered = null;
        Pending p = INBOX.getAndSet(this, null);
        while (p != null) { // reverse in place: the stack holds the newest first
            Pending rest = p.next;
            p.next = ordered;
            ordered = p;
            p = rest;
        }
        for (p = ordered; p != null; p = p.next) {
            if (closeSent || !channel.isActive()) {
                p.frame.release();
            } else {
                framesOut++;
                bytesOut += p.frame.readableBytes();
                channel.write(TextFrames.frame(p.frame), channel.voidPromise());
            }
        }
        channel.flush();
    }

    /** Called by the loop's {@link FlushBatch} at the end of an iteration. */
    void flushNow() {
        channel.flush();
    }

    /** On the loop: answers a ping with {@code payload} (taken), unless closing or over the bound. */
    public void pong(ByteBuf payload) {
        if (closing) {
            payload.release();
            return;
        }
        if (!channel.isWritable()) { // the outbound bound holds for control frames too
            payload.release();
            reportSlowConsumer();
            return;
        }
        channel.writeAndFlush(new PongWebSocketFrame(payload), channel.voidPromise());
    }

    /**
     * On the loop: the client's close frame. True when the client began the handshake (its code is echoed,
     * RFC 6455 §5.5.1, then the connection closes); false when it answered ours (the connection closes now).
     */
    public boolean onCloseFrame(int status) {
        if (closing) {
            channel.close(); // the client answered our close: done
            return false;
        }
        closing = true;
        closeSent = true;
        CloseWebSocketFrame reply = status < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, "");
        channel.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        return true;
    }

    /** Sends a close frame with {@code code} and closes the connection; later calls do nothing. Any thread. */
    public void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        if (channel.eventLoop().inEventLoop()) {
            writeClose(code, reason);
        } else {
            channel.eventLoop().execute(() -> writeClose(code, reason));
        }
    }

    /**
     * Sends the close frame and waits for the client's answering close frame ({@link #onCloseFrame})
     * before closing the TCP connection: closing at once would reset a client that is still sending,
     * and it would never read our close code. A client that does not answer within the grace period
     * (not reading, or gone) is dropped.
     */
    private void writeClose(int code, String reason) {
        if (!channel.isActive()) {
            return;
        }
        drainInbox(); // frames accepted before the close was asked for (e.g. an error from another thread) go first
        closeSent = true;
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
            }
        });
        channel.eventLoop()
                .schedule(
                        () -> {
                            channel.close();
                        },
                        CLOSE_GRACE_MILLIS,
                        TimeUnit.MILLISECONDS);
    }

    /** On the loop: the channel closed; frames still in the inbox are released (a drain may still come). */
    public void inactive() {
        closing = true;
        closeSent = true;
        for (Pending p = INBOX.getAndSet(this, null); p != null; p = p.next) {
            p.frame.release();
        }
    }

    /** On the loop: the channel went over its high water mark. */
    public void writabilityChanged() {
        if (!channel.isWritable() && channel.isActive()) {
            reportSlowConsumer();
        }
    }

    private void reportSlowConsumer() {
        if (slowConsumerReported || closing) {
            return;
        }
        slowConsumerReported = true;
        if (channel.eventLoop().inEventLoop()) {
            onSlowConsumer.run();
        } else {
            channel.eventLoop().execute(onSlowConsumer);
        }
    }
}
