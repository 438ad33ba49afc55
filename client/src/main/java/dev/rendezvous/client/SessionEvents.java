package dev.rendezvous.client;

import dev.rendezvous.client.rtc.ChannelListener;
import dev.rendezvous.client.rtc.ConnectionState;
import dev.rendezvous.client.rtc.DataChannel;
import dev.rendezvous.client.rtc.IceState;
import dev.rendezvous.client.rtc.PeerSession;
import dev.rendezvous.client.rtc.PeerSessionListener;
import dev.rendezvous.client.rtc.RefusalReason;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A {@link Peer}'s session events, already on its event thread (the sessions live on it): straight to the
 * peer's listener, for the current session only (a replaced session's late events are not the peer's news).
 * Threading: event thread only; {@code sessions} is the peer's own map, written only there.
 */
final class SessionEvents implements PeerSessionListener {
    private final Map<String, PeerSession> sessions;
    private final PeerListener listener;

    SessionEvents(Map<String, PeerSession> sessions, PeerListener listener) {
        this.sessions = sessions;
        this.listener = listener;
    }

    private boolean current(PeerSession session) {
        return sessions.get(session.remoteId()) == session;
    }

    @Override
    public void onConnectionState(PeerSession session, ConnectionState state) {
        if (current(session)) {
            listener.onConnectionState(session.remoteId(), state);
        }
    }

    @Override
    public void onIceState(PeerSession session, IceState state) {
        if (current(session)) {
            listener.onIceState(session.remoteId(), state);
        }
    }

    @Override
    public void onOpen(DataChannel channel) {
        PeerSession session = sessions.get(channel.peerId());
        if (session != null && session.chat() == channel) {
            listener.onChannelOpen(channel.peerId());
        }
    }

    @Override
    public void onClosed(DataChannel channel) {
        listener.onChannelClosed(channel.peerId());
    }

    @Override
    public void onMessage(DataChannel channel, String text) {
        listener.onMessage(channel.peerId(), text);
    }

    @Override
    public void onMessage(DataChannel channel, ByteBuffer data) {
        listener.onMessage(channel.peerId(), data);
    }

    @Override
    public void onUndelivered(DataChannel channel, String text, RefusalReason reason) {
        listener.onUndelivered(channel.peerId(), text, reason);
    }

    @Override
    public void onUndelivered(DataChannel channel, ByteBuffer data, RefusalReason reason) {
        listener.onUndelivered(channel.peerId(), data, reason);
    }

    @Override
    public ChannelListener onRemoteChannel(PeerSession session, DataChannel channel) {
        return current(session) ? listener.onRemoteChannel(session.remoteId(), channel) : null;
    }

    @Override
    public void onError(PeerSession session, String message) {
        listener.onError("webrtc", session.remoteId() + ": " + message);
    }
}
