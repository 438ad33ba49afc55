package dev.rendezvous.server.transport;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.server.admin.SessionSnapshot;
import dev.rendezvous.server.hub.Link;
import dev.rendezvous.server.logging.LogBudget;
import dev.rendezvous.server.logging.LogText;
import dev.rendezvous.server.net.ClientAddress;
import dev.rendezvous.server.session.ConnectRequest;
import dev.rendezvous.server.session.Connection;
import dev.rendezvous.server.session.ConnectionSettings;
import dev.rendezvous.server.session.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges one upgraded WebSocket channel and its {@link Connection}: inbound frames to the connection,
 * the connection's output ({@link Link}) and timers ({@link Transport}) to the channel. Output goes through
 * the channel's {@link Outbound} (the bound, the flush batching, the close handshake), owned and followed
 * as for the PeerJS socket ({@link AbstractWebSocketSession}).
 */
final class WebSocketSessionHandler extends AbstractWebSocketSession implements Link, Transport {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSessionHandler.class);

    /** User event asking a session to close with 1001 (server shutdown). */
    static final Object SHUTDOWN = new Object();

    private final Connection connection;
    private final int maxMessageBytes;
    /** Event-loop only. */
    private boolean started;
    /** Counters for the admin view: text frames and their payload bytes; event-loop only. */
    private final long connectedAtMillis = System.currentTimeMillis();

    private long framesIn;
    private long bytesIn;

    /** @param request what the client asked for; its remote is this channel's */
    WebSocketSessionHandler(Channel channel, ConnectionSettings settings, int maxMessageBytes, ConnectRequest request) {
        super(channel, log);
        this.maxMessageBytes = maxMessageBytes;
        this.connection = new Connection(settings, this, this, request);
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
        Outbound.Sent sent = out.sent();
        return connection.snapshot(connectedAtMillis, framesIn, sent.frames(), bytesIn, sent.bytes());
    }

    // ---- inbound ------------------------------------------------------------------------------

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
        if (out.closing() || !connection.onPing()) {
            payload.release(); // nothing is queued for a closing session, nor for a ping over the rate limit
            return;
        }
        out.pong(payload);
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
            log.info("protocol violation remote={}: {}", ClientAddress.forLogs(channel), LogText.of(why));
        }
        out.close(status.code(), "protocol error");
    }

    @Override
    public void onClose(int status) {
        if (out.onCloseFrame(status)) {
            connection.onCloseFrame(); // v1.1: a close frame from the client ends even a resumable session
        }
    }

    @Override
    protected void onSlowConsumer() {
        connection.onSlowConsumer();
    }

    @Override
    protected void onChannelClosed() {
        connection.onClosed();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == SHUTDOWN) {
            connection.onShutdown();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    // ---- Link ---------------------------------------------------------------------------------

    @Override
    public void send(ByteBuf utf8Json) {
        out.send(utf8Json);
    }

    @Override
    public void close(CloseCode code, String reason) {
        out.close(code.code(), reason);
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
