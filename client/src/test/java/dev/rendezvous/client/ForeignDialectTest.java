package dev.rendezvous.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.client.rtc.PeerSession;
import dev.rendezvous.client.rtc.PeerSessionListener;
import dev.rendezvous.client.rtc.RtcRuntime;
import dev.rendezvous.client.rtc.SessionConfig;
import dev.rendezvous.client.rtc.SignalSink;
import dev.rendezvous.client.signaling.RemoteCandidate;
import dev.rendezvous.client.signaling.SignalingClient;
import dev.rendezvous.client.signaling.SignalingListener;
import dev.rendezvous.client.signaling.SignalingOptions;
import dev.rendezvous.testing.ServerFixture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK against a peer that speaks another dialect of protocol v1 (seed 004's nested
 * {@code {"offer":{"type","sdp"}}}, {@code ice_candidate} with a plain-string candidate, end-of-candidates
 * markers), in both roles, trickling or not (as aiortc does not). The foreign side is raw JSON over a
 * signaling connection driving its own libwebrtc session.
 */
class ForeignDialectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServerFixture server;
    private static RtcRuntime foreignRtc;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.start();
        foreignRtc = RtcRuntime.create();
    }

    @AfterAll
    static void stop() {
        foreignRtc.close();
        server.close();
    }

    /** A peer that signals in the seed-004 dialect and reads whatever comes. */
    private static final class ForeignPeer
            implements SignalingListener, SignalSink, PeerSessionListener, AutoCloseable {
        final boolean trickle;
        volatile boolean alwaysOffer; // a naive stack that offers whatever the initiator flag says
        volatile boolean candidatesBeforeOffer; // sends one candidate, then its offer, then no more candidates
        volatile boolean deaf; // ignores remote candidates (trickled or in the answer): only ours can connect
        private String heldOffer; // guarded by this
        private boolean candidateSent; // guarded by this
        volatile SignalingClient signaling;
        volatile PeerSession session;
        final CompletableFuture<Void> open = new CompletableFuture<>();
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

        ForeignPeer(boolean trickle) {
            this.trickle = trickle;
        }

        @Override
        public void onPaired(SignalingClient client, String peerId, boolean initiator) {
            SessionConfig config = SessionConfig.loopbackDefaults().withTrickle(trickle);
            boolean offer = initiator || alwaysOffer;
            session = PeerSession.create(foreignRtc, peerId, offer, config, this, this, null);
            if (offer) {
                session.start();
            }
        }

        @Override
        public void onOffer(SignalingClient client, String from, String sdp) {
            if (!session.initiator()) {
                session.acceptOffer(sdp); // a naive offerer ignores offers that cross its own
            }
        }

        @Override
        public void onAnswer(SignalingClient client, String from, String sdp) {
            if (session.initiator()) {
                // Deaf to the candidates an answer may already carry, too.
                session.acceptAnswer(deaf ? withoutCandidates(sdp) : sdp);
            }
        }

        @Override
        public void onCandidate(SignalingClient client, String from, RemoteCandidate c) {
            if (!deaf) {
                session.acceptCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex());
            }
        }

        private void sendDescription(String type, String sdp) {
            ObjectNode message = JSON.createObjectNode().put("type", type);
            message.putObject(type).put("type", type).put("sdp", sdp);
            signaling.sendText(message.toString());
            if (!trickle) {
                signaling.sendText("{\"type\":\"ice_candidate\",\"candidate\":null}"); // end of candidates
            }
        }

        @Override
        public void offer(String sdp) {
            synchronized (this) {
                if (candidatesBeforeOffer && !candidateSent) {
                    heldOffer = sdp;
                    return;
                }
            }
            sendDescription("offer", sdp);
        }

        @Override
        public void answer(String sdp) {
            sendDescription("answer", sdp);
        }

        @Override
        public void candidate(String candidate, String sdpMid, int sdpMLineIndex) {
            synchronized (this) {
                if (candidatesBeforeOffer && candidateSent) {
                    return;
                }
            }
            ObjectNode message = JSON.createObjectNode()
                    .put("type", "ice_candidate")
                    .put("candidate", "a=" + candidate)
                    .put("sdpMLineIndex", sdpMLineIndex); // no sdpMid: index only
            signaling.sendText(message.toString());
            String offer;
            synchronized (this) {
                candidateSent = true;
                offer = heldOffer;
                heldOffer = null;
            }
            if (offer != null) {
                // Its candidate went alone: the offer (gathering may have added it there) carries none.
                sendDescription("offer", withoutCandidates(offer));
            }
        }

        private static String withoutCandidates(String sdp) {
            return sdp.replaceAll("(?m)^a=candidate:.*\\r?\\n", "");
        }

        @Override
        public void onOpen(dev.rendezvous.client.rtc.DataChannel c) {
            open.complete(null);
        }

        @Override
        public void close() {
            signaling.close();
            if (session != null) {
                session.close();
            }
        }

        @Override
        public void onMessage(dev.rendezvous.client.rtc.DataChannel c, String text) {
            messages.add(text);
        }
    }

    private static ForeignPeer foreign(String id, boolean trickle) throws Exception {
        ForeignPeer peer = new ForeignPeer(trickle);
        peer.signaling = SignalingClient.connect(
                        SignalingOptions.of(server.lobby()).withClientId(id), peer)
                .get(10, TimeUnit.SECONDS);
        return peer;
    }

    private static Peer ourPeer(String id, PeerRecorder events) throws Exception {
        return TestPeers.connect(TestPeers.loopback(server.lobby(), id), events);
    }

    private static void chat(Peer ours, PeerRecorder ourEvents, ForeignPeer theirs, String theirId) throws Exception {
        theirs.open.get(20, TimeUnit.SECONDS);
        ourEvents.awaitEvent("open " + theirId);
        ours.send("bonjour 🌍");
        assertThat(theirs.messages.poll(20, TimeUnit.SECONDS)).isEqualTo("bonjour 🌍");
        theirs.session.send("hola ✓");
        assertThat(ourEvents.nextMessage()).isEqualTo(theirId + ": hola ✓");
        assertThat(ourEvents.errors)
                .as("every foreign candidate and description was accepted")
                .isEmpty();
    }

    /**
     * A trickling foreign peer {@code theirId}, set up by {@code dialect} to offer whatever its flag says.
     * We ({@code ourId}, the greater id) pair, so we initiate and offer; they offer too, crossing ours. We
     * must yield: once open, our session is the answerer, and {@code text} reaches them.
     */
    private static void crossOffersAndChat(String theirId, Consumer<ForeignPeer> dialect, String ourId, String text)
            throws Exception {
        PeerRecorder ourEvents = new PeerRecorder();
        try (ForeignPeer theirs = foreign(theirId, true);
                Peer ours = ourPeer(ourId, ourEvents)) {
            theirs.alwaysOffer = true;
            dialect.accept(theirs);
            ours.pair(theirId);
            ourEvents.awaitEvent("paired " + theirId + " true");
            theirs.open.get(20, TimeUnit.SECONDS);
            ourEvents.awaitEvent("open " + theirId);
            assertThat(ours.session(theirId).initiator())
                    .as("%s > %s: we yielded and answered", ourId, theirId)
                    .isFalse();
            ours.send(text);
            assertThat(theirs.messages.poll(20, TimeUnit.SECONDS)).isEqualTo(text);
        }
    }

    @Test
    void aForeignInitiatorThatTricklesInTheSeedDialect() throws Exception {
        PeerRecorder ourEvents = new PeerRecorder();
        try (ForeignPeer theirs = foreign("foreign-offerer", true);
                Peer ours = ourPeer("java-answerer", ourEvents)) {
            theirs.signaling.pairRequest("java-answerer");
            ourEvents.awaitEvent("paired foreign-offerer false");
            chat(ours, ourEvents, theirs, "foreign-offerer");
        }
    }

    @Test
    void aForeignAnswererThatDoesNotTrickle() throws Exception {
        PeerRecorder ourEvents = new PeerRecorder();
        try (ForeignPeer theirs = foreign("foreign-answerer", false);
                Peer ours = ourPeer("java-offerer", ourEvents)) {
            ours.pair("foreign-answerer");
            ourEvents.awaitEvent("paired foreign-answerer true");
            chat(ours, ourEvents, theirs, "foreign-answerer");
        }
    }

    @Test
    void offersThatCrossAreResolvedByTheGreaterIdYielding() throws Exception {
        crossOffersAndChat("aa-naive", theirs -> {}, "zz-java", "glare resolved");
    }

    @Test
    void candidatesThatCameBeforeACrossingOfferGoToTheSessionThatAnswersIt() throws Exception {
        // They trickle one candidate, then offer (crossing ours), send no more candidates and never listen
        // to ours: the connection can only form if the candidate that reached our replaced initiator
        // session is carried over to the answerer that replaces it.
        crossOffersAndChat(
                "aa-early",
                theirs -> {
                    theirs.candidatesBeforeOffer = true;
                    theirs.deaf = true;
                },
                "zz-carry",
                "carried over");
    }
}
