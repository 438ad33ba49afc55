package dev.rendezvous.client;

import dev.rendezvous.client.rtc.RtcRuntime;
import dev.rendezvous.client.rtc.SessionConfig;
import dev.rendezvous.client.signaling.SignalingOptions;
import java.net.URI;

/**
 * How a {@link Peer} connects.
 *
 * @param signaling server URL (the lobby URL, e.g. {@code ws://127.0.0.1:8765/ws}), token, requested id and name
 * @param room the room to join, or null for the lobby
 * @param session WebRTC settings; its ICE servers are replaced by the server's ({@code your_id})
 *     unless {@code keepIceServers}
 * @param keepIceServers use {@code session}'s ICE servers instead of the server's
 * @param runtime a shared libwebrtc runtime the caller owns and closes, or null: the peer makes its own
 *     and disposes it on {@link Peer#close()}
 */
public record PeerOptions(
        SignalingOptions signaling, String room, SessionConfig session, boolean keepIceServers, RtcRuntime runtime) {

    /** The lobby of {@code server}, loopback mode off. */
    public static PeerOptions lobby(URI server) {
        return new PeerOptions(
                SignalingOptions.of(server),
                null,
                SessionConfig.loopbackDefaults().withLoopback(false),
                false,
                null);
    }

    public PeerOptions inRoom(String roomName) {
        return new PeerOptions(signaling, roomName, session, keepIceServers, runtime);
    }

    public PeerOptions withSignaling(SignalingOptions newSignaling) {
        return new PeerOptions(newSignaling, room, session, keepIceServers, runtime);
    }

    public PeerOptions withSession(SessionConfig newSession) {
        return new PeerOptions(signaling, room, newSession, keepIceServers, runtime);
    }

    public PeerOptions withLoopback(boolean on) {
        return withSession(session.withLoopback(on));
    }

    /** Uses these ICE servers instead of the ones the signaling server announces. */
    public PeerOptions withIceServers(java.util.List<dev.rendezvous.protocol.IceServer> servers) {
        return new PeerOptions(signaling, room, session.withIceServers(servers), true, runtime);
    }

    public PeerOptions withRuntime(RtcRuntime shared) {
        return new PeerOptions(signaling, room, session, keepIceServers, shared);
    }

    /** The URL actually connected to: the lobby URL, or its room URL. */
    URI connectUri() {
        return room == null ? signaling.server() : SignalingOptions.roomUri(signaling.server(), room);
    }
}
