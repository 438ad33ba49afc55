package dev.rendezvous.client.rtc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Signaling between two sessions in one JVM: what one side signals is handed to the other. An optional
 * hook holds the initiator's offer back until its first candidate went ahead, so the answerer sees
 * candidates before any remote description.
 */
final class LocalLink {
    PeerSession initiator;
    PeerSession answerer;
    boolean candidatesBeforeOffer;
    UnaryOperator<String> offerFilter = UnaryOperator.identity();
    private String heldOffer;
    final List<String> initiatorCandidates = new ArrayList<>();
    final List<String> answererCandidates = new ArrayList<>();

    /**
     * A session with nobody on the other side, for tests of what happens before or without a connection:
     * it must not be started (its offer would have nowhere to go).
     */
    static PeerSession unanswered(
            RtcRuntime rtc, String remoteId, boolean initiator, SessionConfig config, PeerSessionListener listener) {
        LocalLink nobody = new LocalLink();
        SignalSink sink = initiator ? nobody.initiatorSink() : nobody.answererSink();
        return PeerSession.create(rtc, remoteId, initiator, config, sink, listener, null);
    }

    SignalSink initiatorSink() {
        return new SignalSink() {
            @Override
            public void offer(String sdp) {
                String filtered = offerFilter.apply(sdp);
                synchronized (LocalLink.this) {
                    if (candidatesBeforeOffer) {
                        heldOffer = filtered;
                        return;
                    }
                }
                answerer.acceptOffer(filtered);
            }

            @Override
            public void answer(String sdp) {
                throw new AssertionError("the initiator never answers");
            }

            @Override
            public void candidate(String candidate, String sdpMid, int sdpMLineIndex) {
                String offer;
                synchronized (LocalLink.this) {
                    initiatorCandidates.add(candidate);
                    offer = heldOffer;
                    heldOffer = null;
                }
                answerer.acceptCandidate(candidate, sdpMid, sdpMLineIndex);
                if (offer != null) {
                    answerer.acceptOffer(offer);
                }
            }
        };
    }

    SignalSink answererSink() {
        return new SignalSink() {
            @Override
            public void offer(String sdp) {
                throw new AssertionError("the answerer never offers");
            }

            @Override
            public void answer(String sdp) {
                initiator.acceptAnswer(sdp);
            }

            @Override
            public void candidate(String candidate, String sdpMid, int sdpMLineIndex) {
                synchronized (LocalLink.this) {
                    answererCandidates.add(candidate);
                }
                initiator.acceptCandidate(candidate, sdpMid, sdpMLineIndex);
            }
        };
    }
}
