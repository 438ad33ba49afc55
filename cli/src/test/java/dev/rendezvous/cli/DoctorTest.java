package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.testing.coturn.Coturn;
import dev.rendezvous.testing.coturn.CoturnExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code rendezvous doctor} against a real server with auth, coturn for STUN and TURN, and two real
 * in-process WebRTC peers: everything passes with a good token; a wrong token fails with a reason.
 */
@ExtendWith(CoturnExtension.class)
class DoctorTest {

    private static final String JWT_SECRET = "a-secret-of-at-least-32-bytes-long!!";

    private final StringWriter out = new StringWriter();

    private int doctor(String... args) {
        CommandLine cli = new CommandLine(new DoctorCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    private static OpsServer serverWithAuthAnd(Coturn turn) throws InterruptedException {
        return OpsServer.start(Map.of(
                ServeSettings.JWT_SECRET.key(), JWT_SECRET,
                ServeSettings.ICE_SERVERS.key(), List.of(turn.stunUrl(), turn.turnUrl()),
                ServeSettings.TURN_SECRET.key(), turn.secret()));
    }

    @Test
    void everyCheckPassesAgainstAHealthyDeploymentAndExitsZero(Coturn turn) throws Exception {
        try (OpsServer server = serverWithAuthAnd(turn)) {
            int exit = doctor(server.http("").toString(), "--token", IceServersWiringTest.token(JWT_SECRET, "doctor"));

            String text = out.toString();
            assertThat(exit).as(text).isZero();
            assertThat(text)
                    .contains("✓ HTTP reachable")
                    .contains("✓ /healthz")
                    .contains("✓ ICE servers endpoint")
                    .contains("1 STUN and 1 TURN URL(s)")
                    .contains("✓ STUN " + turn.stunUrl())
                    .contains("binding answered: we appear as 127.0.0.1:")
                    .contains("✓ TURN " + turn.turnUrl())
                    .contains("allocation granted with the handed-out credential: relay 127.0.0.1:")
                    .contains("✓ WebSocket admission")
                    .contains("token accepted as doctor")
                    .contains("✓ PeerJS endpoint")
                    .contains("gave an id; OPEN for ")
                    .contains("✓ peers pair and open a data channel")
                    .contains("data channel round trip")
                    .contains("✓ round-trip time")
                    .contains("signaling ping→pong median")
                    .contains("all 9 checks passed")
                    .doesNotContain("✗");
        }
    }

    @Test
    void jsonOfAHealthyDeploymentIsOneObjectWithEveryCheckOk(Coturn turn) throws Exception {
        try (OpsServer server = serverWithAuthAnd(turn)) {
            int exit = doctor(
                    server.http("").toString(), "--json", "--token", IceServersWiringTest.token(JWT_SECRET, "doctor"));

            assertThat(exit).as(out.toString()).isZero();
            JsonNode root = new ObjectMapper().readTree(out.toString());
            assertThat(root.path("ok").asBoolean(false)).isTrue();
            assertThat(root.path("checks")).hasSize(9).allSatisfy(check -> {
                assertThat(check.path("ok").asBoolean(false))
                        .as(check.toString())
                        .isTrue();
                assertThat(check.path("detail").asText()).isNotBlank();
                assertThat(check.path("elapsed_ms").isNumber()).isTrue();
            });
        }
    }

    @Test
    void wrongTokenFailsWithTheReasonAndExitsNonZero(Coturn turn) throws Exception {
        try (OpsServer server = serverWithAuthAnd(turn)) {
            String forged = IceServersWiringTest.token("another-secret-of-32-bytes-or-more!!", "mallory");

            int exit = doctor(server.http("").toString(), "--token", forged);

            String text = out.toString();
            assertThat(exit).as(text).isEqualTo(1);
            assertThat(text)
                    .contains("✓ HTTP reachable")
                    .contains("✗ ICE servers endpoint")
                    .contains("401: the server refused the token")
                    .contains("✗ WebSocket admission")
                    .contains("error auth_failed")
                    .contains("✗ peers pair and open a data channel  not run: WebSocket admission failed");
        }
    }

    @Test
    void missingTokenIsExplainedAndJsonSaysWhichCheckFailed(Coturn turn) throws Exception {
        try (OpsServer server = serverWithAuthAnd(turn)) {
            int exit = doctor(server.http("").toString(), "--json");

            assertThat(exit).isEqualTo(1);
            JsonNode root = new ObjectMapper().readTree(out.toString());
            assertThat(root.path("ok").asBoolean(true)).isFalse();
            JsonNode admission = null;
            for (JsonNode check : root.path("checks")) {
                if (check.path("name").asText().equals("WebSocket admission")) {
                    admission = check;
                }
            }
            assertThat(admission).isNotNull();
            assertThat(admission.path("ok").asBoolean(true)).isFalse();
            assertThat(admission.path("detail").asText()).contains("requires a token (auth_required); pass --token");
        }
    }

    @Test
    void withoutAuthAndIceServersTheChecklistStillPasses() throws Exception {
        try (OpsServer server = OpsServer.start(Map.of())) {
            int exit = doctor(server.http("").toString());

            String text = out.toString();
            assertThat(exit).as(text).isZero();
            assertThat(text)
                    .contains("⚠ ICE servers endpoint")
                    .contains("no STUN/TURN servers configured")
                    .contains("--ice-server")
                    .contains("no auth, your_id")
                    .contains("✓ PeerJS endpoint")
                    .contains("all 7 checks passed (1 with a warning)");
        }
    }

    @Test
    void aServerWithoutThePeerJsEndpointIsAWarningAndAWrongKeyAFailure() throws Exception {
        try (OpsServer server = OpsServer.start(Map.of(ServeSettings.PEERJS.key(), false))) {
            int exit = doctor(server.http("").toString());
            String text = out.toString();
            assertThat(exit).as(text).isZero();
            assertThat(text).contains("⚠ PeerJS endpoint").contains("is 404: the server does not serve PeerJS at /");
        }
        out.getBuffer().setLength(0);
        try (OpsServer server = OpsServer.start(Map.of())) {
            int exit = doctor(server.http("").toString(), "--peerjs-key", "wrong");
            String text = out.toString();
            assertThat(exit).as(text).isEqualTo(1);
            assertThat(text)
                    .contains("✗ PeerJS endpoint")
                    .contains("the WebSocket answered ERROR: Invalid key provided");
        }
    }
}
