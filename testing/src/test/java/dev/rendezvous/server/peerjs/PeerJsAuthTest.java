package dev.rendezvous.server.peerjs;

import static dev.rendezvous.server.peerjs.PeerJsWire.json;
import static dev.rendezvous.server.peerjs.PeerJsWire.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.Tokens;
import dev.rendezvous.testing.WsRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With JWT auth on, the PeerJS {@code key} is the token, checked by the same rules as {@code auth_token}. */
class PeerJsAuthTest {
    private static final String SECRET = "peerjs-test-secret-at-least-32-bytes-long!";
    private static final String ISSUER = "https://issuer.test";
    private static final String AUDIENCE = "rendezvous";

    @RegisterExtension
    final ServerExtension server =
            ServerExtension.create(c -> c.authenticator(Tokens.hmacAuthenticator(SECRET, ISSUER, AUDIENCE))
                    .peerJs(PeerJsConfig.DEFAULT.withAllowDiscovery(true)));

    private static String token(JWTClaimsSet.Builder claims) {
        return Tokens.hs256(SECRET, claims.build());
    }

    private static JWTClaimsSet.Builder valid(String sub) {
        return Tokens.claims(sub).issuer(ISSUER).audience(AUDIENCE);
    }

    private void refused(String key) {
        WsRecorder ws = server.client(server.uri(query(key, "a", "t")));
        assertThat(json(ws.nextText()))
                .isEqualTo(json("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"Invalid key provided\"}}"));
        assertThat(ws.awaitClose()).isEqualTo(1008);
    }

    @Test
    void aValidTokenAsKeyOpens() {
        WsRecorder ws = server.client(server.uri(query(token(valid("alice")), "a", "t")));
        assertThat(ws.nextText()).isEqualTo("{\"type\":\"OPEN\"}");
    }

    @Test
    void theDefaultKeyAWrongSignatureAnExpiredOrForeignTokenAreInvalidKeys() {
        refused("peerjs");
        refused(Tokens.hs256(
                "another-secret-another-secret-another!!", valid("a").build()));
        refused(Tokens.unsigned(valid("a").build()));
        refused(token(valid("a").expirationTime(Date.from(Instant.now().minus(Duration.ofHours(1))))));
        refused(token(Tokens.claims("a").issuer("https://evil.test").audience(AUDIENCE)));
    }

    @Test
    void peersAndIceServersNeedAValidKey() throws Exception {
        server.client(server.uri(query(token(valid("alice")), "a", "t"))).nextText();
        assertThat(PeerJsHttpTest.get(server.httpUri("/peerjs/peers")).statusCode())
                .isEqualTo(401);
        assertThat(PeerJsHttpTest.get(server.httpUri("/peerjs/ice-servers")).statusCode())
                .isEqualTo(401);
        var ok = PeerJsHttpTest.get(server.httpUri("/" + token(valid("bob")) + "/peers"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok.body())).containsExactly(json("\"a\""));
        assertThat(PeerJsHttpTest.get(server.httpUri("/" + token(valid("bob")) + "/ice-servers"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aTokenBoundToAnIdOpensThatIdOnly() {
        String bound = token(valid("alice").claim("client_id", "alice-phone"));
        WsRecorder ok = server.client(server.uri(query(bound, "alice-phone", "t")));
        assertThat(ok.nextText()).isEqualTo("{\"type\":\"OPEN\"}");
        WsRecorder other = server.client(server.uri(query(bound, "someone-else", "t")));
        assertThat(json(other.nextText()))
                .isEqualTo(json("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"Invalid key provided\"}}"));
        assertThat(other.awaitClose()).isEqualTo(1008);
    }
}
