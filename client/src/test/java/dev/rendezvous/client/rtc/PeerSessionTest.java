package dev.rendezvous.client.rtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two real libwebrtc peer connections in one JVM, loopback ICE mode: every packet on 127.0.0.1. */
class PeerSessionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static RtcRuntime rtc;

    @BeforeAll
    static void loadLibwebrtc() {
        rtc = RtcRuntime.create();
    }

    @AfterAll
    static void disposeFactoryOnce() {
        rtc.close();
        assertThat(rtc.isClosed()).isTrue();
        rtc.close(); // idempotent: the factory is disposed exactly once
    }

    private record Pair(
            PeerSession initiator,
            SessionRecorder initiatorEvents,
            PeerSession answerer,
            SessionRecorder answererEvents,
            LocalLink link)
            implements AutoCloseable {
        @Override
        public void close() {
            initiator.close();
            answerer.close();
        }
    }

    private static Pair pair(SessionConfig config, LocalLink link) {
        SessionRecorder a = new SessionRecorder();
        SessionRecorder b = new SessionRecorder();
        link.initiator = PeerSession.create(rtc, "b", true, config, link.initiatorSink(), a, null);
        link.answerer = PeerSession.create(rtc, "a", false, config, link.answererSink(), b, null);
        return new Pair(link.initiator, a, link.answerer, b, link);
    }

    /** A pair, the initiator started, both chat channels open. */
    private static Pair opened(SessionConfig config, LocalLink link) {
        Pair p = pair(config, link);
        try {
            p.initiator().start();
            p.initiatorEvents()
                    .open
                    .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .join();
            p.answererEvents()
                    .open
                    .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .join();
            return p;
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    @Test
    void connectsAndChatsBothWaysInUtf8() throws Exception {
        try (Pair p = opened(SessionConfig.loopbackDefaults(), new LocalLink())) {
            await().atMost(WAIT)
                    .until(() -> p.initiator().connectionState().name().equals("CONNECTED")
                            && p.answerer().connectionState().name().equals("CONNECTED"));

            assertThat(p.initiator().send("héllo wörld ✓").outcome()).isEqualTo(SendOutcome.SENT);
            assertThat(p.answerer().send("back at you 🎉👋").outcome()).isEqualTo(SendOutcome.SENT);
            assertThat(p.answererEvents().nextMessage(WAIT)).isEqualTo("héllo wörld ✓");
            assertThat(p.initiatorEvents().nextMessage(WAIT)).isEqualTo("back at you 🎉👋");

            // Loopback mode: only 127.0.0.1 candidates were signalled, never an IPv6 or eth0 address.
            assertThat(p.link().initiatorCandidates).isNotEmpty().allMatch(c -> c.contains(" 127.0.0.1 "));
            assertThat(p.link().answererCandidates).isNotEmpty().allMatch(c -> c.contains(" 127.0.0.1 "));
        }
    }

    @Test
    void messagesSentBeforeOpenArriveAfterOpenInOrder() throws Exception {
        try (Pair p = pair(SessionConfig.loopbackDefaults(), new LocalLink())) {
            List<Delivery> early = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                early.add(p.initiator().send("early-" + i));
            }
            assertThat(early).allMatch(d -> d.outcome().equals(SendOutcome.QUEUED));
            p.initiator().start();
            for (int i = 0; i < 50; i++) {
                assertThat(p.answererEvents().nextMessage(WAIT)).isEqualTo("early-" + i);
            }
            for (Delivery d : early) {
                assertThat(d.settled().toCompletableFuture().get(5, TimeUnit.SECONDS))
                        .isEqualTo(SendOutcome.SENT);
            }
        }
    }

    @Test
    void tenThousandMessagesArriveInOrderNoneLost() throws Exception {
        try (Pair p = opened(SessionConfig.loopbackDefaults(), new LocalLink())) {
            int count = 10_000;
            List<Delivery> deliveries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                deliveries.add(p.initiator().send("m" + i + " " + "x".repeat(100)));
            }
            assertThat(deliveries).noneMatch(Delivery::refused);
            for (int i = 0; i < count; i++) {
                assertThat(p.answererEvents().nextMessage(WAIT)).startsWith("m" + i + " ");
            }
            for (Delivery d : deliveries) {
                assertThat(d.settled().toCompletableFuture().get(5, TimeUnit.SECONDS))
                        .isEqualTo(SendOutcome.SENT);
            }
            assertThat(p.answererEvents().messages).isEmpty();
        }
    }

    @Test
    void flowControlCarriesMoreThanLibwebrtcCanBuffer() throws Exception {
        // ~40 MiB in 64 KiB messages: without pausing, libwebrtc closes the channel after ~22 MiB.
        try (Pair p = opened(SessionConfig.loopbackDefaults(), new LocalLink())) {
            String chunk = "z".repeat(64 * 1024);
            int count = 640;
            Delivery last = null;
            for (int i = 0; i < count; i++) {
                last = p.initiator().send(chunk);
                assertThat(last.refused()).as("message %d", i).isFalse();
                if (last.outcome() instanceof SendOutcome.Queued) {
                    last.settled().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS); // back-pressure
                }
            }
            for (int i = 0; i < count; i++) {
                assertThat(p.answererEvents().nextMessage(WAIT)).hasSize(chunk.length());
            }
            assertThat(p.initiator().isChannelOpen()).isTrue();
        }
    }

    @Test
    void candidatesBeforeTheRemoteDescriptionAreQueuedNotDropped() {
        LocalLink link = new LocalLink();
        link.candidatesBeforeOffer = true;
        try (Pair p = opened(SessionConfig.loopbackDefaults(), link)) {
            assertThat(p.answerer().earlyCandidatesApplied()).isPositive();
        }
    }

    @Test
    void nonTrickleOffersCarryTheirCandidatesInTheSdp() {
        SessionConfig noTrickle = SessionConfig.loopbackDefaults().withTrickle(false);
        LocalLink link = new LocalLink();
        List<String> offers = new ArrayList<>();
        link.offerFilter = sdp -> {
            offers.add(sdp);
            return sdp;
        };
        try (Pair p = opened(noTrickle, link)) {
            assertThat(link.initiatorCandidates).isEmpty();
            assertThat(link.answererCandidates).isEmpty();
            assertThat(offers)
                    .singleElement()
                    .satisfies(sdp -> assertThat(sdp).contains("a=candidate:").contains(" 127.0.0.1 "));
        }
    }

    @Test
    void closingRefusesFurtherSendsAndThePeerSeesTheChannelClose() throws Exception {
        Pair p = opened(SessionConfig.loopbackDefaults(), new LocalLink());
        p.initiator().close();
        assertThat(p.initiator().isClosed()).isTrue();
        assertThat(p.initiatorEvents().closed).isDone();
        assertThat(p.initiator().send("too late").outcome()).isEqualTo(SendOutcome.refused(RefusalReason.CLOSED));
        p.initiator().close(); // idempotent
        p.answererEvents().channelClosed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(p.answerer().send("nobody there").refused()).isTrue();
        p.answerer().close();
    }

    @Test
    void queuedMessagesAreRefusedWhenTheSessionClosesBeforeOpen() throws Exception {
        Pair p = pair(SessionConfig.loopbackDefaults(), new LocalLink());
        Delivery waiting = p.initiator().send("never sent");
        assertThat(waiting.outcome()).isEqualTo(SendOutcome.QUEUED);
        p.close();
        assertThat(waiting.settled().toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(SendOutcome.refused(RefusalReason.CLOSED));
        await().atMost(WAIT).until(() -> p.initiatorEvents().undelivered.contains("never sent:CLOSED"));
    }

    @Test
    void queuedMessagesExpireWhenTheChannelNeverOpensAndTheCallerIsTold() throws Exception {
        SessionConfig shortExpiry =
                SessionConfig.loopbackDefaults().withSendPolicy(SendPolicy.DEFAULT.withExpiry(Duration.ofMillis(200)));
        SessionRecorder events = new SessionRecorder();
        PeerSession lonely = LocalLink.unanswered(rtc, "nobody", true, shortExpiry, events);
        try {
            // Never started and never answered: the channel cannot open.
            Delivery waiting = lonely.send("into the void");
            assertThat(waiting.outcome()).isEqualTo(SendOutcome.QUEUED);
            assertThat(waiting.settled().toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isEqualTo(SendOutcome.refused(RefusalReason.EXPIRED));
            await().atMost(WAIT).until(() -> events.undelivered.contains("into the void:EXPIRED"));
        } finally {
            lonely.close();
        }
    }

    @Test
    void aListenerThatThrowsWhileClosingStillLetsTheSessionFinish() throws Exception {
        // Both close events throw: the channel-closed one must not skip onClosed, and neither may leave
        // closedFuture pending or the session's thread alive.
        SessionRecorder answererEvents = new SessionRecorder();
        List<String> closeEvents = java.util.Collections.synchronizedList(new ArrayList<>());
        PeerSessionListener throwing = new PeerSessionListener() {
            @Override
            public void onOpen(DataChannel channel) {
                answererEvents.onOpen(channel); // reused only as a latch for the initiator side
            }

            @Override
            public void onClosed(DataChannel channel) {
                closeEvents.add("channel closed");
                throw new IllegalStateException("listener bug in onChannelClosed");
            }

            @Override
            public void onClosed(PeerSession session) {
                closeEvents.add("closed");
                throw new IllegalStateException("listener bug in onClosed");
            }
        };
        LocalLink link = new LocalLink();
        SessionRecorder otherEvents = new SessionRecorder();
        link.initiator = PeerSession.create(
                rtc, "throwing-listener", true, SessionConfig.loopbackDefaults(), link.initiatorSink(), throwing, null);
        link.answerer = PeerSession.create(
                rtc, "a", false, SessionConfig.loopbackDefaults(), link.answererSink(), otherEvents, null);
        try {
            link.initiator.start();
            answererEvents.open.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            link.initiator.close();
            link.initiator.closedFuture().get(5, TimeUnit.SECONDS);
            assertThat(closeEvents).containsExactly("channel closed", "closed");
            await().atMost(WAIT)
                    .until(() -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.getName().endsWith("-throwing-listener")));
        } finally {
            link.initiator.close();
            link.answerer.close();
        }
    }

    @Test
    void remoteCandidatesNeverAppliedAreHandedOverOnClose() throws Exception {
        // Crossing offers: the initiator session is replaced before any remote description was set; the
        // candidates it holds belong to the remote's offer and must survive it.
        SessionRecorder events = new SessionRecorder();
        PeerSession replaced = LocalLink.unanswered(rtc, "crossing", true, SessionConfig.loopbackDefaults(), events);
        replaced.acceptCandidate("candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host", "0", 0);
        replaced.acceptCandidate("candidate:2 1 udp 2122260223 127.0.0.1 40002 typ host", null, 0);
        assertThat(replaced.unappliedRemoteCandidates())
                .as("nothing before close")
                .isEmpty();
        replaced.close();
        assertThat(replaced.unappliedRemoteCandidates())
                .extracting(c -> c.candidate() + " mid=" + c.sdpMid() + " index=" + c.sdpMLineIndex())
                .containsExactly(
                        "candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host mid=0 index=0",
                        "candidate:2 1 udp 2122260223 127.0.0.1 40002 typ host mid= index=0");
    }

    @Test
    void aDataChannelAnnouncedAfterCloseIsClosedAndDisposedNotLeaked() {
        PeerSession closed = LocalLink.unanswered(
                rtc, "late-channel", false, SessionConfig.loopbackDefaults(), new SessionRecorder());
        closed.close();
        // Play libwebrtc: a channel arrives for a session whose executor is gone.
        dev.onvoid.webrtc.RTCPeerConnection other =
                rtc.createPeerConnection(new dev.onvoid.webrtc.RTCConfiguration(), candidate -> {});
        try {
            dev.onvoid.webrtc.RTCDataChannel late =
                    other.createDataChannel("late", new dev.onvoid.webrtc.RTCDataChannelInit());
            closed.connectionObserver().onDataChannel(late);
            // Disposed: its native handle is gone (webrtc-java throws on any further use).
            org.assertj.core.api.Assertions.assertThatThrownBy(late::getState).isInstanceOf(NullPointerException.class);
        } finally {
            other.close();
        }
    }
}
