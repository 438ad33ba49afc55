package dev.rendezvous.cluster.redis;

import dev.rendezvous.server.hub.Session;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** This node's clients by id (admitted or being admitted); thread-safe. */
final class LocalClients {
    private final ConcurrentMap<String, LocalClient> byId = new ConcurrentHashMap<>();
    /** Set when the node shuts down: its clients are all being closed; tell them nothing. */
    private volatile boolean goingAway;

    /** Adds a client for {@code session}; null when a client of this node has that id already. */
    LocalClient add(Session session) {
        LocalClient client = new LocalClient(session);
        return byId.putIfAbsent(session.id(), client) == null ? client : null;
    }

    void remove(LocalClient client) {
        byId.remove(client.id(), client);
    }

    /** The client with {@code id}, or null. */
    LocalClient get(String id) {
        return byId.get(id);
    }

    /** {@code session}'s client while it is still this node's, else null. */
    LocalClient of(Session session) {
        LocalClient c = byId.get(session.id());
        return c != null && c.session == session ? c : null;
    }

    Collection<LocalClient> all() {
        return byId.values();
    }

    void goingAway() {
        goingAway = true;
    }

    /** Whether this node's clients are being closed (notices to them are pointless, or harmful). */
    boolean isGoingAway() {
        return goingAway;
    }
}
