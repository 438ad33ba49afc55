package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.auth.ClientIdBinding;
import dev.rendezvous.server.auth.JwtAuthenticator;
import dev.rendezvous.server.ice.IceConfig;
import dev.rendezvous.server.ice.IceServersEndpoint;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.Tokens;
import dev.rendezvous.testing.WsRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16 with auth on, on real sockets: a token cannot take someone else's id (protocol v1.1 "Id bound to
 * a token"), the TURN credentials it gets die with it, and a server may refuse tokens that never expire —
 * while a normal pair next to the attacker keeps chatting.
 */
class TokenBindingTest {
    private static final String SECRET = "token-binding-test-secret-of-32-bytes!";
    private static final String TURN_URL = "turn:127.0.0.1:3478";

    private static String token(JWTClaimsSet.Builder claims) {
        return Tokens.hs256(SECRET, claims.build());
    }

    /** Sends {@code token} asking for {@code clientId} (null: none); returns the first answer after auth_required. */
    private static JsonNode authenticate(ServerExtension server, String token, String clientId) {
        WsRecorder c = server.client(server.lobbyUri());
        c.next(Message.AuthRequired.class);
        c.send(new Message.AuthToken(token, clientId));
        JsonNode answer = c.nextJson();
        if (answer.get("type").asText().equals("error")) {
            assertThat(c.awaitClose()).as("close code after %s", answer).isEqualTo(4001);
        }
        return answer;
    }

    private static WsRecorder admitted(ServerExtension server, String sub, String clientId) {
        WsRecorder c = server.client(server.lobbyUri());
        c.next(Message.AuthRequired.class);
        c.send(new Message.AuthToken(token(Tokens.claims(sub)), clientId));
        c.next(Message.AuthSuccess.class);
        return c.rememberId(c.next(Message.YourId.class).id());
    }

    private static void assertRefused(JsonNode answer) {
        assertThat(answer.get("type").asText()).isEqualTo("error");
        assertThat(answer.get("code").asText()).isEqualTo(ErrorCode.AUTH_FAILED.wireName());
    }

    private static void assertAdmittedAs(JsonNode answer, String id) {
        assertThat(answer.get("type").asText()).as("answer %s", answer).isEqualTo("auth_success");
        assertThat(answer.get("client_id").asText()).isEqualTo(id);
    }

    @Nested
    class ClaimBinding {
        @RegisterExtension
        final ServerExtension server = ServerExtension.create(c -> c.authenticator(
                JwtAuthenticator.hmac(SECRET.getBytes(StandardCharsets.UTF_8), JwtAuthenticator.Options.defaults())));

        @Test
        void aTokenWithAClientIdClaimTakesThatIdOnly() {
            Neighbours pair = new Neighbours(admitted(server, "carol", "carol-1"), admitted(server, "dave", "dave-1"));
            String bound = token(Tokens.claims("mallory").claim("client_id", "mallory-phone"));
            assertRefused(authenticate(server, bound, "bob-laptop"));
            assertAdmittedAs(authenticate(server, bound, null), "mallory-phone"); // no clientId: the bound one
            // without the claim and without subject binding, any free id (v1)
            assertAdmittedAs(authenticate(server, token(Tokens.claims("erin")), "erin-tablet"), "erin-tablet");
            pair.chat();
        }
    }

    @Nested
    class SubjectBinding {
        @RegisterExtension
        final ServerExtension server = ServerExtension.create(c -> c.authenticator(JwtAuthenticator.hmac(
                SECRET.getBytes(StandardCharsets.UTF_8),
                new JwtAuthenticator.Options(
                        null, null, JwtAuthenticator.DEFAULT_CLOCK_SKEW, ClientIdBinding.SUBJECT, false))));

        @Test
        void mallorysTokenCannotTakeBobsIdAndBobStillGetsIt() {
            Neighbours pair = new Neighbours(admitted(server, "carol", null), admitted(server, "dave", null));
            assertThat(pair.a.id()).isEqualTo("carol"); // no clientId under subject binding: the subject
            assertRefused(authenticate(server, token(Tokens.claims("mallory")), "bob"));
            assertRefused(authenticate(server, token(Tokens.claims("mallory")), "bob-laptop"));
            assertRefused(authenticate(server, token(Tokens.claims("mallory")), "mallory-x")); // not "mallory:"
            WsRecorder bob = admitted(server, "bob", "bob");
            assertThat(bob.id()).isEqualTo("bob");
            // a client_id claim still wins over the subject
            assertAdmittedAs(
                    authenticate(server, token(Tokens.claims("bob").claim("client_id", "bob-laptop")), null),
                    "bob-laptop");
            pair.chat();
        }

        @Test
        void aTokenWithoutSubjectIsRefused() {
            JWTClaimsSet.Builder noSub = new JWTClaimsSet.Builder()
                    .claim("preferred_username", "anon")
                    .expirationTime(Date.from(Instant.now().plusSeconds(60)));
            assertRefused(authenticate(server, token(noSub), "anyone"));
        }
    }

    @Nested
    class ExpiryAndTurn {
        @RegisterExtension
        final ServerExtension server = ServerExtension.create(c -> {
            IceConfig ice = IceConfig.of(
                    List.of(TURN_URL), Optional.of("turn-secret"), Duration.ofHours(24), Clock.systemUTC());
            var authenticator = JwtAuthenticator.hmac(
                    SECRET.getBytes(StandardCharsets.UTF_8),
                    new JwtAuthenticator.Options(
                            null, null, JwtAuthenticator.DEFAULT_CLOCK_SKEW, ClientIdBinding.NONE, true));
            c.authenticator(authenticator)
                    .iceServers(ice.source())
                    .httpEndpoint(
                            IceServersEndpoint.PATH,
                            new IceServersEndpoint(ice, authenticator, Executors.newVirtualThreadPerTaskExecutor()));
        });

        /** The JSON answer (200) to a GET of {@code path}, with {@code authorization} unless null. */
        private JsonNode getJson(String path, String authorization) throws Exception {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(server.httpUri(path).toString()));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> http =
                    HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(http.statusCode()).isEqualTo(200);
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.body());
        }

        /** The expiry (epoch seconds) a TURN REST username carries in front of its ':'. */
        private static long expiryOf(String turnUsername) {
            return Long.parseLong(turnUsername.substring(0, turnUsername.indexOf(':')));
        }

        @Test
        void turnCredentialsLiveNoLongerThanTheToken() throws Exception {
            Neighbours pair = new Neighbours(admitted(server, "carol", "c"), admitted(server, "dave", "d"));
            long exp = Instant.now().plusSeconds(30).getEpochSecond();
            WsRecorder c = server.client(server.lobbyUri());
            c.next(Message.AuthRequired.class);
            String shortLived = token(Tokens.claims("short").expirationTime(new Date(exp * 1000)));
            c.send(new Message.AuthToken(shortLived, "short-lived"));
            c.next(Message.AuthSuccess.class);
            IceServer turn = c.next(Message.YourId.class).iceServers().stream()
                    .filter(s -> s.urls().contains(TURN_URL))
                    .findFirst()
                    .orElseThrow();
            assertThat(expiryOf(turn.username()))
                    .as("TURN credential expiry vs token exp")
                    .isLessThanOrEqualTo(exp);
            // the HTTP endpoint likewise
            JsonNode http = getJson(IceServersEndpoint.PATH, "Bearer " + shortLived);
            assertThat(expiryOf(http.get("ice_servers").get(0).get("username").asText()))
                    .isLessThanOrEqualTo(exp);
            // and the PeerJS endpoint's, whose key is the token
            JsonNode peerJs = getJson("/" + shortLived + "/ice-servers", null);
            assertThat(expiryOf(peerJs.get(0).get("username").asText()))
                    .as("PeerJS TURN credential expiry vs token exp")
                    .isLessThanOrEqualTo(exp);
            pair.chat();
        }

        @Test
        void aTokenWithoutExpiryIsRefusedWhenExpiryIsRequired() {
            JWTClaimsSet.Builder forever = new JWTClaimsSet.Builder().subject("forever");
            JsonNode answer = authenticate(server, token(forever), null);
            assertRefused(answer);
            assertThat(answer.get("message").asText()).contains("exp");
        }
    }
}
