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

    /** The connection closed (by either side); called once. */
    default void onClosed(SignalingClient client, int code, String reason) {}

    /** The connection failed (I/O error); {@link #onClosed} follows. */
    default void onFailure(SignalingClient client, Throwable error) {}
}
