package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.TcpProxy;
import dev.rendezvous.testing.WsRecorder;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resume (v1.1) against time: grace expiry, the keepalive timeout that detaches, the silent resume
 * connection, and the races with expiry. A short grace and awaits with deadlines — no sleeps.
 */
class ResumeGraceTest {
    static final Duration GRACE = Duration.ofMillis(400);

    @RegisterExtension
    final ServerExtension server =
            ServerExtension.create(b -> b.resumeGrace(GRACE).authTimeout(Duration.ofMillis(500)));

    private TcpProxy proxy;

    @BeforeEach
    void proxy() throws IOException {
        proxy = server.trackCloseable(TcpProxy.to(server.port())); // closed after the test, before the leak check
    }

    @Test
    void aDetachedSessionDepartsOnceAtGraceExpiryAndCannotBeResumedAfter() throws IOException {
        WsRecorder bob = server.admittedClient();
        ResumingClient alice = ResumingClient.pairedWith(bob, proxy.uri("/ws?resumable=1"));
        long cut = System.nanoTime();
        proxy.last().cut();
        assertThat(bob.await(Message.PeerDisconnected.class).peerId()).isEqualTo(alice.id);
        assertThat(Duration.ofNanos(System.nanoTime() - cut)).isGreaterThanOrEqualTo(GRACE);
        bob.assertNothingBeforePong(); // once
        JsonNode failed = alice.resume(server.uri("/ws?resume=1"));
        assertThat(failed.get("code").asText()).isEqualTo("resume_failed");
        JsonNode fresh = ResumingClient.parse(alice.socket().readText());
        assertThat(fresh.get("id").asText()).isNotEqualTo(alice.id);
        alice.close();
    }

    @Test
    void aResumeConnectionSilentPastTheAuthTimeoutIsClosed4001() throws IOException {
        try (RawWebSocket ws = RawWebSocket.connect(server.uri("/ws?resume=1"))) {
            JsonNode error = ResumingClient.parse(ws.readText());
            assertThat(error.get("code").asText()).isEqualTo("auth_timeout");
            assertThat(ws.awaitClose(Duration.ofSeconds(5))).isEqualTo(4001);
        }
    }

    @Test
    void resumeRacingExpiryEndsExactlyOnceEitherWay() throws IOException {
        WsRecorder bob = server.admittedClient();
        int resumed = 0;
        for (int round = 0; round < 6; round++) {
            ResumingClient alice = ResumingClient.pairedWith(bob, proxy.uri("/ws?resumable=1"));
            proxy.last().cut();
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> server.server().detachedSessions() == 1);
            // aim at the end of the grace: wait (bounded) until the expiry is near, then resume
            long near = System.nanoTime()
                    + GRACE.toNanos()
                    - Duration.ofMillis(5 * round).toNanos();
            await().atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> System.nanoTime() >= near);
            JsonNode answer = alice.resume(server.uri("/ws?resume=1"));
            if (answer.get("type").asText().equals("resumed")) {
                resumed++;
                alice.closeCleanly();
            } else {
                assertThat(answer.get("code").asText()).isEqualTo("resume_failed");
                alice.close();
            }
            // either way Bob hears of the departure exactly once
            assertThat(bob.await(Message.PeerDisconnected.class).peerId()).isEqualTo(alice.id);
            bob.assertNothingBeforePong();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.server().resumableSessions() == 0);
        }
        assertThat(resumed).isBetween(0, 6);
    }

    @Test
    void shutdownWhileDetachedCleansUpEverySession() throws IOException {
        ResumingClient alice = ResumingClient.admit(proxy.uri("/ws?resumable=1"));
        proxy.last().cut();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.server().detachedSessions() == 1);
        server.server().close();
        assertThat(server.server().hub().state().empty()).isTrue();
        assertThat(server.server().resumableSessions()).isZero();
        alice.close();
    }
}
