package dev.rendezvous.server.transport;

import dev.rendezvous.server.admin.SessionSnapshot;
import dev.rendezvous.server.http.HttpSite;
import dev.rendezvous.server.net.AddressGate;
import dev.rendezvous.server.peerjs.PeerJsEndpoint;
import dev.rendezvous.server.session.ConnectionSettings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The whole pipeline of an accepted connection, in one place, in its two stages:
 * <pre>
 * HTTP       [tls] → http-codec → http-aggregator → http-request-deadline → http-router
 * WebSocket  [tls] → wsencoder, wsdecoder (Netty's encoder, shared; our WebSocketFrameReader) → ws-session
 * </pre>
 * {@link #initChannel} builds the first; the router ({@link HttpRequestHandler}, shared) routes each
 * request by path, and an upgrade that a {@link WebSocketRoute} accepts comes back to {@link #upgrade},
 * which builds the second: every HTTP handler leaves, the 101 response and the session's first frame go
 * out in one flush. Per connection, the WebSocket stage holds two objects of its own: the frame reader
 * and the session. There is no WebSocket frame aggregator (the
 * reader assembles fragmented messages itself) and no flush consolidation (the session handler flushes
 * each channel once per event-loop iteration, {@link FlushBatch}).
 *
 * <p>Before any of it, a connection over its address's limits ({@link AddressAccounting}) is closed unread.
 *
 * <p>The WebSocket endpoints are the {@link #routes} list: another protocol's endpoint is one more entry.
 * The PeerJS endpoint routes its own upgrade (its path and query are PeerJS's) but comes back here for the
 * WebSocket stage ({@link #peerJsHooks}): the same reader, the same 101, its socket as the session.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_HTTP_REQUEST_BYTES = 16 * 1024;
    private static final String HTTP_CODEC = "http-codec";
    private static final String HTTP_AGGREGATOR = "http-aggregator";
    /** Each request, head and body, must arrive whole within this (however slowly its bytes trickle). */
    static final long REQUEST_DEADLINE_MILLIS = 10_000;

    private static final String REQUEST_DEADLINE = "http-request-deadline";
    private static final String SESSION = "ws-session";
    private static final ChannelHandler FRAME_ENCODER = new SharedFrameEncoder();

    private final SslContext ssl;
    private final WebSocketLimits limits;
    /** Null when no per-address limit is on and no proxy is trusted. */
    private final AddressAccounting accounting;

    private final SessionRegistry registry;
    /** Stateless, so one instance for every connection. */
    private final HttpRequestHandler router;

    /**
     * @param site what plain HTTP requests are answered with
     * @param gate the per-address limits, or null when none is on
     */
    public ServerInitializer(
            ConnectionSettings settings,
            PeerJsEndpoint peerJs,
            WebSocketLimits limits,
            SslContext ssl,
            HttpSite site,
            SessionRegistry registry,
            AddressGate gate) {
        this.ssl = ssl;
        this.limits = limits;
        this.registry = registry;
        this.accounting = gate == null ? null : new AddressAccounting(gate, settings.observer());
        List<WebSocketRoute> routes = List.of(new SignalingRoute(settings, limits.maxMessageBytes()));
        this.router = new HttpRequestHandler(this, routes, peerJs, site, accounting);
    }

    /** Receives every channel that completed a WebSocket upgrade: tracked for shutdown and the connection count. */
    public interface SessionRegistry {
        void opened(Channel channel);
    }

    /** Asks every session on {@code channel} to close with 1001 (server shutdown); any thread. */
    public static void requestShutdown(Channel channel) {
        channel.eventLoop().execute(() -> channel.pipeline().fireUserEventTriggered(WebSocketSessionHandler.SHUTDOWN));
    }

    /**
     * The admin view of the session on {@code channel}, read on its event loop; completes with null when
     * the channel holds no session (closed meanwhile). Any thread.
     */
    public static CompletableFuture<SessionSnapshot> snapshot(Channel channel) {
        CompletableFuture<SessionSnapshot> result = new CompletableFuture<>();
        try {
            channel.eventLoop()
                    .execute(() -> result.complete(
                            channel.pipeline().get(SESSION) instanceof WebSocketSessionHandler h
                                    ? h.snapshot()
                                    : PeerJsEndpoint.snapshot(channel)));
        } catch (RejectedExecutionException e) {
            result.complete(null); // the loop is shutting down
        }
        return result;
    }

    /** The HTTP stage. */
    @Override
    protected void initChannel(SocketChannel ch) {
        if (accounting != null && !accounting.accepted(ch)) {
            ch.close(); // over its address's cap or connection rate: not a byte read, not a handler built
            return;
        }
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        p.addLast(HTTP_CODEC, new HttpServerCodec());
        p.addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES));
        // A connection that sends no complete request in time (slowloris) is dropped; removed at the upgrade.
        // It is the only timer of the HTTP stage: an idle-read timeout as well would only add a second
        // timer per connection for a case the deadline already closes sooner.
        p.addLast(REQUEST_DEADLINE, new RequestDeadlineHandler(REQUEST_DEADLINE_MILLIS));
        p.addLast("http-router", router);
    }

    /**
     * The WebSocket stage, from the router ({@code routerCtx}) on the event loop: answers {@code request}
     * (an upgrade that a route accepted, its key checked) with 101 and hands the connection to {@code session}.
     * The 101 ({@link UpgradeResponse}) is written as bytes, the session starts at once and its first frame
     * ({@code your_id}) joins the 101 in one flush: one {@code write(2)} for the upgrade, no listener, no
     * handshaker object — where Netty's handshake flushed the response alone and started the session from a
     * listener. The HTTP handlers leave before the 101 is written (the request is whole: nothing of the
     * HTTP stage is needed for the answer).
     */
    void upgrade(ChannelHandlerContext routerCtx, FullHttpRequest request, WebSocketSession session) {
        ChannelPipeline p = routerCtx.pipeline();
        Channel channel = routerCtx.channel();
        ByteBuf response =
                UpgradeResponse.of(channel.alloc(), request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY));
        leaveHttp(p);
        p.addBefore(HTTP_CODEC, "wsencoder", FRAME_ENCODER);
        p.addBefore(
                HTTP_CODEC,
                "wsdecoder",
                new WebSocketFrameReader(session, limits.maxMessageBytes(), limits.unfinishedMessageNanos()));
        p.addAfter(routerCtx.name(), SESSION, session);
        p.remove(HTTP_CODEC);
        p.remove(routerCtx.name());
        // A failed write reaches the session's exceptionCaught, which closes the channel.
        channel.write(response, channel.voidPromise());
        registry.opened(channel);
        session.start();
        channel.flush();
    }

    /** Removes the HTTP stage's handlers that have no part in the answer to an upgrade. */
    private static void leaveHttp(ChannelPipeline p) {
        if (p.get(REQUEST_DEADLINE) != null) {
            p.remove(REQUEST_DEADLINE); // WebSocket liveness is the keepalive's job
        }
        if (p.get(HTTP_AGGREGATOR) != null) {
            p.remove(HTTP_AGGREGATOR);
        }
    }

    /** The PeerJS endpoint's upgrade: the same checks and WebSocket stage as v1's, with a PeerJS socket as the session. */
    PeerJsEndpoint.UpgradeHooks peerJsHooks() {
        return (ctx, request, path, session) -> router.upgradeChecked(ctx, request, session);
    }

    boolean tls() {
        return ssl != null;
    }

    /**
     * Netty's RFC 6455 frame encoder for what the session writes that is not framed in place yet (a
     * broadcast's shared buffers, pongs, closes; {@link TextFrames}). It keeps no state of a connection
     * (a server never masks), so one instance serves them all.
     */
    @ChannelHandler.Sharable
    private static final class SharedFrameEncoder extends WebSocket13FrameEncoder {
        SharedFrameEncoder() {
            super(false);
        }
    }
}
