package dev.rendezvous.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.client.signaling.Backoff;
import dev.rendezvous.client.signaling.SignalingOptions;
import dev.rendezvous.testing.Outage;
import dev.rendezvous.testing.ServerFixture;
import dev.rendezvous.testing.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signaling blips under real Java peers (webrtc-java in loopback mode): one peer's signaling goes through a
 * {@link TcpProxy} that resets it without a close frame. The data channel must not notice, the other peer
 * must not hear of it, and a negotiation caught by the drop must still complete.
 */
class PeerResumeTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.perClass();

    private static Peer connect(URI signalingUrl, String clientId, PeerRecorder events, SignalingOptions base)
            throws Exception {
        PeerOptions options = PeerOptions.lobby(signalingUrl)
                .withSignaling(base.withClientId(clientId))
                .withLoopback(true);
        return Peer.connect(options, events).get(20, TimeUnit.SECONDS);
    }

    private static Peer connect(URI signalingUrl, String clientId, PeerRecorder events) throws Exception {
        return connect(signalingUrl, clientId, events, SignalingOptions.of(signalingUrl));
    }

    @Test
    void aChatCarriesOnThroughAThreeSecondSignalingCutAndThePeerNeverHearsOfIt() throws Exception {
        PeerRecorder alice = new PeerRecorder();
        PeerRecorder bob = new PeerRecorder();
        try (TcpProxy proxy = TcpProxy.to(server.server().port());
                Peer a = connect(proxy.uri("/ws"), "pr-alice", alice);
                Peer b = connect(server.lobby(), "pr-bob", bob)) {
            a.pair("pr-bob");
            alice.awaitEvent("open pr-bob");
            bob.awaitEvent("open pr-alice");

            Outage outage = Outage.begin(proxy); // ended below, once it has lasted 3 s
            alice.awaitEvent("signaling lost");
            for (int n = 1; n <= 5; n++) {
                a.send("during " + n);
                assertThat(bob.nextMessage()).isEqualTo("pr-alice: during " + n);
                b.send("reply " + n);
                assertThat(alice.nextMessage()).isEqualTo("pr-bob: reply " + n);
            }
            assertThat(outage.isOver())
                    .as("the lines above flowed while signaling was cut")
                    .isFalse();
            outage.endAfter(Duration.ofSeconds(3)).get(10, TimeUnit.SECONDS);
            alice.awaitEvent("signaling resumed");

            a.send("after");
            assertThat(bob.nextMessage()).isEqualTo("pr-alice: after");
            b.send("after too");
            assertThat(alice.nextMessage()).isEqualTo("pr-bob: after too");
            assertThat(a.id()).isEqualTo("pr-alice");
            assertThat(a.peers()).containsEntry("pr-bob", true);
            // Neither side's channel closed; bob heard of nothing at all.
            assertThat(alice.events.unread()).doesNotContain("closed pr-bob", "left pr-bob");
            assertThat(bob.events.unread()).doesNotContain("closed pr-alice", "left pr-alice", "signaling lost");
            assertThat(alice.errors).isEmpty();
            assertThat(bob.errors).isEmpty();
        }
    }

    @Test
    void aNegotiationCaughtByADropOnTheOfferingSideCompletes() throws Exception {
        negotiateAcrossADrop(true);
    }

    @Test
    void aNegotiationCaughtByADropOnTheAnsweringSideCompletes() throws Exception {
        negotiateAcrossADrop(false);
    }

    /** The side behind the proxy loses signaling the moment it is paired: offer, answer and candidates are all in flight. */
    private void negotiateAcrossADrop(boolean proxiedSideOffers) throws Exception {
        String tag = proxiedSideOffers ? "off" : "ans";
        PeerRecorder proxied = new PeerRecorder();
        PeerRecorder direct = new PeerRecorder();
        try (TcpProxy proxy = TcpProxy.to(server.server().port());
                Peer p = connect(proxy.uri("/ws"), "pn-proxied-" + tag, proxied);
                Peer d = connect(server.lobby(), "pn-direct-" + tag, direct)) {
            AtomicReference<CompletableFuture<Void>> outage = new AtomicReference<>();
            // On the event thread, before the session's offer or answer can have been signalled.
            proxied.onPairedHook = (peer, initiator) -> outage.set(Outage.start(proxy, Duration.ofSeconds(1)));
            if (proxiedSideOffers) {
                p.pair("pn-direct-" + tag); // the requester is the initiator
            } else {
                d.pair("pn-proxied-" + tag);
            }
            proxied.awaitEvent("signaling lost");
            proxied.awaitEvent("signaling resumed");
            proxied.awaitEvent("open pn-direct-" + tag);
            direct.awaitEvent("open pn-proxied-" + tag);
            assertThat(outage.get()).isDone();
            p.send("across the drop");
            assertThat(direct.nextMessage()).isEqualTo("pn-proxied-" + tag + ": across the drop");
            assertThat(direct.events.unread()).doesNotContain("left pn-proxied-" + tag);
        }
    }

    @Test
    void aResumeAfterTheGraceIsAFreshSessionAndThePeerIsTold() throws Exception {
        try (ServerFixture shortGrace = ServerFixture.start(s -> s.resumeGrace(Duration.ofMillis(300)));
                TcpProxy proxy = TcpProxy.to(shortGrace.server().port())) {
            PeerRecorder alice = new PeerRecorder();
            PeerRecorder bob = new PeerRecorder();
            SignalingOptions slow = SignalingOptions.of(proxy.uri("/ws"))
                    .withBackoff(new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(2)));
            try (Peer a = connect(proxy.uri("/ws"), "pe-alice", alice, slow);
                    Peer b = connect(shortGrace.lobby(), "pe-bob", bob)) {
                a.pair("pe-bob");
                alice.awaitEvent("open pe-bob");
                bob.awaitEvent("open pe-alice");
                proxy.last().cut();
                alice.awaitEvent("signaling lost");
                bob.awaitEvent("left pe-alice");
                alice.awaitEvent("resume failed pe-alice [pe-bob]");
                assertThat(a.peers()).isEmpty();
                assertThat(a.session("pe-bob")).isNull();
                assertThat(a.id()).isEqualTo("pe-alice");

                a.pair("pe-bob"); // a fresh pairing on the fresh session
                alice.awaitEvent("open pe-bob");
                b.send("again");
                assertThat(alice.nextMessage()).isEqualTo("pe-bob: again");
            }
        }
    }
}
