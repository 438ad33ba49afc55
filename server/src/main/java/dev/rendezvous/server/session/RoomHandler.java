package dev.rendezvous.server.session;

import dev.rendezvous.server.hub.JoinResult;
import dev.rendezvous.server.hub.Refusal;
import dev.rendezvous.server.hub.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room membership of a {@code /ws/{room}} connection: it joins its room once admitted (the hub then
 * sends {@code users_in_room} to it and {@code user_joined} to the others, or answers with a
 * {@link Refusal}) and leaves it with its departure ({@code Hub.depart}, which every connection makes).
 * A lobby connection has no room.
 *
 * <p>Stateless; runs on the connection's thread (a cluster's answer is brought back to it).
 */
final class RoomHandler {
    private static final Logger log = LoggerFactory.getLogger(Connection.class); // one logger for a connection's lines

    private RoomHandler() {}

    /** {@code session} was just admitted on {@code c}. */
    static void enter(Connection c, Session session) {
        if (c.room != null) {
            c.whenDone(c.settings.hub().join(session), (result, failure) -> onJoinResult(c, result, failure));
        }
    }

    private static void onJoinResult(Connection c, JoinResult result, Throwable failure) {
        if (c.phase() != Connection.Phase.ADMITTED) {
            return;
        }
        if (failure != null) {
            log.warn("join client={} failed", c.clientId(), failure);
            c.onRefusal(JoinResult.unavailable(), null); // a hub answers its refusals; this is a bug's safety net
            return;
        }
        switch (result) {
            case JoinResult.Joined joined -> {}
            case Refusal refusal -> c.onRefusal(refusal, null);
        }
    }
}
