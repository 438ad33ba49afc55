package dev.rendezvous.cli;

import dev.rendezvous.client.PeerListener;
import dev.rendezvous.client.rtc.ConnectionState;
import dev.rendezvous.client.rtc.IceState;
import dev.rendezvous.client.rtc.RefusalReason;
import java.util.List;
import java.util.Set;

/**
 * {@code chat}'s peer events, printed as status lines; a pairing's outcome also goes to the {@link ChatOutbox}
 * (lines held for it are sent or refused); {@code lobby} words the hints for the lobby. Runs on the peer's
 * event thread.
 */
record ChatEvents(ChatConsole console, ChatOutbox outbox, boolean lobby) implements PeerListener {
    /** The server's refusals of a pair_request (protocol v1, "Lobby"). */
    private static final Set<String> PAIR_REFUSALS =
            Set.of("peer_not_found", "peer_busy", "already_paired", "self_pair");

    @Override
    public void onPaired(String peerId, boolean initiator) {
        console.status("paired with " + peerId + (initiator ? " (we offer)" : " (they offer)"));
        outbox.paired(peerId);
    }

    @Override
    public void onRoomMembers(List<String> peerIds) {
        console.status(
                peerIds.isEmpty() ? "room is empty; waiting for others" : "in the room: " + String.join(", ", peerIds));
    }

    @Override
    public void onPeerJoined(String peerId, String username) {
        console.status(peerId + (username != null ? " (" + username + ")" : "") + " joined");
    }

    @Override
    public void onPeerLeft(String peerId) {
        console.status(peerId + " left" + (lobby ? "; ready for a new peer (/pair <id>, or wait to be paired)" : ""));
    }

    @Override
    public void onIceState(String peerId, IceState state) {
        console.status(peerId + ": ICE " + state.name().toLowerCase());
    }

    @Override
    public void onConnectionState(String peerId, ConnectionState state) {
        console.status(peerId + ": connection " + state.name().toLowerCase());
    }

    @Override
    public void onChannelOpen(String peerId) {
        console.status(peerId + ": channel open, type to chat");
    }

    @Override
    public void onChannelClosed(String peerId) {
        console.status(peerId + ": channel closed");
    }

    @Override
    public void onMessage(String peerId, String text) {
        console.message(peerId, text);
    }

    @Override
    public void onUndelivered(String peerId, String text, RefusalReason reason) {
        console.status("not delivered to " + peerId + " (" + ChatDeliveries.describe(reason) + "): "
                + ChatConsole.oneLine(text));
    }

    @Override
    public void onError(String code, String message) {
        console.status("error " + code + ": " + message);
        if (PAIR_REFUSALS.contains(code)) {
            outbox.pairingFailed(code);
        }
    }

    @Override
    public void onSignalingClosed(int code, String reason) {
        console.status("signaling connection closed (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason)
                + ")");
        outbox.pairingFailed("the connection to the server closed");
    }

    // Resume (v1.1): the chat itself goes on over the data channel while signaling is away.
    @Override
    public void onSignalingLost(String reason) {
        console.status("signaling lost — resuming…");
    }

    @Override
    public void onSignalingResumed(int replayed, int resent) {
        console.status("resumed (" + replayed + (replayed == 1 ? " signal" : " signals") + " replayed)");
    }

    @Override
    public void onSignalingResumeFailed(String newId, List<String> lostPeers, String reason) {
        console.status("could not resume (" + reason + "): new session, id " + newId
                + (lostPeers.isEmpty() ? "" : "; connection with " + String.join(", ", lostPeers) + " closed")
                + (lobby ? "; /pair <id> to pair again" : ""));
    }
}
