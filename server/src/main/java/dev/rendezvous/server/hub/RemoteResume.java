package dev.rendezvous.server.hub;

import io.netty.buffer.ByteBuf;

/**
 * Resume on another node of a cluster (v1.1): the seam between a server's connections and a backplane
 * ({@link Hub#resumeElsewhere}, {@link Hub#serveResumes}).
 *
 * <p>A resumable session stays on the node that admitted it (its <em>owner</em>): its buffer, counters,
 * token, pairing and room membership never move. A client that comes back on another node (the
 * <em>client's node</em>) is carried there by a <em>tunnel</em>: the client's node forwards what the
 * client sends ({@link Upstream}) and the owner sends the client's frames back ({@link Downstream}). The
 * owner runs the session's protocol logic as for a local connection, so counting, replay, keepalive and
 * every rule hold unchanged; the backplane keeps each direction in order.
 */
public final class RemoteResume {
    private RemoteResume() {}

    /**
     * The owner's side of a tunnel: what it sends to the client on the other node, in the order of the
     * calls. Thread-safe (relays into the session call it from any thread).
     */
    public interface Downstream {
        /** A text frame for the client; takes ownership of {@code utf8Json}. */
        void send(ByteBuf utf8Json);

        /** The owner closed the connection with {@code code} (its session already detached or departed there). */
        void close(int code, String reason);
    }

    /**
     * The client's node's side of a tunnel: what the client's connection did, forwarded to the owner in
     * the order of the calls. Called from the client connection's thread.
     */
    public interface Upstream {
        /** A text frame from the client: {@code utf8[0, length)}, only read during the call. */
        void text(byte[] utf8, int length);

        /** A binary frame from the client (refused by the owner like on a local connection). */
        void binary();

        /** A frame over the size limit {@code limit} (the owner sends the error and closes 1009). */
        void tooLarge(int limit);

        /**
         * The client's connection ended; {@code detachable}: without a close frame from the client (the
         * session detaches on the owner), else with one or by a close this node decided (it departs).
         */
        void ended(boolean detachable);
    }

    /** The owner's answer to a resume asked from another node. */
    public sealed interface Answer {
        /** Resumed: {@code resumed} and the {@code replayed} frames come through the tunnel first. */
        record Resumed(int replayed, Upstream upstream) implements Answer {}

        /** Refused: {@code reason} is the metric's reason, {@code sentence} the error's message. */
        record Failed(String reason, String sentence) implements Answer {}

        /** No node holds a session with that id. */
        record Unknown() implements Answer {}
    }

    /** The owner node's server: resumes one of its sessions for a client on another node. */
    public interface Owner {
        /**
         * Checks the token and {@code received} against the session {@code id} exactly as for a local
         * resume; on success the session's frames go to {@code toClient} from now on (the first one
         * {@code resumed}, then the replay). Never blocks.
         */
        Answer resume(String id, byte[] token, long received, String clientNode, Downstream toClient);
    }
}
