package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.Tokens;
import dev.rendezvous.testing.WsRecorder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Admission with HS256 JWTs (issuer and audience required): success and every failure class. Real sockets. */
class AuthTest {
    private static final String SECRET = "test-secret"; // short on purpose: operators use such secrets
    private static final String ISSUER = "https://issuer.test";
    private static final String AUDIENCE = "rendezvous";

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(c ->
            c.authenticator(Tokens.hmacAuthenticator(SECRET, ISSUER, AUDIENCE)).authTimeout(Duration.ofMillis(1_000)));

    private static JWTClaimsSet.Builder valid(String sub) {
        return Tokens.claims(sub).issuer(ISSUER).audience(AUDIENCE);
    }

    private static String token(JWTClaimsSet.Builder claims) {
        return Tokens.hs256(SECRET, claims.build());
    }

    @Test
    void successSendsAuthRequiredThenAuthSuccessThenYourId() {
        WsRecorder c = server.client(server.lobbyUri());
        assertThat(c.nextJson().get("type").asText()).isEqualTo("auth_required");
        c.send(new Message.AuthToken(token(valid("alice")), null));
        JsonNode success = c.nextJson();
        assertThat(success.get("type").asText()).isEqualTo("auth_success");
        assertThat(success.get("user").asText()).isEqualTo("alice");
        String id = success.get("client_id").asText();
        assertThat(id).isNotBlank();
        Message.YourId yourId = c.next(Message.YourId.class);
        assertThat(yourId.id()).isEqualTo(id);
        c.assertNothingBeforePong();
    }

    @Test
    void userComesFromPreferredUsernameThenNameThenSub() {
        assertThat(admit(valid("s").claim("name", "N").claim("preferred_username", "P"), null)
                        .user())
                .isEqualTo("P");
        assertThat(admit(valid("s").claim("name", "N"), null).user()).isEqualTo("N");
        assertThat(admit(valid("s"), null).user()).isEqualTo("s");
    }

    @Test
    void requestedClientIdIsUsed() {
        Message.AuthSuccess ok = admit(valid("alice"), "alice-laptop");
        assertThat(ok.clientId()).isEqualTo("alice-laptop");
    }

    @Test
    void theUserNameIsStampedOnRelays() {
        WsRecorder a = admittedAt(server.roomUri("r"), token(valid("alice")), "a1");
        a.next(Message.UsersInRoom.class);
        WsRecorder b = admittedAt(server.roomUri("r"), token(valid("bob")), "b1");
        assertThat(b.next(Message.UsersInRoom.class).users()).containsExactly(new Message.RoomUser("a1", "alice"));
        assertThat(a.next(Message.UserJoined.class)).isEqualTo(new Message.UserJoined("b1", "bob"));
        b.sendText("{\"type\":\"offer\",\"sdp\":\"x\",\"to\":\"a1\"}");
        assertThat(a.nextText()).isEqualTo("{\"type\":\"offer\",\"sdp\":\"x\",\"from\":\"b1\",\"username\":\"bob\"}");
    }

    @Test
    void expiredTokenIsRefused() {
        Instant now = Instant.now();
        refused(token(valid("a").expirationTime(Date.from(now.minusSeconds(60)))), ErrorCode.AUTH_FAILED);
    }

    @Test
    void notYetValidTokenIsRefused() {
        refused(token(valid("a").notBeforeTime(Date.from(Instant.now().plusSeconds(60)))), ErrorCode.AUTH_FAILED);
    }

    @Test
    void wrongSignatureIsRefused() {
        refused(Tokens.hs256("another-secret", valid("a").build()), ErrorCode.AUTH_FAILED);
    }

    @Test
    void unsignedAlgNoneIsRefused() {
        refused(Tokens.unsigned(valid("a").build()), ErrorCode.AUTH_FAILED);
        String t = token(valid("a"));
        refused(t.substring(0, t.lastIndexOf('.') + 1), ErrorCode.AUTH_FAILED); // signature stripped
    }

    @Test
    void wrongIssuerOrAudienceIsRefused() {
        refused(token(Tokens.claims("a").issuer("https://evil.test").audience(AUDIENCE)), ErrorCode.AUTH_FAILED);
        refused(token(Tokens.claims("a").issuer(ISSUER).audience("someone-else")), ErrorCode.AUTH_FAILED);
        refused(token(Tokens.claims("a").audience(AUDIENCE)), ErrorCode.AUTH_FAILED);
    }

    @Test
    void garbageIsRefused() {
        for (String garbage : List.of("abc", "a.b.c", "", "eyJhbGciOiJIUzI1NiJ9..", "x".repeat(5000))) {
            refused(garbage, ErrorCode.AUTH_FAILED);
        }
    }

    @Test
    void silenceIsAuthTimeout() {
        WsRecorder c = awaitingToken(server.lobbyUri());
        long start = System.nanoTime();
        c.nextError(ErrorCode.AUTH_TIMEOUT);
        assertThat(c.awaitClose()).isEqualTo(4001);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aRoomOutsideTheRoomsClaimIsForbidden() {
        String t = token(valid("a").claim("rooms", List.of("blue", "green")));
        WsRecorder c = awaitingToken(server.roomUri("red"));
        c.send(new Message.AuthToken(t, null));
        c.nextError(ErrorCode.ROOM_FORBIDDEN);
        assertThat(c.awaitClose()).isEqualTo(4001);

        WsRecorder ok = admittedAt(server.roomUri("green"), t, null);
        ok.next(Message.UsersInRoom.class);
    }

    @Test
    void anIdInUseIsRefusedWith4002() {
        admit(valid("alice"), "same");
        WsRecorder c = awaitingToken(server.lobbyUri());
        c.send(new Message.AuthToken(token(valid("mallory")), "same"));
        c.nextError(ErrorCode.ID_TAKEN);
        assertThat(c.awaitClose()).isEqualTo(4002);
    }

    @Test
    void framesBeforeAdmissionAreNeverRelayedAndCloseWith4001() {
        admit(valid("alice"), "alice");
        WsRecorder member = admittedAt(server.roomUri("m"), token(valid("m")), "member");
        member.next(Message.UsersInRoom.class);

        WsRecorder intruder = awaitingToken(server.roomUri("m"));
        intruder.sendText("{\"type\":\"offer\",\"sdp\":\"x\",\"to\":\"member\"}");
        Message.Error e = intruder.nextError(ErrorCode.AUTH_FAILED);
        assertThat(e.ref()).isEqualTo("offer");
        assertThat(intruder.awaitClose()).isEqualTo(4001);
        member.assertNothingBeforePong();

        WsRecorder pairer = awaitingToken(server.lobbyUri());
        pairer.send(new Message.PairRequest("alice"));
        pairer.nextError(ErrorCode.AUTH_FAILED);
        assertThat(pairer.awaitClose()).isEqualTo(4001);
        assertThat(server.hubState().pairs()).isZero();
    }

    @Test
    void malformedFramesBeforeAdmissionAreOneAuthFailedThen4001() {
        WsRecorder c = awaitingToken(server.lobbyUri());
        c.sendText("{\"type\":\"auth_token\"}");
        Message.Error noToken = c.nextError(ErrorCode.AUTH_FAILED);
        assertThat(noToken.ref()).isEqualTo("auth_token");
        assertThat(noToken.message()).contains("token");
        assertThat(c.awaitClose()).as("nothing but the close follows the error").isEqualTo(4001);

        WsRecorder d = awaitingToken(server.lobbyUri());
        d.sendText("not json");
        assertThat(d.nextError(ErrorCode.AUTH_FAILED).ref()).isNull();
        assertThat(d.awaitClose()).isEqualTo(4001);

        WsRecorder e = awaitingToken(server.lobbyUri());
        e.sendText("{\"type\":\"auth_token\",\"token\":\"" + token(valid("e")) + "\",\"clientId\":\"not an id\"}");
        Message.Error badId = e.nextError(ErrorCode.AUTH_FAILED);
        assertThat(badId.ref()).isEqualTo("auth_token");
        assertThat(badId.message()).contains("clientId");
        assertThat(e.awaitClose()).isEqualTo(4001);

        WsRecorder f = awaitingToken(server.lobbyUri());
        f.sendBinary(new byte[] {1, 2, 3});
        assertThat(f.nextError(ErrorCode.AUTH_FAILED).ref()).isNull();
        assertThat(f.awaitClose()).isEqualTo(4001);
        assertThat(server.hubState().empty()).isTrue();
    }

    /** A client of {@code uri} that read {@code auth_required}. */
    private WsRecorder awaitingToken(URI uri) {
        WsRecorder c = server.client(uri);
        c.next(Message.AuthRequired.class);
        return c;
    }

    /** A client of {@code uri} admitted with {@code token}: past {@code auth_success} and {@code your_id}. */
    private WsRecorder admittedAt(URI uri, String token, String clientId) {
        WsRecorder c = awaitingToken(uri);
        c.send(new Message.AuthToken(token, clientId));
        Message.AuthSuccess ok = c.next(Message.AuthSuccess.class);
        assertThat(c.next(Message.YourId.class).id()).isEqualTo(ok.clientId());
        return c;
    }

    private Message.AuthSuccess admit(JWTClaimsSet.Builder claims, String clientId) {
        WsRecorder c = awaitingToken(server.lobbyUri());
        c.send(new Message.AuthToken(token(claims), clientId));
        Message.AuthSuccess ok = c.next(Message.AuthSuccess.class);
        assertThat(c.next(Message.YourId.class).id()).isEqualTo(ok.clientId());
        return ok;
    }

    private void refused(String token, ErrorCode code) {
        WsRecorder c = awaitingToken(server.lobbyUri());
        c.send(new Message.AuthToken(token, null));
        Message.Error e = c.nextError(code);
        assertThat(e.message()).doesNotContain(token.isEmpty() ? "\u0000" : token);
        assertThat(c.awaitClose()).isEqualTo(4001);
        assertThat(server.hubState().sessions()).isZero();
    }
}
