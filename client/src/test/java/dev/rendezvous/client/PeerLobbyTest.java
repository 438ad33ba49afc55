package dev.rendezvous.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.client.rtc.ConnectionState;
import dev.rendezvous.client.rtc.Delivery;
import dev.rendezvous.client.rtc.SendOutcome;
import dev.rendezvous.client.signaling.SignalingOptions;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.testing.ServerFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Java peers through a real signaling server on 127.0.0.1, WebRTC in loopback mode. */
class PeerLobbyTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.perClass();

    static Peer connect(String clientId, PeerRecorder events) throws Exception {
        return connect(clientId, events, server);
    }

    static Peer connect(String clientId, PeerRecorder events, ServerFixture server) throws Exception {
        PeerOptions options = PeerOptions.lobby(server.lobby())
                .withSignaling(SignalingOptions.of(server.lobby()).withClientId(clientId))
                .withLoopback(true);
        return Peer.connect(options, events).get(20, TimeUnit.SECONDS);
    }

    @Test
    void pairsChatsSurvivesAKilledPeerProcessAndPairsAgain() throws Exception {
        PeerRecorder alice = new PeerRecorder();
        try (Peer a = connect("alice-kill", alice);
                PeerProcess bob = PeerProcess.start(server.lobby(), "bob-kill")) {
            bob.awaitLine("id bob-kill");
            a.pair("bob-kill");
            alice.awaitEvent("paired bob-kill true");
            bob.awaitLine("paired alice-kill false");
            alice.awaitEvent("connected bob-kill");
            bob.awaitLine("connected alice-kill");
            alice.awaitEvent("open bob-kill");
            bob.awaitLine("open alice-kill");
            await().atMost(PeerRecorder.WAIT)
                    .until(() -> a.session("bob-kill").connectionState() == ConnectionState.CONNECTED);

            assertThat(a.send("héllo wörld 🎉").get("bob-kill").outcome()).isEqualTo(SendOutcome.SENT);
            bob.awaitLine("msg alice-kill héllo wörld 🎉");
            bob.send("salut ✓ 👋 ünïcödé");
            assertThat(alice.nextMessage()).isEqualTo("bob-kill: salut ✓ 👋 ünïcödé");

            bob.kill();
            alice.awaitEvent("left bob-kill");
            assertThat(a.peers()).isEmpty();
            assertThat(a.send("anyone?")).isEmpty();

            PeerRecorder carol = new PeerRecorder();
            try (Peer c = connect("carol-kill", carol)) {
                c.pair("alice-kill");
                alice.awaitEvent("paired carol-kill false");
                carol.awaitEvent("open alice-kill");
                alice.awaitEvent("open carol-kill");
                c.send("hi alice, carol here");
                assertThat(alice.nextMessage()).isEqualTo("carol-kill: hi alice, carol here");
                a.send("hi carol 😀");
                assertThat(carol.nextMessage()).isEqualTo("alice-kill: hi carol 😀");
            }
            alice.awaitEvent("left carol-kill");
        }
    }

    @Test
    void messagesSentBeforeTheChannelOpensArriveAfterItInOrder() throws Exception {
        PeerRecorder first = new PeerRecorder();
        PeerRecorder second = new PeerRecorder();
        List<Delivery> early = new ArrayList<>();
        try (Peer a = connect("early-a", first);
                Peer b = connect("early-b", second)) {
            // Sent on the event thread right after `paired`: the offer does not even exist yet.
            first.onPairedHook = (peer, initiator) -> {
                for (int i = 0; i < 20; i++) {
                    early.add(a.send("early " + i).get(peer));
                }
            };
            a.pair("early-b");
            first.awaitEvent("open early-b");
            assertThat(early).hasSize(20).allMatch(d -> d.outcome().equals(SendOutcome.QUEUED));
            for (int i = 0; i < 20; i++) {
                assertThat(second.nextMessage()).isEqualTo("early-a: early " + i);
            }
            for (Delivery d : early) {
                assertThat(d.settled().toCompletableFuture().get(5, TimeUnit.SECONDS))
                        .isEqualTo(SendOutcome.SENT);
            }
        }
    }

    @Test
    void tenThousandMessagesArriveInOrderNoneLost() throws Exception {
        PeerRecorder first = new PeerRecorder();
        PeerRecorder second = new PeerRecorder();
        try (Peer a = connect("bulk-a", first);
                Peer b = connect("bulk-b", second)) {
            b.pair("bulk-a");
            first.awaitEvent("open bulk-b");
            second.awaitEvent("open bulk-a");
            List<Delivery> deliveries = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                Map<String, Delivery> sent = a.send("n=" + i);
                deliveries.add(sent.get("bulk-b"));
            }
            assertThat(deliveries).noneMatch(Delivery::refused);
            for (int i = 0; i < 10_000; i++) {
                assertThat(second.nextMessage()).isEqualTo("bulk-a: n=" + i);
            }
            assertThat(second.messages).isEmpty();
        }
    }

    @Test
    void aPeerJvmExitsByItselfOnceClosedEvenAfterAConnection() throws Exception {
        PeerRecorder alice = new PeerRecorder();
        try (Peer a = connect("alice-exit", alice);
                PeerProcess bob = PeerProcess.start(server.lobby(), "bob-exit")) {
            bob.awaitLine("id bob-exit");
            a.pair("bob-exit");
            alice.awaitEvent("open bob-exit");
            bob.awaitLine("open alice-exit");
            // main() returns after Peer.close(): the JVM ends only if the factory was disposed.
            assertThat(bob.quitAndAwaitExit()).isZero();
            alice.awaitEvent("left bob-exit");
        }
    }

    @Test
    void refusalsFromTheServerReachTheListener() throws Exception {
        PeerRecorder lonely = new PeerRecorder();
        try (Peer a = connect("lonely", lonely)) {
            a.pair("nobody-by-that-name");
            lonely.awaitEvent("error peer_not_found");
            a.pair("lonely");
            lonely.awaitEvent("error self_pair");
        }
    }

    @Test
    void anOpenChannelOutlivesTheSignalingServer() throws Exception {
        try (ServerFixture doomed = ServerFixture.start()) {
            PeerRecorder first = new PeerRecorder();
            PeerRecorder second = new PeerRecorder();
            try (Peer a = connect("outlive-a", first, doomed);
                    Peer b = connect("outlive-b", second, doomed)) {
                a.pair("outlive-b");
                first.awaitEvent("open outlive-b");
                second.awaitEvent("open outlive-a");
                doomed.close();
                first.awaitEvent(e -> e.startsWith("signaling closed"), "signaling closed");
                a.send("the server is gone, we are not");
                assertThat(second.nextMessage()).isEqualTo("outlive-a: the server is gone, we are not");
            }
        }
    }

    @Test
    void sessionsUseTheIceServersTheServerAnnounces() throws Exception {
        // A loopback STUN address: nothing listens there, and no packet leaves 127.0.0.1.
        IceServer loopbackStun = IceServer.stun("stun:127.0.0.1:3478");
        try (ServerFixture withIce = ServerFixture.start(b -> b.iceServers(id -> List.of(loopbackStun)))) {
            PeerRecorder first = new PeerRecorder();
            PeerRecorder second = new PeerRecorder();
            try (Peer a = connect("ice-a", first, withIce);
                    Peer b = connect("ice-b", second, withIce)) {
                a.pair("ice-b");
                first.awaitEvent("open ice-b");
                assertThat(a.session("ice-b").config().iceServers()).containsExactly(loopbackStun);
                assertThat(b.session("ice-a").config().iceServers()).containsExactly(loopbackStun);
            }
        }
    }
}
