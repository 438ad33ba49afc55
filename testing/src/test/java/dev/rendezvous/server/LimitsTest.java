package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Abuse limits on real sockets: inbound rate limit, slow consumers (bounded outbound queue). */
class LimitsTest {

    @Nested
    class RateLimit {
        @RegisterExtension
        final ServerExtension server = ServerExtension.create(c -> c.rateLimit(20, 10));

        @Test
        void framesBeyondTheBucketAreRefusedAndTheSessionCarriesOn() {
            WsRecorder c = server.admittedClient();
            for (int i = 0; i < 30; i++) {
                c.sendText("{\"type\":\"ping\"}");
            }
            int pongs = 0;
            int limited = 0;
            for (int i = 0; i < 30; i++) {
                Message m = c.next();
                if (m instanceof Message.Pong) {
                    pongs++;
                } else {
                    assertThat(m).isInstanceOfSatisfying(Message.Error.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                        assertThat(e.ref()).isEqualTo("ping");
                    });
                    limited++;
                }
            }
            assertThat(pongs).isBetween(10, 15); // the burst, plus what refilled meanwhile
            assertThat(limited).isEqualTo(30 - pongs);
            assertThat(c.isClosed()).isFalse();
            // the bucket refills: a later ping is answered again
            Awaitility.await()
                    .atMost(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        c.sendText("{\"type\":\"ping\"}");
                        return c.next() instanceof Message.Pong;
                    });
        }

        @Test
        void aClientThatKeepsFloodingIsClosedWith4029() {
            WsRecorder c = server.admittedClient();
            for (int i = 0; i < 400 && !c.isClosed(); i++) {
                c.sendText("{\"type\":\"ping\"}");
            }
            assertThat(c.awaitClose()).isEqualTo(4029);
        }
    }

    @Nested
    class SlowConsumer {
        @RegisterExtension
        final ServerExtension server =
                ServerExtension.create(c -> c.rateLimit(0, 0).rateLimitBytes(0).maxOutboundBytes(64 * 1024));

        @Test
        void aClientThatStopsReadingIsCutOffAndItsPeerIsTold() throws Exception {
            RawWebSocket stalled = server.trackCloseable(RawWebSocket.connect(server.lobbyUri(), 4096));
            String stalledId = ((Message.YourId) MessageCodec.decode(stalled.readText())).id();
            WsRecorder sender = server.admittedClient();
            sender.send(new Message.PairRequest(stalledId));
            sender.next(Message.Paired.class);
            String payload = "{\"type\":\"candidate\",\"pad\":\"" + "x".repeat(2000) + "\"}";
            // The stalled client reads nothing; keep sending until the server gives up on it (bounded).
            for (int i = 0; i < 20_000 && server.hubState().pairs() == 1; i++) {
                sender.sendText(payload);
            }
            sender.await(Message.PeerDisconnected.class);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> server.hubState().sessions() == 1);
            // Draining now shows what the server queued before the cut-off: bounded, then the 4029 close
            // (or a reset if its grace period ran out first).
            int code = stalled.awaitClose(Duration.ofSeconds(10));
            assertThat(code).isIn(4029, 1006);
        }
    }
}
