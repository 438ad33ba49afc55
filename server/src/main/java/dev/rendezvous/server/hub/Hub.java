package dev.rendezvous.server.hub;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The shared state of the signaling server: the id directory, lobby pairings, room membership and
 * delivery to a client id. In-process today ({@link LocalHub}); a cluster backplane implements the same
 * contract across nodes. All methods are thread-safe and never block on I/O.
 *
 * <p>The decisions that a cluster must take atomically across nodes ({@link #register}, {@link #join},
 * {@link #pair}) answer with a {@link CompletionStage}: the in-process hub completes it at once (and
 * the caller then carries on inline), a backplane completes it when its store has answered. The
 * others are fire-and-forget or answered from local state ({@link #relay}: a backplane keeps a
 * replica of the directory and room membership).
 *
 * <p>A hub is state and routing only: it sends the frames its decisions produce (built by
 * {@link Notices}) but never an error and never closes a link. A refusal comes back as a result
 * ({@link Refusal}, in {@link PairResult} and {@link JoinResult}), or, for a session the hub can no
 * longer keep, through {@link Session#evict}; the session's owner sends the error and closes.
 */
public interface Hub extends AutoCloseable {

    /**
     * Puts {@code session} in the id directory and attaches this hub's {@link Session.Entry} to it;
     * completes with false when its id is in use (never replaced), exceptionally when the directory
     * cannot be reached.
     */
    CompletionStage<Boolean> register(Session session);

    /**
     * As {@link #register(Session)}, but when another node of a cluster holds the id for the same scope
     * under the same {@code takeoverKey} (a PeerJS client's token, hashed), this session takes it: that
     * node's session is evicted (close 4009) and this one registered — the PeerJS same-token takeover across
     * nodes. A single node sees its own holders: the default is {@link #register(Session)}.
     */
    default CompletionStage<Boolean> register(Session session, String takeoverKey) {
        return register(session);
    }

    /**
     * Adds a registered room session to its room: sends it {@code users_in_room} (the others) and
     * every other member {@code user_joined}. Call after {@code your_id} was sent. Completes with a
     * closing {@link Refusal} when the membership store cannot be reached.
     */
    CompletionStage<JoinResult> join(Session session);

    /**
     * Pairs two unpaired lobby sessions; on success both get {@code paired} (the requester is the
     * initiator). Atomic: two sessions requesting each other at once are paired exactly once. The
     * checks and refusals are {@link Pairing}'s; a pairing store that cannot be reached answers
     * {@link Pairing#unavailable()}.
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
     * Hands {@code frame} to the link of the session registered as {@code to} under {@code scope}, on
     * whichever node holds it ({@link Link#send} there): delivery by id, for endpoints whose clients address
     * each other by id without pairing or rooms (the PeerJS endpoint; v1 sessions are never in such a scope,
     * so they cannot be reached this way). Takes ownership of {@code frame}. Completes with
     * {@link Delivery#ABSENT} when no session of {@code scope} holds {@code to}. Calls from one thread for
     * one receiver arrive in the order made. Never blocks.
     */
    default CompletionStage<Delivery> deliver(String scope, String to, ByteBuf frame) {
        frame.release();
        return CompletableFuture.completedFuture(Delivery.ABSENT);
    }

    /**
     * This node keeps messages for {@code to} (of {@code scope}), which is not registered: for {@code ttl},
     * the hub tells this node's {@link #onArrival} listener when a session of {@code scope} registers as
     * {@code to} on another node (this node's own arrivals are its owner's to see). Completes with true when
     * {@code to} is registered already (deliver again: it came between the {@link Delivery#ABSENT} and now).
     * Default: a single node sees every arrival itself.
     */
    default CompletionStage<Boolean> watch(String scope, String to, Duration ttl) {
        return CompletableFuture.completedFuture(false);
    }

    /**
     * Tells {@code listener} the ids of {@code scope} that registered on another node while this node
     * {@link #watch watched} them; set once per scope, before the first {@link #register} of that scope.
     * The listener runs on a hub thread and must not block.
     */
    default void onArrival(String scope, Consumer<String> listener) {}

    /**
     * Removes {@code session} from everything, telling its peer ({@code peer_disconnected}) or its room
     * ({@code user_left}). Runs once per session whatever calls it and however often.
     */
    void depart(Session session);

    /**
     * The server is closing every session of this process (shutdown, close 1001): from now on a departure
     * does not tell this process's sessions ({@code peer_disconnected}, {@code user_left}) — they are
     * being closed too, and a client told that its peer left would tear down a live peer-to-peer call.
     * Cleanup itself still runs. Sessions elsewhere (a cluster's other nodes) are still told.
     */
    default void goingAway() {}

    /** Counts of what the hub holds, for health and leak checks. */
    HubState state();

    /** The cluster backplane's state for {@code /healthz}; empty for the in-process hub. */
    default Optional<Backplane> backplane() {
        return Optional.empty();
    }

    /**
     * Publishes this node's admin view (a JSON object, see {@code dev.rendezvous.server.admin}) to the
     * cluster: a backplane asks {@code view} again every heartbeat and keeps the last answer while the node
     * lives. Called once, when the admin API is on. Default: a single node has no one to publish to.
     */
    default void publishView(Supplier<CompletionStage<String>> view) {}

    /**
     * The admin views the cluster's other live nodes published last (each up to one heartbeat old); empty
     * for a single node. Completes exceptionally when the backplane cannot be reached. Never blocks.
     */
    default CompletionStage<List<String>> otherViews() {
        return CompletableFuture.completedFuture(List.of());
    }

    /**
     * v1.1 in a cluster: asks the node that holds session {@code id} to resume it for a client on this node,
     * its frames coming back through {@code toClient} (see {@link RemoteResume}). Completes with
     * {@link RemoteResume.Answer.Unknown} when no other node holds {@code id} (the default: a single node),
     * exceptionally when the owner cannot be reached. Never blocks.
     */
    default CompletionStage<RemoteResume.Answer> resumeElsewhere(
            String id, byte[] token, long received, RemoteResume.Downstream toClient) {
        return CompletableFuture.completedFuture(new RemoteResume.Answer.Unknown());
    }

    /** v1.1 in a cluster: where this node's hub hands the resumes other nodes ask of it. Default: nobody asks. */
    default void serveResumes(RemoteResume.Owner owner) {}

    /** Releases what the hub holds outside the process; called once the server stopped. */
    @Override
    default void close() {}

    /**
     * @param kind the backplane's kind, e.g. {@code redis}
     * @param up whether it is reachable now
     * @param node this node's id in the cluster
     */
    record Backplane(String kind, boolean up, String node) {}

    /** The outcome of {@link #deliver}. */
    enum Delivery {
        /** Handed to the receiver's link (here), or sent to the node that holds it. */
        DELIVERED,
        /** No session of the scope holds the id, anywhere. */
        ABSENT,
        /** The backplane cannot be reached: whether the id is held elsewhere is unknown. */
        UNAVAILABLE
    }

    /** The outcome of {@link #relay}. */
    enum RelayResult {
        DELIVERED,
        /** A room {@code to} naming the sender: never delivered back, not an error. */
        DROPPED_SELF,
        TARGET_NOT_FOUND,
        NOT_PAIRED,
        /** The target is on another node and the cluster backplane is down (local receivers, if any, got it). */
        CLUSTER_UNAVAILABLE
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
