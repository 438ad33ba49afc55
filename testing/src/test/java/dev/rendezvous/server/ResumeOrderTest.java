package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.TcpProxy;
import java.io.IOException;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly once and in order, both ways, across drops during a 10 000-frame relay (v1.1). The senders keep
 * at most a window of frames in flight (below the 256 frames a detached session keeps), as a client that
 * waits for answers does.
 */
class ResumeOrderTest {
    static final int FRAMES = 10_000;
    static final int WINDOW = 100;

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(b -> b.resumeGrace(Duration.ofSeconds(10)));

    @Test
    void tenThousandFramesEachWayAcrossDropsArriveOnceInOrder() throws IOException {
        try (TcpProxy aliceProxy = TcpProxy.to(server.port());
                TcpProxy bobProxy = TcpProxy.to(server.port())) {
            ResumingClient alice = ResumingClient.admit(aliceProxy.uri("/ws?resumable=1"));
            ResumingClient bob = ResumingClient.admit(bobProxy.uri("/ws?resumable=1"));
            bob.pairWith(alice);
            int aliceGot = 0; // offers from Bob, in order
            int bobGot = 0; // answers from Alice, in order
            for (int batch = 0; batch < FRAMES / WINDOW; batch++) {
                ResumingClient.exchangeNumbered(bob, alice, batch * WINDOW, WINDOW);
                if (batch % 20 == 7) { // a drop with frames in flight both ways, on one side or the other
                    ResumingClient dropped = batch % 40 == 7 ? alice : bob;
                    TcpProxy proxy = dropped == alice ? aliceProxy : bobProxy;
                    proxy.last().cut();
                    awaitDetachedOrGone();
                    JsonNode resumed = dropped.resume(proxy.uri("/ws?resume=1"));
                    assertThat(resumed.get("type").asText())
                            .as("resume after batch %d", batch)
                            .isEqualTo("resumed");
                }
                aliceGot = alice.readInOrder("offer", aliceGot, (batch + 1) * WINDOW);
                bobGot = bob.readInOrder("answer", bobGot, (batch + 1) * WINDOW);
            }
            assertThat(aliceGot).isEqualTo(FRAMES);
            assertThat(bobGot).isEqualTo(FRAMES);
            alice.closeCleanly();
            assertThat(bob.next().get("type").asText()).isEqualTo("peer_disconnected");
            bob.closeCleanly();
        }
    }

    private void awaitDetachedOrGone() {
        IntSupplier detached = () -> server.server().detachedSessions();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> detached.getAsInt() == 1);
    }
}
