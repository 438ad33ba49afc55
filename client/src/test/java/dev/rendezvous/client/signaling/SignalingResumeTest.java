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

    private static String candidate(int n) {
        return CANDIDATE.formatted(n, 5000 + n);
    }

    /** Alice ({@code aliceId}) connected through {@code proxy}, so a test can cut her off; bob ({@code bobId}) directly. */
    private static SignalingPair aliceThrough(TcpProxy proxy, String aliceId, String bobId) throws Exception {
        return SignalingPair.connect(
                SignalingOptions.of(proxy.uri("/ws")).withClientId(aliceId),
                SignalingOptions.of(server.lobby()).withClientId(bobId));
    }

    @Test
    void aDropMidOfferOnTheAnsweringSideIsInvisibleAndEverySignalArrivesOnceInOrder() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(server.server().port());
                SignalingPair p = aliceThrough(proxy, "rs-alice", "rs-bob")) {
            assertThat(p.alice().isResumable()).isTrue();
            p.alice().pairRequest("rs-bob");
            p.a().await("paired rs-bob true");
            assertThat(p.b().next()).isEqualTo("paired rs-alice false");

            Outage outage = Outage.begin(proxy);
            p.a().await("lost");
            // While alice is away: bob offers and trickles (kept by the server), alice answers (kept by her
            // client).
            p.bob().sendOffer(null, "v=0 offer-1");
            for (int n = 1; n <= 3; n++) {
                p.bob().sendCandidate(null, candidate(n), "0", 0);
            }
            CompletableFuture<Void> answer = p.alice().sendAnswer(null, "v=0 answer-1");
            assertThat(p.alice().state()).isEqualTo(SignalingState.RESUMING);
            outage.endAfter(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);

            p.a().await("resumed replayed=4 resent=1");
            assertThat(p.a().next()).isEqualTo("offer rs-bob v=0 offer-1");
            for (int n = 1; n <= 3; n++) {
                assertThat(p.a().next()).isEqualTo("candidate rs-bob " + candidate(n) + " 0 0");
            }
            answer.get(10, TimeUnit.SECONDS);
            assertThat(p.b().next()).isEqualTo("answer rs-alice v=0 answer-1");
            assertThat(p.alice().id()).isEqualTo("rs-alice");
            assertThat(p.alice().state()).isEqualTo(SignalingState.OPEN);

            // Live traffic both ways after the resume; bob has heard nothing but signals.
            p.alice().sendCandidate(null, candidate(9), "0", 0);
            assertThat(p.b().next()).isEqualTo("candidate rs-alice " + candidate(9) + " 0 0");
            p.bob().sendCandidate(null, candidate(10), "0", 0);
            assertThat(p.a().next()).isEqualTo("candidate rs-bob " + candidate(10) + " 0 0");
            assertThat(p.b().events.unread()).isEmpty();
        }
    }

    @Test
    void aDropMidCandidatesOnTheOfferingSideLosesAndRepeatsNothing() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(server.server().port());
                SignalingPair p = aliceThrough(proxy, "rs-offerer", "rs-answerer")) {
            p.alice().pairRequest("rs-answerer");
            p.a().await("paired rs-answerer true");
            assertThat(p.b().next()).isEqualTo("paired rs-offerer false");
            p.alice().sendOffer(null, "v=0 offer-2");
            p.alice().sendCandidate(null, candidate(1), "0", 0);
            p.alice().sendCandidate(null, candidate(2), "0", 0);
            // Cut as soon as they are written: some may be lost with the connection, and must be resent.
            Outage outage = Outage.begin(proxy);
            p.a().await("lost");
            for (int n = 3; n <= 6; n++) {
                p.alice().sendCandidate(null, candidate(n), "0", 0);
            }
            p.bob().sendAnswer(null, "v=0 answer-2");
            outage.endAfter(Duration.ofMillis(800)).get(10, TimeUnit.SECONDS);

            assertThat(p.b().next()).isEqualTo("offer rs-offerer v=0 offer-2");
            for (int n = 1; n <= 6; n++) {
                assertThat(p.b().next()).isEqualTo("candidate rs-offerer " + candidate(n) + " 0 0");
            }
            p.a().await("answer rs-answerer v=0 answer-2");
            p.bob().sendCandidate(null, candidate(7), "0", 0);
            p.a().await("candidate rs-answerer " + candidate(7) + " 0 0");
            assertThat(p.b().events.unread()).isEmpty(); // no peer_disconnected, no duplicate
        }
    }

    @Test
    void afterTheGraceExpiresTheClientGetsAFreshSessionAndSaysSo() throws Exception {
        try (ServerFixture shortGrace = ServerFixture.start(s -> s.resumeGrace(Duration.ofMillis(300)));
                TcpProxy proxy = TcpProxy.to(shortGrace.server().port())) {
            // The first attempt comes 1–2 s after the loss: well after the server's 300 ms grace.
            SignalingOptions slow = SignalingOptions.of(proxy.uri("/ws"))
                    .withClientId("rs-late")
                    .withBackoff(new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(2)));
            try (SignalingPair p = SignalingPair.connect(
                    slow, SignalingOptions.of(shortGrace.lobby()).withClientId("rs-waiting"))) {
                p.alice().pairRequest("rs-waiting");
                p.a().await("paired rs-waiting true");
                p.b().await("paired rs-late false");
                proxy.last().cut();
                p.a().await("lost");
                p.b().await("peer_disconnected rs-late"); // the grace expired: a departure, as in v1
                CompletableFuture<Void> doomed = p.alice().sendOffer(null, "v=0 stale");
                p.a().await("resume_failed rs-late"); // admitted again with its URL's client_id, now free
                assertThat(doomed).failsWithin(Duration.ofSeconds(5));
                assertThat(p.alice().id()).isEqualTo("rs-late");
                assertThat(p.alice().isResumable()).isTrue(); // the fresh session is resumable too

                p.alice().pairRequest("rs-waiting"); // the pairing was lost; pair again on the new session
                p.a().await("paired rs-waiting true");
                p.b().await("paired rs-late false");
            }
        }
    }

    @Test
    void aNonResumableClientEndsWithItsConnectionAsInV1() throws Exception {
        SignalingRecorder a = new SignalingRecorder();
        try (TcpProxy proxy = TcpProxy.to(server.server().port())) {
            SignalingClient alice = SignalingPair.connect(
                    SignalingOptions.of(proxy.uri("/ws")).withClientId("rs-v1").withResumable(false), a);
            assertThat(alice.isResumable()).isFalse();
            proxy.last().cut();
            a.await("closed 1006");
            assertThat(alice.state()).isEqualTo(SignalingState.CLOSED);
            await().atMost(5, TimeUnit.SECONDS).until(alice::httpClientTerminated);
        }
    }
}
