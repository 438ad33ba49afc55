package dev.rendezvous.server.transport;

import dev.rendezvous.server.http.HttpEndpoint;
import dev.rendezvous.server.http.HttpResponses;
import dev.rendezvous.server.http.StaticFiles;
import dev.rendezvous.server.peerjs.PeerJsEndpoint;
import dev.rendezvous.server.session.Connection;
import dev.rendezvous.server.session.ConnectionSettings;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Routes plain HTTP requests and performs the WebSocket upgrade. Upgrades go to {@code /} or
 * {@code /ws} (lobby) and {@code /ws/{room}}; the room name and the {@code client_id}/{@code username}
 * query parameters are validated before the upgrade (HTTP 400). Other GETs: {@code /healthz}, extra
 * endpoints, then static files of the web client; 404 otherwise.
 *
 * <p>Holds no per-connection state: one instance serves every connection of a server (it leaves each
 * pipeline at the upgrade), and the WebSocket decoder settings are built once.
 */
@ChannelHandler.Sharable
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final int MAX_USERNAME_CHARS = 64;
    static final String IDLE_TIMEOUT_NAME = "http-idle-timeout";

    private final ConnectionSettings settings;
    /** Null when the PeerJS endpoint is off. */
    private final PeerJsEndpoint peerJs;
    private final PeerJsEndpoint.UpgradeHooks peerJsHooks;
    private final int maxMessageBytes;
    private final boolean tls;
    private final StaticFiles staticFiles;
    private final Map<String, HttpEndpoint> endpoints;
    private final Supplier<String> health;
    private final ServerInitializer.SessionRegistry registry;
    /** Only the outbound encoder of the handshaker uses it (our reader replaces the decoder); no masks expected. */
    private static final WebSocketDecoderConfig DECODER_CONFIG = WebSocketDecoderConfig.newBuilder()
            .allowExtensions(false)
            .build();

    HttpRequestHandler(
            ConnectionSettings settings,
            PeerJsEndpoint peerJs,
            int maxMessageBytes,
            boolean tls,
            StaticFiles staticFiles,
            Map<String, HttpEndpoint> endpoints,
            Supplier<String> health,
            ServerInitializer.SessionRegistry registry) {
        this.settings = settings;
        this.peerJs = peerJs;
        this.peerJsHooks = new PeerJsEndpoint.UpgradeHooks() {
            @Override
            public void leaveHttp(ChannelHandlerContext ctx) {
                if (ctx.pipeline().get(IDLE_TIMEOUT_NAME) != null) {
                    ctx.pipeline().remove(IDLE_TIMEOUT_NAME);
                }
                ctx.pipeline().remove(HttpRequestHandler.this);
            }

            @Override
            public void opened(io.netty.channel.Channel channel) {
                registry.opened(channel);
            }
        };
        this.maxMessageBytes = maxMessageBytes;
        this.tls = tls;
        this.staticFiles = staticFiles;
        this.endpoints = endpoints;
        this.health = health;
        this.registry = registry;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "bad request"));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (peerJs != null && !endpoints.containsKey(path) && peerJs.handle(ctx, request, tls, peerJsHooks)) {
            return; // the PeerJS server protocol (its own package); the server's own endpoints come first
        }
        boolean upgrade = HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
        boolean lobbyPath = path.equals("/") || path.equals("/ws");
        boolean roomPath = path.startsWith("/ws/");
        if (upgrade) {
            if (!lobbyPath && !roomPath) {
                respond(ctx, request, HttpResponses.text(HttpResponseStatus.NOT_FOUND, "no WebSocket endpoint at " + path));
                return;
            }
            upgrade(ctx, request, uri, roomPath ? path.substring("/ws/".length()) : null);
            return;
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            FullHttpResponse r = HttpResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is served here");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            respond(ctx, request, r);
            return;
        }
        if (path.equals("/healthz")) {
            respond(ctx, request, HttpResponses.json(HttpResponseStatus.OK, health.get()));
            return;
        }
        HttpEndpoint endpoint = endpoints.get(path);
        if (endpoint != null) {
            respondLater(ctx, request, endpoint);
            return;
        }
        if (path.equals("/ws") || roomPath) {
            FullHttpResponse r = HttpResponses.text(HttpResponseStatus.UPGRADE_REQUIRED, "this is a WebSocket endpoint");
            r.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            respond(ctx, request, r);
            return;
        }
        respond(ctx, request, staticFiles.respond(path)
                .orElseGet(() -> HttpResponses.text(HttpResponseStatus.NOT_FOUND, "not found: " + path)));
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, String room) {
        if (room != null && !Connection.NAME.matcher(room).matches()) {
            respond(ctx, request, HttpResponses.text(HttpResponseStatus.BAD_REQUEST,
                    "room names are 1-64 characters of [A-Za-z0-9._-]"));
            return;
        }
        String clientId = first(uri, "client_id");
        if (clientId != null && !Connection.NAME.matcher(clientId).matches()) {
            respond(ctx, request, HttpResponses.text(HttpResponseStatus.BAD_REQUEST,
                    "client_id must be 1-64 characters of [A-Za-z0-9._-]"));
            return;
        }
        String username = first(uri, "username");
        if (username != null && !validUsername(username)) {
            respond(ctx, request, HttpResponses.text(HttpResponseStatus.BAD_REQUEST,
                    "username must be 1-" + MAX_USERNAME_CHARS + " characters without control characters"));
            return;
        }
        if (!"13".equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel()); // 426, version 13
            return;
        }
        WebSocketSessionHandler session = new WebSocketSessionHandler(
                ctx.channel(), settings, maxMessageBytes, room, clientId, username == null || username.isEmpty() ? null : username);
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshaker13(
                (tls ? "wss://" : "ws://") + request.headers().get(HttpHeaderNames.HOST) + uri.path(), null, DECODER_CONFIG) {
            @Override
            protected WebSocketFrameDecoder newWebsocketDecoder() {
                return new WebSocketFrameReader(session, maxMessageBytes); // ours, in place of Netty's decoder
            }
        };
        if (ctx.pipeline().get(IDLE_TIMEOUT_NAME) != null) {
            ctx.pipeline().remove(IDLE_TIMEOUT_NAME); // WebSocket liveness is the keepalive's job
        }
        ctx.pipeline().addAfter(ctx.name(), "ws-session", session);
        // No FlushConsolidationHandler: the session handler already writes without flushing and flushes each
        // channel once per loop iteration (FlushBatch, and one flush per cross-loop inbox drain); a second
        // consolidation layer only added a handler per connection and one more task per flush. No frame
        // aggregator either: the WebSocketFrameReader assembles fragmented messages itself.
        handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                registry.opened(f.channel());
                session.start();
            } else {
                f.channel().close();
            }
        });
        ctx.pipeline().remove(this);
    }

    private static String first(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static boolean validUsername(String name) {
        if (name.isEmpty()) {
            return true; // treated as absent
        }
        if (name.codePointCount(0, name.length()) > MAX_USERNAME_CHARS) {
            return false;
        }
        return name.codePoints().noneMatch(Character::isISOControl);
    }

    /** Runs an endpoint that may answer later; the request is retained until then, the answer written on the loop. */
    private static void respondLater(ChannelHandlerContext ctx, FullHttpRequest request, HttpEndpoint endpoint) {
        request.retain(); // SimpleChannelInboundHandler releases it when channelRead0 returns
        java.util.concurrent.CompletionStage<FullHttpResponse> answer;
        try {
            answer = endpoint.respondAsync(request);
        } catch (RuntimeException e) {
            answer = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, error) -> ctx.executor().execute(() -> {
            try {
                respond(ctx, request, response != null ? response
                        : HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error"));
            } finally {
                request.release();
            }
        }));
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.method() == HttpMethod.HEAD) {
            response.content().clear();
        }
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
