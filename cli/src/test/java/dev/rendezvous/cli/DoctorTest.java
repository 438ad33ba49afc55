package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.testing.coturn.Coturn;
import dev.rendezvous.testing.coturn.CoturnExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractStringAssert;
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

    /** What one run of the doctor printed (stdout and stderr together) and its exit status. */
    private record Run(int exit, String text) {

        /** Asserts the exit status (described by the output); returns the output to check further. */
        AbstractStringAssert<?> exitedWith(int status) {
            assertThat(exit).as(text).isEqualTo(status);
            return assertThat(text);
        }
    }

    /**
     * Starts a server with {@code settings}, runs the doctor against it with {@code options} after the
     * server's address, and stops the server again.
     */
    private static Run doctorAgainst(Map<String, Object> settings, String... options) throws Exception {
        try (OpsServer server = OpsServer.start(settings)) {
            List<String> args = new ArrayList<>(List.of(server.http("").toString()));
            args.addAll(List.of(options));
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new DoctorCommand());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(out, true));
            int exit = cli.execute(args.toArray(String[]::new));
            return new Run(exit, out.toString());
        }
    }

    /** The doctor against a server with auth, whose ICE servers are {@code turn}'s STUN and TURN. */
    private static Run doctorWithAuthAnd(Coturn turn, String... options) throws Exception {
        return doctorAgainst(
                Map.of(
                        ServeSettings.JWT_SECRET.key(), JWT_SECRET,
                        ServeSettings.ICE_SERVERS.key(), List.of(turn.stunUrl(), turn.turnUrl()),
                        ServeSettings.TURN_SECRET.key(), turn.secret()),
                options);
    }

    @Test
    void everyCheckPassesAgainstAHealthyDeploymentAndExitsZero(Coturn turn) throws Exception {
        doctorWithAuthAnd(turn, "--token", IceServersWiringTest.token(JWT_SECRET, "doctor"))
                .exitedWith(0)
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

    @Test
    void jsonOfAHealthyDeploymentIsOneObjectWithEveryCheckOk(Coturn turn) throws Exception {
        Run run = doctorWithAuthAnd(turn, "--json", "--token", IceServersWiringTest.token(JWT_SECRET, "doctor"));

        run.exitedWith(0);
        JsonNode root = new ObjectMapper().readTree(run.text());
        assertThat(root.path("ok").asBoolean(false)).isTrue();
        assertThat(root.path("checks")).hasSize(9).allSatisfy(check -> {
            assertThat(check.path("ok").asBoolean(false)).as(check.toString()).isTrue();
            assertThat(check.path("detail").asText()).isNotBlank();
            assertThat(check.path("elapsed_ms").isNumber()).isTrue();
        });
    }

    @Test
    void wrongTokenFailsWithTheReasonAndExitsNonZero(Coturn turn) throws Exception {
        String forged = IceServersWiringTest.token("another-secret-of-32-bytes-or-more!!", "mallory");

        doctorWithAuthAnd(turn, "--token", forged)
                .exitedWith(1)
                .contains("✓ HTTP reachable")
                .contains("✗ ICE servers endpoint")
                .contains("401: the server refused the token")
                .contains("✗ WebSocket admission")
                .contains("error auth_failed")
                .contains("✗ peers pair and open a data channel  not run: WebSocket admission failed");
    }

    @Test
    void missingTokenIsExplainedAndJsonSaysWhichCheckFailed(Coturn turn) throws Exception {
        Run run = doctorWithAuthAnd(turn, "--json");

        run.exitedWith(1);
        JsonNode root = new ObjectMapper().readTree(run.text());
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

    @Test
    void withoutAuthAndIceServersTheChecklistStillPasses() throws Exception {
        doctorAgainst(Map.of())
                .exitedWith(0)
                .contains("⚠ ICE servers endpoint")
                .contains("no STUN/TURN servers configured")
                .contains("--ice-server")
                .contains("no auth, your_id")
                .contains("✓ PeerJS endpoint")
                .contains("all 7 checks passed (1 with a warning)");
    }

    @Test
    void aServerWithoutThePeerJsEndpointIsAWarningAndAWrongKeyAFailure() throws Exception {
        doctorAgainst(Map.of(ServeSettings.PEERJS.key(), false))
                .exitedWith(0)
                .contains("⚠ PeerJS endpoint")
                .contains("is 404: the server does not serve PeerJS at /");

        doctorAgainst(Map.of(), "--peerjs-key", "wrong")
                .exitedWith(1)
                .contains("✗ PeerJS endpoint")
                .contains("the WebSocket answered ERROR: Invalid key provided");
    }
}
