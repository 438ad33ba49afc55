package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.cli.stun.StunProbe;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.ice.IceUrl;
import dev.rendezvous.testing.WsRecorder;
import dev.rendezvous.testing.coturn.Coturn;
import dev.rendezvous.testing.coturn.CoturnExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ICE settings reach clients through your_id and /api/ice-servers, and coturn accepts what they carry. */
@ExtendWith(CoturnExtension.class)
class IceServersWiringTest {

    private static final String JWT_SECRET = "a-secret-of-at-least-32-bytes-long!!";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> iceFlags(Coturn turn) {
        return Map.of(
                ServeSettings.ICE_SERVERS.key(), List.of(turn.stunUrl(), turn.turnUrl()),
                ServeSettings.TURN_SECRET.key(), turn.secret(),
                ServeSettings.TURN_TTL.key(), "10m");
    }

    @Test
    void byDefaultClientsGetNoIceServersAtAll() throws Exception {
        try (OpsServer server = OpsServer.start(Map.of());
                WsRecorder client = WsRecorder.connect(server.lobbyUri())) {
            assertThat(client.next(Message.YourId.class).iceServers()).isEmpty();
            assertThat(JSON.readTree(server.get("/api/ice-servers", null).body())
                            .path("ice_servers"))
                    .isEmpty();
        }
    }

    @Test
    void yourIdCarriesStunAndAMintedTurnCredentialThatCoturnAccepts(Coturn turn) throws Exception {
        try (OpsServer server = OpsServer.start(iceFlags(turn));
                WsRecorder client = WsRecorder.connect(server.lobbyUri())) {
            Message.YourId yourId = client.next(Message.YourId.class);

            assertThat(yourId.iceServers()).hasSize(2);
            assertThat(yourId.iceServers().get(0)).isEqualTo(new IceServer(List.of(turn.stunUrl()), null, null));
            IceServer relay = yourId.iceServers().get(1);
            assertThat(relay.urls()).containsExactly(turn.turnUrl());
            assertThat(relay.username()).endsWith(":" + yourId.id());
            long expiry = Long.parseLong(
                    relay.username().substring(0, relay.username().indexOf(':')));
            assertThat(expiry - System.currentTimeMillis() / 1000).isBetween(500L, 600L); // --turn-ttl 10m
            assertThat(StunProbe.allocate(
                            IceUrl.parse(turn.turnUrl()), relay.username(), relay.credential(), Duration.ofSeconds(5)))
                    .as(turn.logTail())
                    .isInstanceOf(StunProbe.Result.Allocated.class);
        }
    }

    @Test
    void endpointWithAuthOffMintsForTheGivenClientId(Coturn turn) throws Exception {
        try (OpsServer server = OpsServer.start(iceFlags(turn))) {
            HttpResponse<String> response = server.get("/api/ice-servers?client_id=carol", null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
            JsonNode servers = JSON.readTree(response.body()).path("ice_servers");
            assertThat(servers.get(0).has("username")).isFalse();
            assertThat(servers.get(1).path("username").asText()).endsWith(":carol");
            assertThat(StunProbe.allocate(
                            IceUrl.parse(turn.turnUrl()),
                            servers.get(1).path("username").asText(),
                            servers.get(1).path("credential").asText(),
                            Duration.ofSeconds(5)))
                    .isInstanceOf(StunProbe.Result.Allocated.class);
            assertThat(server.get("/api/ice-servers?client_id=bad%20id", null).statusCode())
                    .isEqualTo(400);
        }
    }

    @Test
    void endpointWithAuthOnRequiresAValidBearerToken(Coturn turn) throws Exception {
        Map<String, Object> flags = new java.util.HashMap<>(iceFlags(turn));
        flags.put(ServeSettings.JWT_SECRET.key(), JWT_SECRET);
        try (OpsServer server = OpsServer.start(flags)) {
            HttpResponse<String> missing = server.get("/api/ice-servers", null);
            HttpResponse<String> forged =
                    server.get("/api/ice-servers", token("another-secret-of-32-bytes-or-more!!", "mallory"));
            HttpResponse<String> valid = server.get("/api/ice-servers", token(JWT_SECRET, "alice"));

            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("www-authenticate")).hasValue("Bearer");
            assertThat(missing.body()).doesNotContain("ice_servers");
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(forged.body()).doesNotContain("ice_servers");
            assertThat(valid.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(valid.body())
                            .path("ice_servers")
                            .get(1)
                            .path("username")
                            .asText())
                    .endsWith(":alice");
        }
    }

    static String token(String secret, String subject) {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new TokenCommand());
        cli.setOut(new java.io.PrintWriter(out, true));
        assertThat(cli.execute("--secret", secret, "--sub", subject)).isZero();
        return out.toString().strip();
    }
}
