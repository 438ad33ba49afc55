package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.TcpProxy;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Resume (v1.1): a half-open connection (black-holed) is detached by the keepalive timeout, not ended. */
class ResumeKeepaliveTest {

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(b -> b.resumeGrace(Duration.ofSeconds(5))
            .pingInterval(Duration.ofMillis(100))
            .pingTimeout(Duration.ofMillis(300)));

    @Test
    void aBlackHoledConnectionIsDetachedByTheKeepaliveTimeoutAndItsPingsAreReplayed() throws IOException {
        try (TcpProxy proxy = TcpProxy.to(server.port())) {
            ResumingClient alice = ResumingClient.admit(proxy.uri("/ws?resumable=1"));
            proxy.last().blackHole(); // the server only notices by its keepalive (4008)
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> server.server().detachedSessions() == 1);
            JsonNode resumed = alice.resume(server.uri("/ws?resume=1"));
            assertThat(resumed.get("type").asText()).isEqualTo("resumed");
            int replayed = resumed.get("replayed").asInt();
            assertThat(replayed).isGreaterThanOrEqualTo(1); // the pings sent into the black hole
            for (int i = 0; i < replayed; i++) {
                assertThat(alice.next().get("type").asText()).isEqualTo("ping");
            }
            alice.closeCleanly();
        }
    }
}
