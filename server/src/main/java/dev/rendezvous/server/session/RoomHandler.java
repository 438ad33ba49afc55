package dev.rendezvous.server.session;

import dev.rendezvous.server.hub.Session;

/**
 * Room membership of a {@code /ws/{room}} connection: it joins its room once admitted (the hub then
 * sends {@code users_in_room} to it and {@code user_joined} to the others) and leaves it with its
 * departure ({@code Hub.depart}, which every connection makes). A lobby connection has no room.
 *
 * <p>Stateless; runs on the connection's thread.
 */
final class RoomHandler {
    private RoomHandler() {}

    /** {@code session} was just admitted on {@code c}. */
    static void enter(Connection c, Session session) {
        if (c.room != null) {
            c.settings.hub().join(session);
        }
    }
}
