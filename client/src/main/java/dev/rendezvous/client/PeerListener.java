package dev.rendezvous.client;

import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.rendezvous.client.rtc.RefusalReason;

/**
 * What a {@link Peer} reports. Every method does nothing by default. Calls run one at a time on the
 * peer's event thread (never webrtc-java's); {@code peerId} names the remote peer concerned.
 */
public interface PeerListener {
    /** Lobby: paired; a fresh connection to {@code peerId} is being made. */
    default void onPaired(String peerId, boolean initiator) {}

    /** Room: the other members present when we joined. */
    default void onRoomMembers(java.util.List<String> peerIds) {}

    /** Room: someone joined (they will offer to us). */
    default void onPeerJoined(String peerId, String username) {}

    /**
     * The peer left (lobby {@code peer_disconnected}, room {@code user_left}); its connection is closed.
     * In the lobby we are ready for a new pairing.
     */
    default void onPeerLeft(String peerId) {}

    default void onConnectionState(String peerId, RTCPeerConnectionState state) {}

    default void onIceConnectionState(String peerId, RTCIceConnectionState state) {}

    default void onChannelOpen(String peerId) {}

    default void onChannelClosed(String peerId) {}

    default void onMessage(String peerId, String text) {}

    /** A queued message to {@code peerId} was refused later (expired, or its connection closed). */
    default void onUndelivered(String peerId, String text, RefusalReason reason) {}

    /** A server {@code error}, or a negotiation failure ({@code code} = {@code "webrtc"}). */
    default void onError(String code, String message) {}

    /** The signaling connection closed; open data channels carry on. */
    default void onSignalingClosed(int code, String reason) {}
}
