package dev.rendezvous.client;

import dev.rendezvous.client.rtc.ConnectionState;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link Peer}'s events as one line each, handed to {@code out}: {@code paired bob true},
 * {@code joined bob}, {@code left bob}, {@code connected bob}, {@code open bob}, {@code closed bob},
 * {@code error peer_not_found}, {@code signaling lost}, {@code signaling resumed},
 * {@code resume failed <new id> [<lost peers>]}, {@code signaling closed <code>}. Messages are left to
 * the subclass (a recorder keeps them apart, a peer process prints them). One format for the in-JVM
 * recorder and the peer process, so a test reads both the same way.
 */
public class PeerEventLines implements PeerListener {
    private final Consumer<String> out;

    public PeerEventLines(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void onPaired(String peerId, boolean initiator) {
        out.accept("paired " + peerId + " " + initiator);
    }

    @Override
    public void onPeerJoined(String peerId, String username) {
        out.accept("joined " + peerId);
    }

    @Override
    public void onPeerLeft(String peerId) {
        out.accept("left " + peerId);
    }

    @Override
    public void onConnectionState(String peerId, ConnectionState state) {
        if (state == ConnectionState.CONNECTED) {
            out.accept("connected " + peerId);
        }
    }

    @Override
    public void onChannelOpen(String peerId) {
        out.accept("open " + peerId);
    }

    @Override
    public void onChannelClosed(String peerId) {
        out.accept("closed " + peerId);
    }

    @Override
    public void onError(String code, String message) {
        out.accept("error " + code);
    }

    @Override
    public void onSignalingLost(String reason) {
        out.accept("signaling lost");
    }

    @Override
    public void onSignalingResumed(int replayed, int resent) {
        out.accept("signaling resumed");
    }

    @Override
    public void onSignalingResumeFailed(String newId, List<String> lostPeers, String reason) {
        out.accept("resume failed " + newId + " " + lostPeers);
    }

    @Override
    public void onSignalingClosed(int code, String reason) {
        out.accept("signaling closed " + code);
    }
}
