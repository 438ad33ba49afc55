package dev.rendezvous.server.session;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.MessageType;
import dev.rendezvous.server.hub.Echo;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.hub.Session;
import io.netty.buffer.ByteBuf;

/**
 * Relays an SDP/ICE message (the hot path): the frame is spliced from the bytes just scanned
 * ({@link FrameSplicer}, stamped with the sender) into a transport buffer and handed to the hub, which
 * routes it to the paired peer, the named room member, or every other member of the room. A refusal
 * comes back as an error to the sender; the session carries on.
 *
 * <p>Stateless; runs on the sending connection's thread and allocates nothing but the outbound buffer.
 */
final class RelayHandler {
    private RelayHandler() {}

    /**
     * @param to the {@code to} field, or null (the paired peer in the lobby, everyone else in a room)
     * @param scanner holds the frame's bytes (its last scan)
     * @param arrived when the frame arrived, for the relay-time histogram
     */
    static void relay(Connection c, MessageType type, String to, FrameScanner scanner, long arrived) {
        Session session = c.session();
        byte[] stamp = session.stamp();
        ByteBuf out = c.transport.frameBuffer(FrameSplicer.maxLength(scanner, stamp.length));
        FrameSplicer.writeStamped(scanner, out, stamp, session.username() != null);
        Hub.RelayResult result = c.settings.hub().relay(session, to, out);
        switch (result) {
            case DELIVERED -> c.settings.observer().relayed(type, c.transport.nanoTime() - arrived);
            case DROPPED_SELF -> {}
            case TARGET_NOT_FOUND ->
                c.sendError(
                        ErrorCode.TARGET_NOT_FOUND,
                        session.inLobby()
                                ? "\"to\" must name your paired peer"
                                : "no client " + Echo.prefix(to) + " in room " + c.room,
                        type.wireName());
            case NOT_PAIRED ->
                c.sendError(
                        ErrorCode.NOT_PAIRED, "pair with a peer before sending " + type.wireName(), type.wireName());
            case CLUSTER_UNAVAILABLE ->
                c.sendError(
                        ErrorCode.CLUSTER_UNAVAILABLE,
                        "the receiver is on another node and the cluster backplane is unavailable",
                        type.wireName());
        }
    }
}
