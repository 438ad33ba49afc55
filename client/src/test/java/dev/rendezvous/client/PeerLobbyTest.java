package dev.rendezvous.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.client.rtc.ConnectionState;
import dev.rendezvous.client.rtc.Delivery;
import dev.rendezvous.client.rtc.SendOutcome;
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

    private static Peer connect(String clientId, PeerRecorder events) throws Exception {
        return TestPeers.connect(TestPeers.loopback(server.lobby(), clientId), events);
    }

    /**
     * Our peer {@code alice-<name>} with its recorder, and a peer in a process of its own, {@code bob-<name>}:
     * alice pairs with bob, both chat channels open. Closing ends the process first, then alice.
     */
    private record PeerAndProcess(Peer a, PeerRecorder alice, PeerProcess bob) implements AutoCloseable {
        static PeerAndProcess opened(String name) throws Exception {
            PeerRecorder alice = new PeerRecorder();
            Peer a = connect("alice-" + name, alice);
            PeerProcess bob = null;
            try {
                bob = PeerProcess.start(server.lobby(), "bob-" + name);
                bob.awaitLine("id bob-" + name);
                a.pair("bob-" + name);
                alice.awaitEvent("open bob-" + name);
                bob.awaitLine("open alice-" + name);
                return new PeerAndProcess(a, alice, bob);
            } catch (Exception | Error e) {
                if (bob != null) {
                    bob.close();
                }
                a.close();
                throw e;
            }
        }

        @Override
        public void close() throws InterruptedException {
            try {
                bob.close();
            } finally {
                a.close();
            }
        }
    }

    @Test
    void pairsChatsSurvivesAKilledPeerProcessAndPairsAgain() throws Exception {
        try (PeerAndProcess p = PeerAndProcess.opened("kill")) {
            // Events skipped while waiting for open stay available: these were seen before it.
            p.alice().awaitEvent("paired bob-kill true");
            p.bob().awaitLine("paired alice-kill false");
            p.alice().awaitEvent("connected bob-kill");
            p.bob().awaitLine("connected alice-kill");
            await().atMost(PeerRecorder.WAIT)
                    .until(() -> p.a().session("bob-kill").connectionState() == ConnectionState.CONNECTED);

            assertThat(p.a().send("héllo wörld 🎉").get("bob-kill").outcome()).isEqualTo(SendOutcome.SENT);
            p.bob().awaitLine("msg alice-kill héllo wörld 🎉");
            p.bob().send("salut ✓ 👋 ünïcödé");
            assertThat(p.alice().nextMessage()).isEqualTo("bob-kill: salut ✓ 👋 ünïcödé");

            p.bob().kill();
            p.alice().awaitEvent("left bob-kill");
            assertThat(p.a().peers()).isEmpty();
            assertThat(p.a().send("anyone?")).isEmpty();

            PeerRecorder carol = new PeerRecorder();
            try (Peer c = connect("carol-kill", carol)) {
                c.pair("alice-kill");
                p.alice().awaitEvent("paired carol-kill false");
                carol.awaitEvent("open alice-kill");
                p.alice().awaitEvent("open carol-kill");
                c.send("hi alice, carol here");
                assertThat(p.alice().nextMessage()).isEqualTo("carol-kill: hi alice, carol here");
                p.a().send("hi carol 😀");
                assertThat(carol.nextMessage()).isEqualTo("alice-kill: hi carol 😀");
            }
            p.alice().awaitEvent("left carol-kill");
        }
    }

    @Test
    void messagesSentBeforeTheChannelOpensArriveAfterItInOrder() throws Exception {
        List<Delivery> early = new ArrayList<>();
        try (PeerPair<PeerRecorder> p = PeerPair.connected(server.lobby(), "early")) {
            // Sent on the event thread right after `paired`: the offer does not even exist yet.
            p.aEvents().onPairedHook = (peer, initiator) -> {
                for (int i = 0; i < 20; i++) {
                    early.add(p.a().send("early " + i).get(peer));
                }
            };
            p.a().pair("early-b");
            p.aEvents().awaitEvent("open early-b");
            assertThat(early).hasSize(20).allMatch(d -> d.outcome().equals(SendOutcome.QUEUED));
            for (int i = 0; i < 20; i++) {
                assertThat(p.bEvents().nextMessage()).isEqualTo("early-a: early " + i);
            }
            for (Delivery d : early) {
                assertThat(d.settled().toCompletableFuture().get(5, TimeUnit.SECONDS))
                        .isEqualTo(SendOutcome.SENT);
            }
        }
    }

    @Test
    void tenThousandMessagesArriveInOrderNoneLost() throws Exception {
        try (PeerPair<PeerRecorder> p = PeerPair.connected(server.lobby(), "bulk")) {
            p.b().pair("bulk-a"); // the sender answers
            p.aEvents().awaitEvent("open bulk-b");
            p.bEvents().awaitEvent("open bulk-a");
            List<Delivery> deliveries = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                Map<String, Delivery> sent = p.a().send("n=" + i);
                deliveries.add(sent.get("bulk-b"));
            }
            assertThat(deliveries).noneMatch(Delivery::refused);
            for (int i = 0; i < 10_000; i++) {
                assertThat(p.bEvents().nextMessage()).isEqualTo("bulk-a: n=" + i);
            }
            assertThat(p.bEvents().messages).isEmpty();
        }
    }

    @Test
    void aPeerJvmExitsByItselfOnceClosedEvenAfterAConnection() throws Exception {
        try (PeerAndProcess p = PeerAndProcess.opened("exit")) {
            // main() returns after Peer.close(): the JVM ends only if the factory was disposed.
            assertThat(p.bob().quitAndAwaitExit()).isZero();
            p.alice().awaitEvent("left bob-exit");
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
        try (ServerFixture doomed = ServerFixture.start();
                PeerPair<PeerRecorder> p = PeerPair.opened(doomed.lobby(), "outlive")) {
            doomed.close();
            p.aEvents().awaitEvent(e -> e.startsWith("signaling closed"), "signaling closed");
            p.a().send("the server is gone, we are not");
            assertThat(p.bEvents().nextMessage()).isEqualTo("outlive-a: the server is gone, we are not");
        }
    }

    @Test
    void sessionsUseTheIceServersTheServerAnnounces() throws Exception {
        // A loopback STUN address: nothing listens there, and no packet leaves 127.0.0.1.
        IceServer loopbackStun = IceServer.stun("stun:127.0.0.1:3478");
        try (ServerFixture withIce = ServerFixture.start(b -> b.iceServers(id -> List.of(loopbackStun)));
                PeerPair<PeerRecorder> p = PeerPair.opened(withIce.lobby(), "ice")) {
            assertThat(p.a().session("ice-b").config().iceServers()).containsExactly(loopbackStun);
            assertThat(p.b().session("ice-a").config().iceServers()).containsExactly(loopbackStun);
        }
    }
}
