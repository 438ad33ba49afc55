package dev.rendezvous.cluster.redis;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * One message on the backplane's pub/sub channels, one record per kind. The bytes are {@link
 * BackplaneCodec}'s: the one definition of the format, which the Lua scripts write too.
 */
sealed interface BackplaneMessage {

    /** A numbered change of room membership, on the events channel every node reads (in {@code seq} order). */
    sealed interface Presence extends BackplaneMessage {
        /** The presence sequence: one counter for the whole cluster. */
        long seq();
    }

    /** {@code id} (a client of {@code node}, {@code username} or null) joined {@code room}. Written by Lua. */
    record Joined(long seq, String room, String id, String node, String username) implements Presence {}

    /** {@code id} left {@code room}. Written by Lua. */
    record Left(long seq, String room, String id, String node, String username) implements Presence {}

    /** A node wrote its whole state again (its joins and leaves came as their own events). Written by Lua. */
    record Resynced(long seq) implements Presence {}

    /**
     * For one node: {@code requester} (of {@code requesterNode}) paired with the node's client {@code target};
     * {@code token} names this very pairing. Written by Lua ({@code pair.lua}).
     */
    record Paired(String target, String requester, String requesterNode, String token) implements BackplaneMessage {}

    /** For one node: its client {@code target}'s pairing {@code token} with {@code from} ended. Written by Lua. */
    record Unpaired(String target, String from, String token) implements BackplaneMessage {}

    /**
     * For one node: a relayed {@code frame} from {@code from} to its client {@code target}, sent in {@code room}
     * (null: the lobby). Written by Java. The frame is a view of the received bytes.
     */
    record Relay(String target, String from, String room, ByteBuf frame) implements BackplaneMessage {
        public Relay {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** For one node: a relayed {@code frame} from {@code from} to every member of {@code room}. Written by Java. */
    record Broadcast(String room, String from, ByteBuf frame) implements BackplaneMessage {
        public Broadcast {
            Objects.requireNonNull(frame, "frame");
        }
    }

    // ---- v1.1: resume on another node, through a tunnel (ResumeTunnels); all written by Java ----

    /** A sealed kind of its own for the resume tunnel's messages, so the hub hands them on in one case. */
    sealed interface Tunnel extends BackplaneMessage {
        /** The tunnel's id, unique in the cluster: chosen by the client's node. */
        String tunnel();
    }

    /**
     * For the owner of session {@code id}: the client's node {@code clientNode} asks to resume it for a
     * client that read {@code received} frames; {@code token} is the client's resume token (never logged).
     */
    record ResumeAsk(String tunnel, String clientNode, String id, long received, String token) implements Tunnel {
        @Override
        public String toString() {
            return "ResumeAsk[" + tunnel + " from " + clientNode + " id " + id + "]"; // not the token
        }
    }

    /** For the client's node: {@code owner} resumed the session; {@code replayed} frames follow. */
    record ResumeAccepted(String tunnel, String owner, int replayed) implements Tunnel {}

    /** For the client's node: the resume failed ({@code reason} the metric's, {@code sentence} the error's). */
    record ResumeRefused(String tunnel, String reason, String sentence) implements Tunnel {}

    /** For the client's node: a frame for the client, in order. The frame is a view of the received bytes. */
    record TunnelDown(String tunnel, ByteBuf frame) implements Tunnel {
        public TunnelDown {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** For the client's node: the owner closed the connection with {@code code}. */
    record TunnelClose(String tunnel, int code, String reason) implements Tunnel {}

    /** For the owner: a text frame the client sent, in order. The frame is a view of the received bytes. */
    record TunnelText(String tunnel, ByteBuf frame) implements Tunnel {
        public TunnelText {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** For the owner: the client sent a binary frame. */
    record TunnelBinary(String tunnel) implements Tunnel {}

    /** For the owner: the client sent a frame over the size limit {@code limit}. */
    record TunnelTooLarge(String tunnel, int limit) implements Tunnel {}

    /** For the owner: the client's connection ended ({@code detachable}: without a close frame). */
    record TunnelEnded(String tunnel, boolean detachable) implements Tunnel {}

    /**
     * For one node: a {@code frame} delivered by id to its client {@code target}, registered under {@code scope}
     * (the PeerJS endpoint's {@code Hub.deliver}). Written by Java, published by {@code deliver.lua}.
     */
    record Direct(String target, String scope, ByteBuf frame) implements BackplaneMessage {
        public Direct {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** For one node that watched {@code id}: a client of {@code scope} registered as {@code id}. Written by Lua. */
    record Arrived(String id, String scope) implements BackplaneMessage {}

    /**
     * For the node that held {@code id} (of {@code scope}): a client with the same takeover key registered it on
     * another node, which holds it now; this node closes its session. Written by Lua ({@code register.lua}).
     */
    record TakenOver(String id, String scope) implements BackplaneMessage {}
}
