package dev.rendezvous.client;

import dev.rendezvous.client.rtc.ChannelListener;
import dev.rendezvous.client.rtc.ConnectionState;
import dev.rendezvous.client.rtc.DataChannel;
import dev.rendezvous.client.rtc.IceState;
import dev.rendezvous.client.rtc.RefusalReason;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * What a {@link Peer} reports. Every method does nothing by default. Calls run one at a time, in order,
 * on the peer's one event thread (never webrtc-java's, never the caller's): keep them short and do not
 * block in them; calling the peer back ({@code send}, {@code pair}, {@code leave}, even {@code close}) is
 * fine. {@code peerId} names the remote peer concerned.
 *
 * <p>Order for one remote peer: {@link #onPaired} (lobby) or {@link #onRoomMembers}/{@link #onPeerJoined}
 * (room) → {@link #onIceState}/{@link #onConnectionState} as they change → {@link #onChannelOpen} →
 * messages → {@link #onChannelClosed} (only after an open) → {@link #onPeerLeft}. The chat methods
 * concern the {@code chat} channel; other channels report to their own {@link ChannelListener}.
 */
public interface PeerListener {
    /** Lobby: paired; a fresh connection to {@code peerId} is being made. */
    default void onPaired(String peerId, boolean initiator) {}

    /** Room: the other members present when we joined. */
    default void onRoomMembers(List<String> peerIds) {}

    /** Room: someone joined (they will offer to us). */
    default void onPeerJoined(String peerId, String username) {}

    /**
     * The peer left (lobby {@code peer_disconnected}, room {@code user_left}); its connection is closed.
     * In the lobby we are ready for a new pairing.
     */
    default void onPeerLeft(String peerId) {}

    default void onConnectionState(String peerId, ConnectionState state) {}

    default void onIceState(String peerId, IceState state) {}

    /** The {@code chat} channel with {@code peerId} is open; lines queued meanwhile are going out. */
    default void onChannelOpen(String peerId) {}

    /** The {@code chat} channel that was open closed. */
    default void onChannelClosed(String peerId) {}

    /** A text message on the {@code chat} channel. */
    default void onMessage(String peerId, String text) {}

    /** A binary message on the {@code chat} channel; the buffer is the listener's to keep. */
    default void onMessage(String peerId, ByteBuffer data) {}

    /** A queued text message to {@code peerId} was refused later (expired, or its connection closed). */
    default void onUndelivered(String peerId, String text, RefusalReason reason) {}

    /** A queued binary message to {@code peerId} was refused later. */
    default void onUndelivered(String peerId, ByteBuffer data, RefusalReason reason) {}

    /**
     * {@code peerId} opened a channel other than {@code chat} (a file transfer, say). Return the listener
     * for it, or null to refuse it: it is closed at once and the remote sees it close.
     */
    default ChannelListener onRemoteChannel(String peerId, DataChannel channel) {
        return null;
    }

    /**
     * A server {@code error}, a negotiation failure ({@code code} = {@code "webrtc"}), or a signaling
     * message that could not be sent ({@code code} = {@code "signaling"}: connection gone, or the server
     * stopped reading and the send backlog is full).
     */
    default void onError(String code, String message) {}

    /** The signaling connection closed; open data channels carry on. */
    default void onSignalingClosed(int code, String reason) {}
}
