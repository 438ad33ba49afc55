package dev.rendezvous.cluster.redis;

import dev.rendezvous.server.hub.Session;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** A client of this node: the Redis hub's entry for its session. Fields are read from any thread. */
final class LocalClient implements Session.Entry {
    final Session session;
    /**
     * The lobby peer, anywhere in the cluster; null when unpaired. Set on the backplane loop; ended by the
     * client itself ({@link #unpairSelf}) or by its peer ({@code ClusterPairs.tellUnpaired}), under this
     * client's monitor, so that an end told to the client is never also one it made itself.
     */
    final AtomicReference<ClusterPeer> peer = new AtomicReference<>();
    /** Departure runs once. */
    final AtomicBoolean gone = new AtomicBoolean();
    /** Redis holds the id for this client. */
    volatile boolean admitted;
    /** {@code users_in_room} was sent; written on the backplane loop. */
    volatile boolean joined;

    LocalClient(Session session) {
        this.session = session;
    }

    String id() {
        return session.id();
    }

    /** This client ends its pairing itself (an unpair, its departure): the peer it had, or null. */
    ClusterPeer unpairSelf() {
        synchronized (this) {
            return peer.getAndSet(null);
        }
    }

    /** The peer's id once an end under way is complete (its {@code peer_disconnected} may be out already). */
    String settledPeerId() {
        synchronized (this) {
            return peerId();
        }
    }

    @Override
    public String peerId() {
        ClusterPeer p = peer.get();
        return p == null ? null : p.id();
    }

    /** Whether this client may get a frame {@code from} sent in {@code room} (null: the lobby, only from its peer). */
    boolean accepts(String from, String room) {
        if (room == null) {
            ClusterPeer p = peer.get();
            return session.inLobby() && p != null && p.id().equals(from);
        }
        return room.equals(session.room());
    }
}
