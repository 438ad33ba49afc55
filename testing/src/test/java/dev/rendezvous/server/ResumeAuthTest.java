package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.TcpProxy;
import dev.rendezvous.testing.Tokens;
import java.io.IOException;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Resume (v1.1) with JWT auth: the resume token is the credential; a failed resume asks for a JWT. */
class ResumeAuthTest {
    private static final String SECRET = "resume-test-secret-of-at-least-32-bytes";

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(
            c -> c.authenticator(Tokens.hmacAuthenticator(SECRET, null, null)).resumeGrace(Duration.ofSeconds(5)));

    @Test
    void aResumeNeedsNoJwtAndAFailedOneAsksForOne() throws IOException {
        try (TcpProxy proxy = TcpProxy.to(server.port())) {
            RawWebSocket ws = RawWebSocket.connect(proxy.uri("/ws?resumable=1"));
            assertThat(ResumingClient.parse(ws.readText()).get("type").asText()).isEqualTo("auth_required");
            ws.sendText("{\"type\":\"auth_token\",\"token\":\""
                    + Tokens.hs256(SECRET, Tokens.claims("alice").build()) + "\"}");
            assertThat(ResumingClient.parse(ws.readText()).get("type").asText()).isEqualTo("auth_success");
            ResumingClient alice = ResumingClient.adopt(ws);
            alice.send("{\"type\":\"ping\"}");
            assertThat(alice.next().get("type").asText()).isEqualTo("pong");
            proxy.last().cut();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> server.server().detachedSessions() == 1);

            JsonNode resumed = alice.resume(server.uri("/ws?resume=1"));
            assertThat(resumed.get("type").asText()).isEqualTo("resumed"); // nothing before it: no auth_required
            assertThat(resumed.get("received").asLong()).isEqualTo(1);
            alice.closeCleanly();

            try (RawWebSocket failed = RawWebSocket.connect(server.uri("/ws?resume=1"))) {
                failed.sendText("{\"type\":\"resume\",\"id\":\"" + alice.id + "\",\"resume_token\":\"" + alice.token
                        + "\",\"received\":0}");
                assertThat(ResumingClient.parse(failed.readText()).get("code").asText())
                        .isEqualTo("resume_failed");
                assertThat(ResumingClient.parse(failed.readText()).get("type").asText())
                        .isEqualTo("auth_required");
            }
        }
    }
}
