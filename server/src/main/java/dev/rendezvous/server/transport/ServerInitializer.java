package dev.rendezvous.server.transport;

import dev.rendezvous.server.admin.SessionSnapshot;
import dev.rendezvous.server.http.HttpEndpoint;
import dev.rendezvous.server.http.OriginPolicy;
import dev.rendezvous.server.http.StaticFiles;
import dev.rendezvous.server.peerjs.PeerJsEndpoint;
import dev.rendezvous.server.session.ConnectionSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The whole pipeline of an accepted connection, in one place, in its two stages:
 * <pre>
 * HTTP       [tls] → http-idle-timeout → http-codec → http-aggregator → http-router
 * WebSocket  [tls] → wsencoder, wsdecoder (Netty's encoder; our WebSocketFrameReader) → ws-session
 * </pre>
 * {@link #initChannel} builds the first; the router ({@link HttpRequestHandler}) routes each request by
 * path, and an upgrade that a {@link WebSocketRoute} accepts comes back to {@link #upgrade}, which builds
 * the second: the handshake sends the 101 response through the HTTP codec, which then leaves with the
 * aggregator; the idle timeout and the router leave at once. There is no WebSocket frame aggregator (the
 * reader assembles fragmented messages itself) and no flush consolidation (the session handler flushes
 * each channel once per event-loop iteration, {@link FlushBatch}).
 *
 * <p>The WebSocket endpoints are the {@link #routes} list: another protocol's endpoint is one more entry.
 * The PeerJS endpoint routes its own upgrade (its path and query are PeerJS's) but comes back here for the
 * WebSocket stage ({@link #peerJsHooks}): the same reader, the same 101, its socket as the session.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_HTTP_REQUEST_BYTES = 16 * 1024;
    private static final int HTTP_IDLE_SECONDS = 30;
    private static final String IDLE_TIMEOUT = "http-idle-timeout";
    /** Each request, head and body, must arrive whole within this (however slowly its bytes trickle). */
    static final long REQUEST_DEADLINE_MILLIS = 10_000;
    private static final String REQUEST_DEADLINE = "http-request-deadline";
    private static final String SESSION = "ws-session";
    /** Only the handshaker's encoder uses it (our reader replaces its decoder); no extensions are negotiated. */
    private static final WebSocketDecoderConfig DECODER_CONFIG = WebSocketDecoderConfig.newBuilder()
            .allowExtensions(false)
            .build();

    private final SslContext ssl;
    private final int maxMessageBytes;
    private final SessionRegistry registry;
    /** Stateless, so one instance for every connection. */
    private final HttpRequestHandler router;

    public ServerInitializer(
            ConnectionSettings settings,
            PeerJsEndpoint peerJs,
            int maxMessageBytes,
            SslContext ssl,
            StaticFiles staticFiles,
            Map<String, HttpEndpoint> endpoints,
            Supplier<String> health,
            SessionRegistry registry,
            OriginPolicy origins) {
        this.ssl = ssl;
        this.maxMessageBytes = maxMessageBytes;
        this.registry = registry;
        List<WebSocketRoute> routes = List.of(new SignalingRoute(settings, maxMessageBytes));
        this.router = new HttpRequestHandler(this, routes, peerJs, staticFiles, endpoints, health, origins);
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
            channel.eventLoop().execute(() -> result.complete(
                    channel.pipeline().get(SESSION) instanceof WebSocketSessionHandler h ? h.snapshot()
                            : PeerJsEndpoint.snapshot(channel)));
        } catch (RejectedExecutionException e) {
            result.complete(null); // the loop is shutting down
        }
        return result;
    }

    /** The HTTP stage. */
    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        // A connection that sends no complete request in time (slowloris) is dropped; removed at the upgrade.
        p.addLast(IDLE_TIMEOUT, new ReadTimeoutHandler(HTTP_IDLE_SECONDS));
        p.addLast("http-codec", new HttpServerCodec());
        p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES));
        p.addLast(REQUEST_DEADLINE, new RequestDeadlineHandler(REQUEST_DEADLINE_MILLIS));
        p.addLast("http-router", router);
    }

    /**
     * The WebSocket stage, from the router ({@code routerCtx}) on the event loop: answers {@code request}
     * (an upgrade at {@code path} that a route accepted) with 101 and hands the connection to {@code session}.
     */
    void upgrade(ChannelHandlerContext routerCtx, FullHttpRequest request, String path, WebSocketSession session) {
        ChannelPipeline p = routerCtx.pipeline();
        String url = (ssl != null ? "wss://" : "ws://") + request.headers().get(HttpHeaderNames.HOST) + path;
        Handshaker handshaker = new Handshaker(url, new WebSocketFrameReader(session, maxMessageBytes));
        if (p.get(IDLE_TIMEOUT) != null) {
            p.remove(IDLE_TIMEOUT); // WebSocket liveness is the keepalive's job
        }
        if (p.get(REQUEST_DEADLINE) != null) {
            p.remove(REQUEST_DEADLINE);
        }
        p.addAfter(routerCtx.name(), SESSION, session);
        handshaker.handshake(routerCtx.channel(), request).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                registry.opened(f.channel());
                session.start();
            } else {
                f.channel().close();
            }
        });
        p.remove(routerCtx.name());
    }

    /** The PeerJS endpoint's upgrade: this same WebSocket stage, with a PeerJS socket as the session. */
    PeerJsEndpoint.UpgradeHooks peerJsHooks() {
        return this::upgrade;
    }

    /**
     * Netty's RFC 6455 handshake (the 101 response, the encoder, the HTTP handlers' removal) with our
     * frame reader as the decoder it installs before the HTTP codec.
     */
    private static final class Handshaker extends WebSocketServerHandshaker13 {
        private final WebSocketFrameReader reader;

        Handshaker(String url, WebSocketFrameReader reader) {
            super(url, null, DECODER_CONFIG);
            this.reader = reader;
        }

        @Override
        protected WebSocketFrameDecoder newWebsocketDecoder() {
            return reader;
        }
    }
}
