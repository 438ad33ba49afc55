package dev.rendezvous.server.hub;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/**
 * The shared state of the signaling server: the id directory, lobby pairings, room membership and
 * delivery to a client id. In-process today ({@link LocalHub}); a cluster backplane implements the same
 * contract across nodes. All methods are thread-safe and never block on I/O.
 *
 * <p>The two decisions that a cluster must take atomically across nodes ({@link #register},
 * {@link #pair}) answer with a {@link CompletionStage}: the in-process hub completes it at once (and
 * the caller then carries on inline), a backplane completes it when its store has answered. The
 * others are fire-and-forget or answered from local state ({@link #relay}: a backplane keeps a
 * replica of the directory and room membership).
 */
public interface Hub {

    /**
     * Puts {@code session} in the id directory; completes with false when its id is in use (never
     * replaced), exceptionally when the directory cannot be reached.
     */
    CompletionStage<Boolean> register(Session session);

    /**
     * Adds a registered room session to its room: sends it {@code users_in_room} (the others) and
     * every other member {@code user_joined}. Call after {@code your_id} was sent.
     */
    void join(Session session);

    /**
     * Pairs two unpaired lobby sessions; on success both get {@code paired} (the requester is the
     * initiator). Atomic: two sessions requesting each other at once are paired exactly once.
     * Completes exceptionally when the pairing store cannot be reached.
     */
    CompletionStage<PairResult> pair(Session requester, String targetId);

    /** Ends {@code session}'s pairing, telling only the peer ({@code peer_disconnected}); false if unpaired. */
    boolean unpair(Session session);

    /**
     * Delivers a relayed frame, already stamped with the sender's {@code from}, to {@code to} (null:
     * the lobby peer, or every other room member). Takes ownership of {@code frame}.
     */
    RelayResult relay(Session sender, String to, ByteBuf frame);

    /**
     * Removes {@code session} from everything, telling its peer ({@code peer_disconnected}) or its room
     * ({@code user_left}). Runs once per session whatever calls it and however often.
     */
    void depart(Session session);

    /** Counts of what the hub holds, for health and leak checks. */
    HubState state();

    /** The outcome of {@link #pair}. */
    enum PairResult {
        PAIRED,
        /** The requester is already paired with this very target (the mutual race): nothing to say. */
        ALREADY_PAIRED_WITH_TARGET,
        SELF_PAIR,
        PEER_NOT_FOUND,
        PEER_BUSY,
        ALREADY_PAIRED
    }

    /** The outcome of {@link #relay}. */
    enum RelayResult {
        DELIVERED,
        /** A room {@code to} naming the sender: never delivered back, not an error. */
        DROPPED_SELF,
        TARGET_NOT_FOUND,
        NOT_PAIRED
    }

    /**
     * @param sessions registered ids
     * @param pairs current lobby pairings
     * @param rooms rooms with at least one member
     * @param roomMembers members across all rooms
     */
    record HubState(int sessions, int pairs, int rooms, int roomMembers) {
        public boolean empty() {
            return sessions == 0 && pairs == 0 && rooms == 0 && roomMembers == 0;
        }
    }
}
