package dev.rendezvous.server.peerjs;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.server.hub.Link;
import dev.rendezvous.server.hub.Session;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One PeerJS id held by a client: its token (a same-token connection takes the id over) and its current
 * socket, which a takeover swaps. It is the {@link Link} of its hub {@link Session}: v1 clients cannot
 * address it (its scope is no room they can name); the hub sends it only what PeerJS clients deliver to
 * it by id ({@code Hub.deliver}, from another node), which goes through the realm.
 */
final class PeerClient implements Link {
    private final String id;
    private final String token;
    /** Its id as a JSON string: the {@code src} of every message it sends. */
    private final byte[] srcValue;

    private final AtomicReference<PeerJsSocketHandler> socket;
    private final PeerJsRealm realm;
    private volatile Session session;
    /** {@code OPEN} was sent: messages may go to the socket (before, they wait in the realm's queue). */
    private volatile boolean open;

    PeerClient(String id, String token, PeerJsSocketHandler socket, PeerJsRealm realm) {
        this.id = id;
        this.token = token;
        this.srcValue = PeerJsMessages.srcValue(id);
        this.socket = new AtomicReference<>(socket);
        this.realm = realm;
    }

    void opened() {
        open = true;
    }

    /** Whether messages go to its socket now: {@code OPEN} was sent and the client has not left. */
    boolean ready() {
        return open && socket.get() != null;
    }

    String id() {
        return id;
    }

    byte[] srcValue() {
        return srcValue;
    }

    boolean tokenMatches(String other) {
        return token.equals(other);
    }

    /**
     * What a cluster keeps beside the id so that a same-token connection on another node can take it over
     * ({@code Hub.register(Session, String)}): the SHA-256 of the token, never the token itself.
     */
    String takeoverKey() {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    Session session() {
        return session;
    }

    void session(Session s) {
        this.session = s;
    }

    /** The current socket, or null once the client left. */
    PeerJsSocketHandler socket() {
        return socket.get();
    }

    /** A same-token takeover: {@code next} replaces {@code current}; false if the client already left. */
    boolean replace(PeerJsSocketHandler current, PeerJsSocketHandler next) {
        return current != null && socket.compareAndSet(current, next);
    }

    /** The socket {@code closed} ended: true if it was the current one (the client leaves), once. */
    boolean release(PeerJsSocketHandler closed) {
        return socket.compareAndSet(closed, null);
    }

    /** Sends one message (takes the buffer); false when there is no open socket to take it (a failed delivery). */
    boolean deliver(ByteBuf utf8Json) {
        PeerJsSocketHandler s = socket.get();
        if (s == null) {
            utf8Json.release();
            return false;
        }
        return s.send(utf8Json);
    }

    /** A message the hub delivered by id (v1 clients cannot address a PeerJS scope: only PeerJS messages come here). */
    @Override
    public void send(ByteBuf utf8Json) {
        realm.fromHub(this, utf8Json);
    }

    @Override
    public void close(CloseCode code, String reason) {
        PeerJsSocketHandler s = socket.get();
        if (s != null) {
            s.close(code.code(), reason);
        }
    }

    @Override
    public String toString() {
        return "PeerClient[" + id + "]";
    }
}
