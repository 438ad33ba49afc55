package dev.rendezvous.client.signaling;

import dev.rendezvous.client.EventLines;
import dev.rendezvous.protocol.Message.RoomUser;
import java.time.Duration;
import java.util.List;

/** Every signaling event as one line ({@code paired bob true}, {@code offer alice v=0...}); waits with deadlines. */
final class SignalingRecorder implements SignalingListener {
    static final Duration WAIT = Duration.ofSeconds(10);
    final EventLines events = new EventLines(WAIT);

    @Override
    public void onAuthRequired(SignalingClient client) {
        events.add("auth_required");
    }

    @Override
    public void onAuthSuccess(SignalingClient client, String user, String clientId) {
        events.add("auth_success " + user);
    }

    @Override
    public void onPaired(SignalingClient client, String peerId, boolean initiator) {
        events.add("paired " + peerId + " " + initiator);
    }

    @Override
    public void onPeerDisconnected(SignalingClient client, String peerId) {
        events.add("peer_disconnected " + peerId);
    }

    @Override
    public void onUsersInRoom(SignalingClient client, List<RoomUser> users) {
        events.add("users_in_room "
                + users.stream().map(RoomUser::clientId).sorted().toList());
    }

    @Override
    public void onUserJoined(SignalingClient client, RoomUser user) {
        events.add("user_joined " + user.clientId());
    }

    @Override
    public void onUserLeft(SignalingClient client, RoomUser user) {
        events.add("user_left " + user.clientId());
    }

    @Override
    public void onOffer(SignalingClient client, String from, String sdp) {
        events.add("offer " + from + " " + sdp);
    }

    @Override
    public void onAnswer(SignalingClient client, String from, String sdp) {
        events.add("answer " + from + " " + sdp);
    }

    @Override
    public void onCandidate(SignalingClient client, String from, RemoteCandidate candidate) {
        events.add("candidate " + from + " " + candidate.candidate() + " " + candidate.sdpMid() + " "
                + candidate.sdpMLineIndex());
    }

    @Override
    public void onError(SignalingClient client, String code, String message, String ref) {
        events.add("error " + code);
    }

    @Override
    public void onClosed(SignalingClient client, int code, String reason) {
        events.add("closed " + code);
    }

    @Override
    public void onSignalingLost(SignalingClient client, int code, String reason) {
        events.add("lost");
    }

    @Override
    public void onResumed(SignalingClient client, int replayed, int resent) {
        events.add("resumed replayed=" + replayed + " resent=" + resent);
    }

    @Override
    public void onResumeFailed(SignalingClient client, String newId, String reason) {
        events.add("resume_failed " + newId);
    }

    /** The next event, whatever it is. */
    String next() throws InterruptedException {
        return events.next();
    }

    /** Waits for {@code expected}; events skipped meanwhile stay available to {@link #await} (not {@link #next}). */
    void await(String expected) throws InterruptedException {
        events.await(expected);
    }
}
