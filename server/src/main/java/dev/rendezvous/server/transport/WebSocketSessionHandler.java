package dev.rendezvous.server.transport;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.server.admin.SessionSnapshot;
import dev.rendezvous.server.hub.Link;
import dev.rendezvous.server.logging.LogBudget;
import dev.rendezvous.server.logging.LogText;
import dev.rendezvous.server.session.Connection;
import dev.rendezvous.server.session.ConnectionSettings;
import dev.rendezvous.server.session.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges one upgraded WebSocket channel and its {@link Connection}: inbound frames to the connection,
 * the connection's output ({@link Link}) and timers ({@link Transport}) to the channel.
 *
 * <p>Bounded outbound queue: the channel's write-buffer high water mark is the bound, for every frame,
 * pongs included. A frame for a channel above it is dropped and the client is closed with 4029 — a
 * client that stops reading never grows the server's memory; once closing, nothing but the close frame
 * is queued (pings then go unanswered).
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
 */
final class WebSocketSessionHandler extends ChannelInboundHandlerAdapter implements Link, Transport, WebSocketSession {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSessionHandler.class);
    /** A close frame that cannot be flushed (client not reading) does not hold the socket longer than this. */
    private static final long CLOSE_GRACE_MILLIS = 2_000;

    /** User event asking a session to close with 1001 (server shutdown). */
    static final Object SHUTDOWN = new Object();

    private static final AtomicReferenceFieldUpdater<WebSocketSessionHandler, Pending> INBOX =
            AtomicReferenceFieldUpdater.newUpdater(WebSocketSessionHandler.class, Pending.class, "inbox");

    private final Channel channel;
    private final Connection connection;
    private final int maxMessageBytes;
    private volatile boolean closing;
    private volatile boolean slowConsumerReported;
    /** Event-loop only. */
    private boolean started;
    /** Counters for the admin view: text frames and their payload bytes; event-loop only. */
    private final long connectedAtMillis = System.currentTimeMillis();
    private long framesIn;
    private long bytesIn;
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

    WebSocketSessionHandler(
            Channel channel, ConnectionSettings settings, int maxMessageBytes, String room, String clientId, String username,
            boolean resumable, boolean resume) {
        this.channel = channel;
        this.maxMessageBytes = maxMessageBytes;
        this.connection = new Connection(
                settings, this, this, room, clientId, username, channel.remoteAddress(), resumable, resume);
    }

    /** Called on the event loop once the 101 response is out (or before the first frame, whichever is first). */
    @Override
    public void start() {
        if (!started) {
            started = true;
            connection.open();
        }
    }

    /** This session for the admin view; on the event loop. */
    SessionSnapshot snapshot() {
        return connection.snapshot(connectedAtMillis, framesIn, framesOut, bytesIn, bytesOut);
    }

    // ---- inbound ------------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // frames come through the Sink methods; nothing else is expected here
    }

    @Override
    public void onText(byte[] utf8, int length) {
        start(); // a client cannot send before the 101, but never let a frame meet an unopened connection
        framesIn++;
        bytesIn += length;
        connection.onText(utf8, length);
    }

    @Override
    public void onBinary() {
        start();
        connection.onBinary();
    }

    @Override
    public void onPing(ByteBuf payload) {
        start();
        if (closing || !connection.onPing()) {
            payload.release(); // nothing is queued for a closing session, nor for a ping over the rate limit
            return;
        }
        if (!channel.isWritable()) { // the outbound bound holds for control frames too
            payload.release();
            reportSlowConsumer();
            return;
        }
        channel.writeAndFlush(new PongWebSocketFrame(payload), channel.voidPromise());
    }

    @Override
    public void onPong() {
        start();
        connection.onControlFrame();
    }

    @Override
    public void onTooLarge() {
        start();
        connection.onTooLarge(maxMessageBytes);
    }

    @Override
    public void onProtocolError(WebSocketCloseStatus status, String why) {
        if (LogBudget.CLIENTS.tryLine()) {
            log.info("protocol violation remote={}: {}", channel.remoteAddress(), LogText.of(why));
        }
        closeNow(status.code(), "protocol error");
    }

    @Override
    public void onClose(int status) {
        if (closing) {
            channel.close(); // the client answered our close: done
            return;
        }
        closing = true;
        connection.onCloseFrame(); // v1.1: a close frame from the client ends even a resumable session
        // Echo the client's code (RFC 6455 §5.5.1), then close the TCP connection.
        CloseWebSocketFrame reply = status < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, "");
        channel.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        for (Pending p = INBOX.getAndSet(this, null); p != null; p = p.next) {
            p.frame.release(); // a drain may still come; it then finds the inbox empty
        }
        connection.onClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!channel.isWritable() && channel.isActive()) {
            reportSlowConsumer();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == SHUTDOWN) {
            connection.onShutdown();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            channel.close(); // reset by peer and friends: the client is gone
        } else {
            log.warn("unexpected error remote={}", channel.remoteAddress(), cause);
            channel.close();
        }
    }

    // ---- Link ---------------------------------------------------------------------------------

    @Override
    public void send(ByteBuf utf8Json) {
        if (closing) {
            utf8Json.release();
            return;
        }
        if (!channel.isWritable()) {
            utf8Json.release();
            if (channel.isActive()) { // a closed channel is never writable: that is a departure, not a slow reader
                reportSlowConsumer();
            }
            return;
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
            return;
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
            if (closing || !channel.isActive()) {
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

    @Override
    public void close(CloseCode code, String reason) {
        closeNow(code.code(), reason);
    }

    private void closeNow(int code, String reason) {
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
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
            }
        });
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void reportSlowConsumer() {
        if (slowConsumerReported || closing) {
            return;
        }
        slowConsumerReported = true;
        if (channel.eventLoop().inEventLoop()) {
            connection.onSlowConsumer();
        } else {
            channel.eventLoop().execute(connection::onSlowConsumer);
        }
    }

    // ---- Transport ----------------------------------------------------------------------------

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Runnable schedule(Runnable task, long delayNanos) {
        Future<?> f = channel.eventLoop().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    @Override
    public ByteBuf frameBuffer(int jsonBytes) {
        return TextFrames.buffer(channel.alloc(), jsonBytes);
    }
}
