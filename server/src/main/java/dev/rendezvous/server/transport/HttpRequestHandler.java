package dev.rendezvous.server.transport;

import static dev.rendezvous.server.http.HttpResponses.respond;

import dev.rendezvous.server.http.HttpEndpoint;
import dev.rendezvous.server.http.HttpResponses;
import dev.rendezvous.server.http.HttpSite;
import dev.rendezvous.server.http.OriginPolicy;
import dev.rendezvous.server.peerjs.PeerJsEndpoint;
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
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Routes each HTTP request by path. An upgrade goes to the first {@link WebSocketRoute} that serves its
 * path (404 when none does; the route may refuse it with a 400), and {@link ServerInitializer#upgrade}
 * turns the pipeline into a WebSocket one. Other requests, GET or HEAD only: {@code /healthz}, the extra
 * endpoints by exact path, 426 at a path that is only a WebSocket endpoint, then the static files of the
 * web client; 404 otherwise. Before any of it, a client behind a trusted proxy that is over its address's
 * limits gets a 429 ({@link AddressAccounting}), then the {@link OriginPolicy}: a foreign {@code Host} is a 403
 * on every request, a foreign {@code Origin} a 403 at every upgrade and endpoint (static files are public
 * and served to any page).
 *
 * <p>Holds no per-connection state: one instance serves every connection of a server (it leaves each
 * pipeline at the upgrade).
 */
@ChannelHandler.Sharable
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ServerInitializer pipeline;
    private final List<WebSocketRoute> routes;
    /** Null when the PeerJS endpoint is off. */
    private final PeerJsEndpoint peerJs;

    private final HttpSite site;
    /** Null when no per-address limit is on and no proxy is trusted. */
    private final AddressAccounting accounting;

    HttpRequestHandler(
            ServerInitializer pipeline,
            List<WebSocketRoute> routes,
            PeerJsEndpoint peerJs,
            HttpSite site,
            AddressAccounting accounting) {
        this.pipeline = pipeline;
        this.accounting = accounting;
        this.routes = List.copyOf(routes);
        this.peerJs = peerJs;
        this.site = site;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            HttpUtil.setKeepAlive(request, false); // the stream cannot be trusted past a bad head: 400, then close
            respond(ctx, request, HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "bad request"));
            return;
        }
        if (request.protocolVersion().majorVersion() != 1
                || request.protocolVersion().minorVersion() > 1) {
            HttpUtil.setKeepAlive(request, false); // RFC 7230 §2.6: a major version we do not speak
            respond(ctx, request, HttpResponses.text(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP/1.1 only"));
            return;
        }
        if (accounting != null && !accounting.request(ctx.channel(), request.headers())) {
            HttpUtil.setKeepAlive(request, false); // a proxied client over its address's limits
            respond(
                    ctx,
                    request,
                    HttpResponses.text(HttpResponseStatus.TOO_MANY_REQUESTS, "too many connections from your address"));
            return;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (!site.origins().hostAllowed(host)) { // DNS rebinding: a foreign name pointed at this server
            respond(ctx, request, HttpResponses.text(HttpResponseStatus.FORBIDDEN, "host not allowed"));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        boolean upgrade = HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(
                request.headers().get(HttpHeaderNames.UPGRADE));
        if (!site.origins().originAllowed(origin, host)) {
            // A foreign page gets the public static files (the page, the SDK) and nothing else: no upgrade
            // (ours or PeerJS's), no API (ICE credentials, metrics, PeerJS ids).
            boolean staticGet = !upgrade
                    && (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)
                    && !path.equals("/healthz")
                    && !site.endpoints().containsKey(path);
            respond(
                    ctx,
                    request,
                    (staticGet ? site.staticFiles().respond(path) : Optional.<FullHttpResponse>empty())
                            .orElseGet(() -> HttpResponses.text(HttpResponseStatus.FORBIDDEN, "origin not allowed")));
            return;
        }
        if (peerJs != null
                && !site.endpoints().containsKey(path)
                && peerJs.handle(ctx, request, pipeline.peerJsHooks())) {
            return; // the PeerJS server protocol (its own package); the server's own endpoints come first
        }
        if (upgrade) {
            upgrade(ctx, request, uri);
            return;
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            FullHttpResponse r = HttpResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is served here");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            respond(ctx, request, r);
            return;
        }
        if (path.equals("/healthz")) {
            respond(
                    ctx,
                    request,
                    cors(HttpResponses.json(HttpResponseStatus.OK, site.health().get()), origin));
            return;
        }
        HttpEndpoint endpoint = site.endpoints().get(path);
        if (endpoint != null) {
            respondLater(ctx, request, endpoint, origin);
            return;
        }
        if (upgradeOnly(path)) {
            FullHttpResponse r =
                    HttpResponses.text(HttpResponseStatus.UPGRADE_REQUIRED, "this is a WebSocket endpoint");
            r.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            respond(ctx, request, r);
            return;
        }
        respond(
                ctx,
                request,
                site.staticFiles()
                        .respond(path)
                        .orElseGet(() -> HttpResponses.text(HttpResponseStatus.NOT_FOUND, "not found: " + path)));
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        String path = uri.path();
        WebSocketRoute route = routeFor(path);
        if (route == null) {
            respond(ctx, request, HttpResponses.text(HttpResponseStatus.NOT_FOUND, "no WebSocket endpoint at " + path));
            return;
        }
        switch (route.accept(ctx.channel(), uri)) {
            case WebSocketRoute.Upgrade.Refused refused ->
                respond(ctx, request, HttpResponses.text(refused.status(), refused.reason()));
            case WebSocketRoute.Upgrade.Accepted accepted -> upgradeChecked(ctx, request, accepted.session());
        }
    }

    /** Checks the WebSocket version and key (426, 400), then hands the upgrade to the pipeline; v1 and PeerJS alike. */
    void upgradeChecked(ChannelHandlerContext ctx, FullHttpRequest request, WebSocketSession session) {
        if (!"13".equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel()); // 426, version 13
            return;
        }
        if (!validKey(
                request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY))) { // RFC 6455 §4.2.1: 16 random bytes, base64
            respond(
                    ctx,
                    request,
                    HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "Sec-WebSocket-Key must be 16 bytes in base64"));
            return;
        }
        pipeline.upgrade(ctx, request, session);
    }

    private static boolean validKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private WebSocketRoute routeFor(String path) {
        for (WebSocketRoute r : routes) {
            if (r.serves(path)) {
                return r;
            }
        }
        return null;
    }

    private boolean upgradeOnly(String path) {
        for (WebSocketRoute r : routes) {
            if (r.upgradeOnly(path)) {
                return true;
            }
        }
        return false;
    }

    /** CORS for an allowed origin only (the caller checked it): that origin, never {@code *}. */
    private static FullHttpResponse cors(FullHttpResponse response, String origin) {
        if (origin != null) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.headers().add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
        return response;
    }

    /** Runs an endpoint that may answer later; the request is retained until then, the answer written on the loop. */
    private static void respondLater(
            ChannelHandlerContext ctx, FullHttpRequest request, HttpEndpoint endpoint, String origin) {
        request.retain(); // SimpleChannelInboundHandler releases it when channelRead0 returns
        CompletionStage<FullHttpResponse> answer;
        try {
            answer = endpoint.respondAsync(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        HttpResponses.respondLater(ctx, request, answer, response -> cors(response, origin));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
