package dev.rendezvous.server.ice;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.server.auth.AuthResult;
import dev.rendezvous.server.auth.Authenticator;
import dev.rendezvous.server.http.HttpEndpoint;
import dev.rendezvous.server.http.HttpResponses;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * {@code GET /api/ice-servers}: the {@code ice_servers} a client would get in {@code your_id}, for pages
 * that set up their {@code RTCPeerConnection} before (or without) signaling:
 * {@code {"ice_servers":[{"urls":[...],"username":"...","credential":"..."}]}}.
 *
 * <p>With auth on, it requires {@code Authorization: Bearer <JWT>} (401 otherwise) and mints the TURN
 * credential for the token's user; verification runs on {@code verifier}, never on the event loop,
 * because a JWKS URL may be fetched. With auth off, the credential is for {@code ?client_id=} when given,
 * else {@code anonymous}. Responses are {@code Cache-Control: no-store}: they carry credentials.
 *
 * @param authenticator null when auth is off
 * @param verifier where token verification runs (may block on a JWKS fetch)
 */
public record IceServersEndpoint(IceConfig ice, Authenticator authenticator, Executor verifier)
        implements HttpEndpoint {

    public static final String PATH = "/api/ice-servers";
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public FullHttpResponse respond(FullHttpRequest request) {
        if (authenticator != null) {
            // Only reached if a caller bypasses respondAsync: never verify on the event loop.
            return HttpResponses.text(
                    HttpResponseStatus.INTERNAL_SERVER_ERROR, "token verification must run asynchronously");
        }
        List<String> ids = new QueryStringDecoder(request.uri()).parameters().getOrDefault("client_id", List.of());
        String clientId = ids.isEmpty() ? "anonymous" : ids.getFirst();
        if (!CLIENT_ID.matcher(clientId).matches()) {
            return HttpResponses.text(
                    HttpResponseStatus.BAD_REQUEST, "client_id must be 1-64 characters of [A-Za-z0-9._-]");
        }
        return servers(clientId, null);
    }

    @Override
    public CompletionStage<FullHttpResponse> respondAsync(FullHttpRequest request) {
        if (authenticator == null) {
            return CompletableFuture.completedFuture(respond(request));
        }
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null
                || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                || header.substring(7).isBlank()) {
            return CompletableFuture.completedFuture(unauthorized("send Authorization: Bearer <token>"));
        }
        String token = header.substring(7).strip();
        return HttpResponses.offLoop(
                () -> switch (verify(token)) {
                    case AuthResult.Admitted admitted ->
                        servers(admitted.user(), admitted.expiresAt().orElse(null));
                    case AuthResult.Refused refused -> unauthorized(refused.reason());
                },
                verifier);
    }

    private AuthResult verify(String token) {
        try {
            return authenticator.authenticate(token);
        } catch (RuntimeException e) { // the contract says never; a bug must still answer 401, not hang
            return new AuthResult.Refused("the token could not be verified");
        }
    }

    /** The servers for {@code clientId}, credentials expiring no later than {@code notAfter} (the token's exp) when set. */
    private FullHttpResponse servers(String clientId, java.time.Instant notAfter) {
        FullHttpResponse response = HttpResponses.json(HttpResponseStatus.OK, json(ice.serversFor(clientId, notAfter)));
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }

    private static FullHttpResponse unauthorized(String reason) {
        FullHttpResponse response = HttpResponses.json(
                HttpResponseStatus.UNAUTHORIZED,
                JSON.createObjectNode()
                        .put("error", "unauthorized")
                        .put("message", reason)
                        .toString());
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        return response;
    }

    /** {@code {"ice_servers":[...]}} with RTCIceServer-shaped entries; STUN entries carry no credential fields. */
    static String json(List<IceServer> servers) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("ice_servers");
        for (IceServer server : servers) {
            ObjectNode entry = list.addObject();
            ArrayNode urls = entry.putArray("urls");
            server.urls().forEach(urls::add);
            if (server.username() != null) {
                entry.put("username", server.username());
            }
            if (server.credential() != null) {
                entry.put("credential", server.credential());
            }
        }
        return root.toString();
    }
}
