package dev.rendezvous.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.client.rtc.PeerSession;
import dev.rendezvous.client.rtc.PeerSessionListener;
import dev.rendezvous.client.rtc.RtcRuntime;
import dev.rendezvous.client.rtc.SessionConfig;
import dev.rendezvous.client.rtc.SignalSink;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.testing.ServerFixture;
import dev.rendezvous.testing.coturn.Coturn;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Relay-only Java peers through a real coturn on 127.0.0.1, with the TURN credentials the signaling
 * server hands out in {@code your_id}: the path a peer takes when no direct route exists.
 */
class PeerRelayTest {
    private static Coturn turn;
    private static ServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Coturn.isInstalled(), "coturn is not installed");
        turn = Coturn.start();
        server = ServerFixture.start(b -> b.iceServers(turn.iceConfig()::serversFor));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (turn != null) {
            turn.close();
        }
    }

    /** A loopback peer that may only use the TURN relay. */
    private static PeerOptions relayOnly(String id) {
        return TestPeers.loopback(server.lobby(), id)
                .withSession(SessionConfig.loopbackDefaults().withRelayOnly(true));
    }

    @Test
    void relayOnlyPeersChatThroughTurnWithCredentialsFromYourId() throws Exception {
        try (PeerPair<PeerRecorder> p = PeerPair.opened(PeerRelayTest::relayOnly, "relay", PeerRecorder::new)) {
            List<IceServer> servers = p.a().session("relay-b").config().iceServers();
            assertThat(servers).isNotEmpty();
            assertThat(servers).anySatisfy(s -> {
                assertThat(s.urls()).anyMatch(u -> u.startsWith("turn:127.0.0.1:"));
                assertThat(s.username()).contains("relay-a");
            });
            p.a().send("via the relay ✓");
            assertThat(p.bEvents().nextMessage()).isEqualTo("relay-a: via the relay ✓");
            p.b().send("back via the relay");
            assertThat(p.aEvents().nextMessage()).isEqualTo("relay-b: back via the relay");
        }
    }

    @Test
    void relayOnlySessionsSignalOnlyRelayCandidates() throws Exception {
        IceServer credentials = turn.iceConfig().serversFor("session-level").stream()
                .filter(s -> s.urls().stream().anyMatch(u -> u.startsWith("turn:")))
                .findFirst()
                .orElseThrow();
        SessionConfig relay =
                SessionConfig.loopbackDefaults().withRelayOnly(true).withIceServers(List.of(credentials));
        List<String> candidates = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> bothOpen = new CompletableFuture<>();
        try (RtcRuntime rtc = RtcRuntime.create()) {
            PeerSession[] pair = new PeerSession[2];
            int[] open = new int[1];
            PeerSessionListener onOpen = new PeerSessionListener() {
                @Override
                public void onOpen(dev.rendezvous.client.rtc.DataChannel channel) {
                    synchronized (open) {
                        if (++open[0] == 2) {
                            bothOpen.complete(null);
                        }
                    }
                }
            };
            pair[0] = PeerSession.create(rtc, "b", true, relay, sink(() -> pair[1], candidates), onOpen, null);
            pair[1] = PeerSession.create(rtc, "a", false, relay, sink(() -> pair[0], candidates), onOpen, null);
            pair[0].start();
            bothOpen.get(30, TimeUnit.SECONDS);
            assertThat(candidates).isNotEmpty().allMatch(c -> c.contains(" typ relay ") && c.contains(" 127.0.0.1 "));
        }
    }

    private static SignalSink sink(java.util.function.Supplier<PeerSession> other, List<String> candidates) {
        return new SignalSink() {
            @Override
            public void offer(String sdp) {
                other.get().acceptOffer(sdp);
            }

            @Override
            public void answer(String sdp) {
                other.get().acceptAnswer(sdp);
            }

            @Override
            public void candidate(String candidate, String sdpMid, int sdpMLineIndex) {
                candidates.add(candidate);
                other.get().acceptCandidate(candidate, sdpMid, sdpMLineIndex);
            }
        };
    }
}
