package dev.rendezvous.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.client.signaling.SignalingOptions;
import dev.rendezvous.testing.ServerFixture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A room of three Java peers: full mesh through a real server, loopback WebRTC. */
class PeerRoomTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.perClass();

    private static Peer join(String room, String clientId, PeerRecorder events) throws Exception {
        PeerOptions options = PeerOptions.lobby(server.lobby())
                .withSignaling(SignalingOptions.of(server.lobby())
                        .withClientId(clientId)
                        .withUsername(clientId))
                .withLoopback(true)
                .inRoom(room);
        return Peer.connect(options, events).get(20, TimeUnit.SECONDS);
    }

    /** Reads {@code count} messages and counts them per "from: text". */
    private static Map<String, Integer> read(PeerRecorder events, int count) throws InterruptedException {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < count; i++) {
            seen.merge(events.nextMessage(), 1, Integer::sum);
        }
        return seen;
    }

    @Test
    void fullMeshEachMessageReachesEachOtherPeerExactlyOnceAndSurvivesALeaver() throws Exception {
        String room = "mesh";
        PeerRecorder r1 = new PeerRecorder();
        PeerRecorder r2 = new PeerRecorder();
        PeerRecorder r3 = new PeerRecorder();
        try (Peer p1 = join(room, "m1", r1);
                Peer p2 = join(room, "m2", r2)) {
            r1.awaitEvent("open m2");
            r2.awaitEvent("open m1");
            Peer p3 = join(room, "m3", r3);
            try {
                r3.awaitEvent("open m1");
                r3.awaitEvent("open m2");
                r1.awaitEvent("open m3");
                r2.awaitEvent("open m3");
                assertThat(p1.peers()).containsOnlyKeys("m2", "m3");
                assertThat(p2.peers()).containsOnlyKeys("m1", "m3");
                assertThat(p3.peers()).containsOnlyKeys("m1", "m2");
                assertThat(p3.session("m1").initiator())
                        .as("the newcomer offers")
                        .isTrue();
                assertThat(p1.session("m3").initiator()).as("members answer").isFalse();

                List<Peer> all = List.of(p1, p2, p3);
                for (Peer p : all) {
                    assertThat(p.send("hello from " + p.id()).values())
                            .hasSize(2)
                            .noneMatch(d -> d.refused());
                    p.send("end from " + p.id());
                }
                // Each channel is ordered: had a message come twice, it would be counted before "end".
                assertThat(read(r1, 4))
                        .containsOnly(
                                Map.entry("m2: hello from m2", 1), Map.entry("m3: hello from m3", 1),
                                Map.entry("m2: end from m2", 1), Map.entry("m3: end from m3", 1));
                assertThat(read(r2, 4))
                        .containsOnly(
                                Map.entry("m1: hello from m1", 1), Map.entry("m3: hello from m3", 1),
                                Map.entry("m1: end from m1", 1), Map.entry("m3: end from m3", 1));
                assertThat(read(r3, 4))
                        .containsOnly(
                                Map.entry("m1: hello from m1", 1), Map.entry("m2: hello from m2", 1),
                                Map.entry("m1: end from m1", 1), Map.entry("m2: end from m2", 1));
            } finally {
                p3.close();
            }
            r1.awaitEvent("left m3");
            r2.awaitEvent("left m3");
            assertThat(p1.peers()).containsOnlyKeys("m2");
            assertThat(p2.peers()).containsOnlyKeys("m1");

            p1.send("still here?");
            assertThat(r2.nextMessage()).isEqualTo("m1: still here?");
            p2.send("yes ✓");
            assertThat(r1.nextMessage()).isEqualTo("m2: yes ✓");
            assertThat(new ArrayList<>(r3.messages)).isEmpty();
        }
    }
}
