package dev.rendezvous.client.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.testing.Outage;
import dev.rendezvous.testing.ServerFixture;
import dev.rendezvous.testing.TcpProxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resume (v1.1) from the client's side, on real sockets: one side's signaling goes through a {@link TcpProxy}
 * that resets it without a close frame; the other side must never notice, and every signal arrives once, in
 * order, both ways.
 */
class SignalingResumeTest {
    private static final String CANDIDATE = "candidate:%d 1 udp 2122260223 127.0.0.1 %d typ host";

    @RegisterExtension
    static final ServerFixture server = ServerFixture.perClass();

    private static SignalingClient connect(SignalingOptions options, SignalingListener listener) throws Exception {
        return SignalingClient.connect(options, listener).get(10, TimeUnit.SECONDS);
    }

    private static String candidate(int n) {
        return CANDIDATE.formatted(n, 5000 + n);
    }

    @Test
    void aDropMidOfferOnTheAnsweringSideIsInvisibleAndEverySignalArrivesOnceInOrder() throws Exception {
        SignalingRecorder a = new SignalingRecorder();
        SignalingRecorder b = new SignalingRecorder();
        try (TcpProxy proxy = TcpProxy.to(server.server().port())) {
            SignalingClient alice =
                    connect(SignalingOptions.of(proxy.uri("/ws")).withClientId("rs-alice"), a);
            SignalingClient bob = connect(SignalingOptions.of(server.lobby()).withClientId("rs-bob"), b);
            try {
                assertThat(alice.isResumable()).isTrue();
                alice.pairRequest("rs-bob");
                a.await("paired rs-bob true");
                assertThat(b.next()).isEqualTo("paired rs-alice false");

                Outage outage = Outage.begin(proxy);
                a.await("lost");
                // While alice is away: bob offers and trickles (kept by the server), alice answers (kept by her
                // client).
                bob.sendOffer(null, "v=0 offer-1");
                for (int n = 1; n <= 3; n++) {
                    bob.sendCandidate(null, candidate(n), "0", 0);
                }
                CompletableFuture<Void> answer = alice.sendAnswer(null, "v=0 answer-1");
                assertThat(alice.state()).isEqualTo(SignalingState.RESUMING);
                outage.endAfter(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);

                a.await("resumed replayed=4 resent=1");
                assertThat(a.next()).isEqualTo("offer rs-bob v=0 offer-1");
                for (int n = 1; n <= 3; n++) {
                    assertThat(a.next()).isEqualTo("candidate rs-bob " + candidate(n) + " 0 0");
                }
                answer.get(10, TimeUnit.SECONDS);
                assertThat(b.next()).isEqualTo("answer rs-alice v=0 answer-1");
                assertThat(alice.id()).isEqualTo("rs-alice");
                assertThat(alice.state()).isEqualTo(SignalingState.OPEN);

                // Live traffic both ways after the resume; bob has heard nothing but signals.
                alice.sendCandidate(null, candidate(9), "0", 0);
                assertThat(b.next()).isEqualTo("candidate rs-alice " + candidate(9) + " 0 0");
                bob.sendCandidate(null, candidate(10), "0", 0);
                assertThat(a.next()).isEqualTo("candidate rs-bob " + candidate(10) + " 0 0");
                assertThat(b.events).isEmpty();
            } finally {
                alice.close();
                bob.close();
            }
        }
    }

    @Test
    void aDropMidCandidatesOnTheOfferingSideLosesAndRepeatsNothing() throws Exception {
        SignalingRecorder a = new SignalingRecorder();
        SignalingRecorder b = new SignalingRecorder();
        try (TcpProxy proxy = TcpProxy.to(server.server().port())) {
            SignalingClient alice =
                    connect(SignalingOptions.of(proxy.uri("/ws")).withClientId("rs-offerer"), a);
            SignalingClient bob = connect(SignalingOptions.of(server.lobby()).withClientId("rs-answerer"), b);
            try {
                alice.pairRequest("rs-answerer");
                a.await("paired rs-answerer true");
                assertThat(b.next()).isEqualTo("paired rs-offerer false");
                alice.sendOffer(null, "v=0 offer-2");
                alice.sendCandidate(null, candidate(1), "0", 0);
                alice.sendCandidate(null, candidate(2), "0", 0);
                // Cut as soon as they are written: some may be lost with the connection, and must be resent.
                Outage outage = Outage.begin(proxy);
                a.await("lost");
                for (int n = 3; n <= 6; n++) {
                    alice.sendCandidate(null, candidate(n), "0", 0);
                }
                bob.sendAnswer(null, "v=0 answer-2");
                outage.endAfter(Duration.ofMillis(800)).get(10, TimeUnit.SECONDS);

                assertThat(b.next()).isEqualTo("offer rs-offerer v=0 offer-2");
                for (int n = 1; n <= 6; n++) {
                    assertThat(b.next()).isEqualTo("candidate rs-offerer " + candidate(n) + " 0 0");
                }
                a.await("answer rs-answerer v=0 answer-2");
                bob.sendCandidate(null, candidate(7), "0", 0);
                a.await("candidate rs-answerer " + candidate(7) + " 0 0");
                assertThat(b.events).isEmpty(); // no peer_disconnected, no duplicate
            } finally {
                alice.close();
                bob.close();
            }
        }
    }

    @Test
    void afterTheGraceExpiresTheClientGetsAFreshSessionAndSaysSo() throws Exception {
        try (ServerFixture shortGrace = ServerFixture.start(s -> s.resumeGrace(Duration.ofMillis(300)));
                TcpProxy proxy = TcpProxy.to(shortGrace.server().port())) {
            SignalingRecorder a = new SignalingRecorder();
            SignalingRecorder b = new SignalingRecorder();
            // The first attempt comes 1–2 s after the loss: well after the server's 300 ms grace.
            SignalingOptions slow = SignalingOptions.of(proxy.uri("/ws"))
                    .withClientId("rs-late")
                    .withBackoff(new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(2)));
            SignalingClient alice = connect(slow, a);
            SignalingClient bob =
                    connect(SignalingOptions.of(shortGrace.lobby()).withClientId("rs-waiting"), b);
            try {
                alice.pairRequest("rs-waiting");
                a.await("paired rs-waiting true");
                b.await("paired rs-late false");
                proxy.last().cut();
                a.await("lost");
                b.await("peer_disconnected rs-late"); // the grace expired: a departure, as in v1
                CompletableFuture<Void> doomed = alice.sendOffer(null, "v=0 stale");
                a.await("resume_failed rs-late"); // admitted again with its URL's client_id, now free
                assertThat(doomed).failsWithin(Duration.ofSeconds(5));
                assertThat(alice.id()).isEqualTo("rs-late");
                assertThat(alice.isResumable()).isTrue(); // the fresh session is resumable too

                alice.pairRequest("rs-waiting"); // the pairing was lost; pair again on the new session
                a.await("paired rs-waiting true");
                b.await("paired rs-late false");
            } finally {
                alice.close();
                bob.close();
            }
        }
    }

    @Test
    void aNonResumableClientEndsWithItsConnectionAsInV1() throws Exception {
        SignalingRecorder a = new SignalingRecorder();
        try (TcpProxy proxy = TcpProxy.to(server.server().port())) {
            SignalingClient alice = connect(
                    SignalingOptions.of(proxy.uri("/ws")).withClientId("rs-v1").withResumable(false), a);
            assertThat(alice.isResumable()).isFalse();
            proxy.last().cut();
            a.await("closed 1006");
            assertThat(alice.state()).isEqualTo(SignalingState.CLOSED);
            await().atMost(5, TimeUnit.SECONDS).until(alice::httpClientTerminated);
        }
    }
}
