package dev.rendezvous.client.signaling;

import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.protocol.Message.RoomUser;
import java.util.List;

/**
 * Events of protocol v1 as a {@link SignalingClient} receives them. Every method does nothing by
 * default; implement what you need. Calls come one at a time, in frame order (see the package rule).
 */
public interface SignalingListener {

    /** The server asked for a token; the client answers itself when it was given one. */
    default void onAuthRequired(SignalingClient client) {}

    default void onAuthSuccess(SignalingClient client, String user, String clientId) {}

    /** Admitted: our id and the ICE servers to use. */
    default void onId(SignalingClient client, String id, List<IceServer> iceServers) {}

    /** Lobby: paired with {@code peerId}; the initiator creates the channel and offers. */
    default void onPaired(SignalingClient client, String peerId, boolean initiator) {}

    /** Lobby: the peer left or unpaired; we are free to pair again. */
    default void onPeerDisconnected(SignalingClient client, String peerId) {}

    /** Room: the other members, sent once to the joiner. */
    default void onUsersInRoom(SignalingClient client, List<RoomUser> users) {}

    default void onUserJoined(SignalingClient client, RoomUser user) {}

    default void onUserLeft(SignalingClient client, RoomUser user) {}

    /** A relayed offer; {@code from} is the server-stamped sender (null only from a non-stamping server). */
    default void onOffer(SignalingClient client, String from, String sdp) {}

    default void onAnswer(SignalingClient client, String from, String sdp) {}

    /** A relayed candidate ({@code candidate} or {@code ice_candidate}); end-of-candidates is not reported. */
    default void onCandidate(SignalingClient client, String from, RemoteCandidate candidate) {}

    /** An {@code error} from the server; {@code ref} may be null. */
    default void onError(SignalingClient client, String code, String message, String ref) {}

    /**
     * Resume (v1.1): the connection was lost without a close; the session is kept by the server for its
     * grace and the client is reconnecting. Sends wait meanwhile. {@link #onResumed} or
     * {@link #onResumeFailed} follows (or {@link #onClosed}, if the client is closed first).
     */
    default void onSignalingLost(SignalingClient client, int code, String reason) {}

    /** Resume attempt {@code attempt} (1, 2, ...) is connecting. */
    default void onResuming(SignalingClient client, int attempt) {}

    /**
     * The session is back on a new connection: same id, pairing and room. {@code replayed} frames the
     * server kept follow (they arrive as ordinary events); {@code resent} of ours went out again.
     */
    default void onResumed(SignalingClient client, int replayed, int resent) {}

    /**
     * The session could not be resumed (grace expired, unknown id...): this is a fresh session with id
     * {@code newId} (reported by {@link #onId} just before); the pairing or room membership is lost and
     * the frames queued meanwhile were refused.
     */
    default void onResumeFailed(SignalingClient client, String newId, String reason) {}

    /** The connection closed for good (by either side, not resumed); called once. */
    default void onClosed(SignalingClient client, int code, String reason) {}

    /** The connection failed (I/O error); {@link #onClosed} follows. */
    default void onFailure(SignalingClient client, Throwable error) {}
}
