package dev.rendezvous.client.rtc;

/**
 * Where a session's outbound signaling goes (the signaling client, or another session in tests).
 * Called on the session's executor, never on webrtc-java's thread.
 */
public interface SignalSink {
    void offer(String sdp);

    void answer(String sdp);

    /** One local ICE candidate ({@code candidate:…} line, already rewritten in loopback mode). */
    void candidate(String candidate, String sdpMid, int sdpMLineIndex);
}
