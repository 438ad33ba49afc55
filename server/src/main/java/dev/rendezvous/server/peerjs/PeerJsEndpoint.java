package dev.rendezvous.server.peerjs;

import static dev.rendezvous.server.http.HttpResponses.respond;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.server.admin.SessionSnapshot;
import dev.rendezvous.server.auth.AuthResult;
import dev.rendezvous.server.auth.Authenticator;
import dev.rendezvous.server.http.HttpResponses;
import dev.rendezvous.server.ice.IceServerSource;
import dev.rendezvous.server.session.ConnectionSettings;
import dev.rendezvous.server.transport.WebSocketSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The PeerJS server's HTTP face: {@code GET {path}{key}/id} (a fresh id, as text),
 * {@code GET {path}{key}/peers} (the ids when discovery is allowed, else 401),
 * {@code GET {path}{key}/ice-servers} (ours: RTCIceServer entries with minted TURN credentials),
 * {@code GET {path}} (peerjs-server's info, only when the path is not {@code /}: that stays the web page),
 * CORS as peerjs-server's {@code cors({origin: true})} answers, and the upgrade at {@code {path}peerjs}.
 *
 * <p>Thread-safe and stateless per request: one instance serves every connection. Token checks run on
 * the verifier executor, never on the event loop; answers are written on the channel's loop.
 */
public final class PeerJsEndpoint {
    private static final String INFO = "{\"name\":\"PeerJS Server\",\"description\":\"A server side element to broker "
            + "connections between PeerJS clients.\",\"website\":\"https://peerjs.com/\"}";

    private final PeerJsRealm realm;
    /** The v1 sessions' settings, which PeerJS sockets share: auth, ICE servers, rate limits, observer. */
    private final ConnectionSettings settings;

    /**
     * What the HTTP router lends the upgrade: the server's one WebSocket stage (its 101, its frame reader, its
     * pipeline clean-up and session tracking), the same as for a v1 session.
     */
    public interface UpgradeHooks {
        /**
         * Checks the version and key as for v1 (426, 400), answers {@code request} with 101 and hands the
         * connection to {@code session}; on the loop.
         */
        void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String path, WebSocketSession session);
    }

    /**
     * @param scheduler runs the offline queues' expiry (an event loop group)
     * @param settings the v1 sessions' settings, shared: the authenticator (null: auth off, the key must equal
     *     {@link PeerJsConfig#key()}), where token checks run, the ICE servers, the rate limits (frames, bytes,
     *     bursts: the server's one rate limit) and the observer (if it is also a {@link PeerJsObserver}, it hears
     *     the PeerJS events)
     */
    public PeerJsEndpoint(PeerJsConfig config, ScheduledExecutorService scheduler, ConnectionSettings settings) {
        PeerJsObserver peerJsObserver = settings.observer() instanceof PeerJsObserver p ? p : PeerJsObserver.NONE;
        this.realm = new PeerJsRealm(config, settings.hub(), scheduler, peerJsObserver);
        this.settings = settings;
    }

    /** The admin view of the PeerJS socket on {@code channel}, or null when it holds none; on its event loop. */
    public static SessionSnapshot snapshot(Channel channel) {
        PeerJsSocketHandler h = channel.pipeline().get(PeerJsSocketHandler.class);
        return h == null ? null : h.snapshot();
    }

    /** Closes every PeerJS socket with 1001; call when the server shuts down. */
    public void goingAway() {
        realm.goingAway();
    }

    /** PeerJS clients connected to this server. */
    public int clients() {
        return realm.size();
    }

    /**
     * Answers {@code request} if its path is the PeerJS endpoint's; false (nothing written) otherwise.
     * On the event loop; the caller releases {@code request} after this returns.
     */
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, UpgradeHooks hooks) {
        if (!request.decoderResult().isSuccess()) {
            return false;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        PeerJsConfig config = realm.config();
        boolean upgrade = HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(
                request.headers().get(HttpHeaderNames.UPGRADE));
        if (path.equals(config.socketPath())) {
            if (upgrade) {
                upgrade(ctx, request, uri, hooks);
            } else {
                FullHttpResponse r = text(
                        HttpResponseStatus.UPGRADE_REQUIRED,
                        "text/plain; charset=utf-8",
                        "this is the PeerJS WebSocket endpoint");
                r.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
                respond(ctx, request, r);
            }
            return true;
        }
        if (upgrade) {
            return false; // only {path}peerjs upgrades here; /ws/{room} and the lobby stay v1's
        }
        String method = method(path, config.path());
        if (method == null) {
            if (!config.path().equals("/") && (path.equals(config.path()) || (path + "/").equals(config.path()))) {
                respond(
                        ctx,
                        request,
                        cors(request, text(HttpResponseStatus.OK, "application/json; charset=utf-8", INFO)));
                return true;
            }
            return false;
        }
        if (request.method() == HttpMethod.OPTIONS) {
            respond(ctx, request, preflight(request));
            return true;
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            return false; // the router's 405
        }
        String key = path.substring(config.path().length(), path.length() - method.length() - 1);
        switch (method) {
            case "id" ->
                respond(
                        ctx,
                        request,
                        cors(request, text(HttpResponseStatus.OK, "text/html; charset=utf-8", realm.freshId())));
            case "peers" ->
                withKey(
                        ctx,
                        request,
                        key,
                        admitted -> config.allowDiscovery()
                                ? text(HttpResponseStatus.OK, "application/json; charset=utf-8", ids())
                                : text(HttpResponseStatus.UNAUTHORIZED, "text/plain; charset=utf-8", "Unauthorized"));
            case "ice-servers" ->
                withKey(ctx, request, key, admitted -> {
                    // With auth on, minted TURN credentials expire no later than the key (a token) does.
                    FullHttpResponse r = text(
                            HttpResponseStatus.OK,
                            "application/json; charset=utf-8",
                            admitted != null
                                    ? iceJson(
                                            admitted.user(),
                                            admitted.expiresAt().orElse(null))
                                    : iceJson(iceSubject(uri), null));
                    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
                    return r;
                });
            default -> throw new IllegalStateException(method);
        }
        return true;
    }

    /** {@code id}, {@code peers} or {@code ice-servers} when {@code path} is {@code {mount}{key}/{method}}; else null. */
    private static String method(String path, String mount) {
        if (!path.startsWith(mount)) {
            return null;
        }
        int slash = path.indexOf('/', mount.length());
        if (slash <= mount.length() || path.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        String method = path.substring(slash + 1);
        return switch (method) {
            case "id", "peers", "ice-servers" -> method;
            default -> null;
        };
    }

    private String ids() {
        ArrayNode a = PeerJsMessages.JSON.createArrayNode();
        realm.ids().forEach(a::add);
        return a.toString();
    }

    private static String iceSubject(QueryStringDecoder uri) {
        List<String> ids = uri.parameters().getOrDefault("id", List.of());
        return !ids.isEmpty() && PeerJsIds.valid(ids.getFirst()) ? ids.getFirst() : "anonymous";
    }

    private String iceJson(String subject, Instant notAfter) {
        ArrayNode a = PeerJsMessages.JSON.createArrayNode();
        for (IceServer s : IceServerSource.serversFor(settings.iceServers(), subject, notAfter)) {
            ObjectNode o = a.addObject();
            s.urls().forEach(o.putArray("urls")::add);
            if (s.username() != null) {
                o.put("username", s.username());
            }
            if (s.credential() != null) {
                o.put("credential", s.credential());
            }
        }
        return a.toString();
    }

    /**
     * Answers with {@code answer.apply(admitted)}: auth off, at once ({@code admitted} null); auth on, once the
     * key verified as a token (what it admits), on the verifier; 401 for a refused key.
     */
    private void withKey(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            String key,
            Function<AuthResult.Admitted, FullHttpResponse> answer) {
        Authenticator authenticator = settings.authenticator();
        if (authenticator == null) {
            respond(ctx, request, cors(request, answer.apply(null)));
            return;
        }
        request.retain(); // released once answered
        CompletionStage<FullHttpResponse> verified = HttpResponses.offLoop(
                () -> {
                    AuthResult result;
                    try {
                        result = authenticator.authenticate(key);
                    } catch (RuntimeException e) {
                        result = new AuthResult.Refused("the token could not be verified");
                    }
                    return switch (result) {
                        case AuthResult.Admitted admitted -> answer.apply(admitted);
                        case AuthResult.Refused refused ->
                            text(
                                    HttpResponseStatus.UNAUTHORIZED,
                                    "text/plain; charset=utf-8",
                                    PeerJsMessages.INVALID_KEY);
                    };
                },
                settings.authExecutor());
        HttpResponses.respondLater(ctx, request, verified, response -> cors(request, response));
    }

    private void upgrade(
            ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, UpgradeHooks hooks) {
        hooks.upgrade(
                ctx,
                request,
                uri.path(),
                new PeerJsSocketHandler(
                        ctx.channel(), realm, settings, first(uri, "key"), first(uri, "id"), first(uri, "token")));
    }

    private static String first(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** {@code body} as it is, as peerjs-server writes it (no newline added). */
    private static FullHttpResponse text(HttpResponseStatus status, String contentType, String body) {
        return HttpResponses.of(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** peerjs-server's {@code cors({origin: true})}: the request's origin is reflected. */
    private static FullHttpResponse cors(FullHttpRequest request, FullHttpResponse response) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !origin.isEmpty()) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        response.headers().add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        return response;
    }

    private static FullHttpResponse preflight(FullHttpRequest request) {
        FullHttpResponse r = cors(request, text(HttpResponseStatus.NO_CONTENT, "text/plain; charset=utf-8", ""));
        r.headers().remove(HttpHeaderNames.CONTENT_TYPE);
        r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET,HEAD,PUT,PATCH,POST,DELETE");
        String asked = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        if (asked != null && !asked.isEmpty()) {
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked);
            r.headers().add(HttpHeaderNames.VARY, HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        }
        return r;
    }
}
