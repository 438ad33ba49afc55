package dev.rendezvous.client.rtc;

import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSignalingState;

/**
 * Events of one {@link PeerSession}, all delivered in order on the session's own executor (never on
 * webrtc-java's thread). Every method does nothing by default.
 */
public interface PeerSessionListener {
    default void onSignalingState(PeerSession session, RTCSignalingState state) {}

    default void onIceConnectionState(PeerSession session, RTCIceConnectionState state) {}

    default void onConnectionState(PeerSession session, RTCPeerConnectionState state) {}

    /** The {@code chat} data channel is open; queued messages are being flushed. */
    default void onChannelOpen(PeerSession session) {}

    /** The channel closed (the peer left, or this side closed). */
    default void onChannelClosed(PeerSession session) {}

    /** One text message from the peer (binary messages are decoded as UTF-8). */
    default void onMessage(PeerSession session, String text) {}

    /** A message that had been QUEUED was refused later (expired, or the session closed). */
    default void onUndelivered(PeerSession session, String text, RefusalReason reason) {}

    /** Negotiation failed (bad remote SDP, libwebrtc error); the session stays usable if it can. */
    default void onError(PeerSession session, String message) {}

    /** The session is closed; called once, last. */
    default void onClosed(PeerSession session) {}
}
