package dev.rendezvous.client.rtc;

/**
 * Events of one {@link PeerSession}, all delivered in order on its event thread (never on webrtc-java's).
 * As a {@link ChannelListener} it hears the {@code chat} channel. Every method does nothing by default.
 */
public interface PeerSessionListener extends ChannelListener {
    default void onIceState(PeerSession session, IceState state) {}

    default void onConnectionState(PeerSession session, ConnectionState state) {}

    /**
     * The remote peer opened a channel other than {@code chat}. Return its listener, or null to refuse it
     * (the channel is closed at once, and the remote sees it close).
     */
    default ChannelListener onRemoteChannel(PeerSession session, DataChannel channel) {
        return null;
    }

    /** Negotiation failed (bad remote SDP, libwebrtc error); the session stays usable if it can. */
    default void onError(PeerSession session, String message) {}

    /** The session is closed (every channel closed before); called once, last. */
    default void onClosed(PeerSession session) {}
}
