package dev.rendezvous.server.hub;

import dev.rendezvous.protocol.ErrorCode;

/**
 * The one home of lobby pairing, shared by every hub: the checks in protocol order ({@code self_pair},
 * {@code already_paired}, {@code peer_not_found}, {@code peer_busy}), the refusals' wording, the success
 * and what the two sides are told ({@code paired}, {@code peer_disconnected}). A hub runs
 * {@link #precheck} first, then its own atomic step (under two monitors in-process, one Lua script on
 * Redis) answering with the results built here; it announces a success with {@link #announce} and an end
 * with {@link #end}, which also orders the end's notice before the end itself. Only the hub's state and its
 * locking are its own. {@code Connection} only turns a {@link Refusal} into an error.
 */
public final class Pairing {
    private static final Refusal SELF_PAIR = Refusal.of(ErrorCode.SELF_PAIR, "you cannot pair with yourself");
    private static final Refusal UNAVAILABLE =
            Refusal.of(ErrorCode.CLUSTER_UNAVAILABLE, "pairing is unavailable right now; try again");

    private Pairing() {}

    /**
     * The checks that need no other session: rooms do not pair (lobby and rooms are separate scopes),
     * nobody pairs with itself, a paired requester stays paired. Null when the request may go on.
     *
     * @param currentPeerId the requester's current peer, or null
     */
    public static PairResult precheck(Session requester, String targetId, String currentPeerId) {
        if (!requester.inLobby()) {
            return peerNotFound(targetId);
        }
        if (targetId.equals(requester.id())) {
            return SELF_PAIR;
        }
        if (currentPeerId != null) {
            return alreadyPaired(currentPeerId, targetId);
        }
        return null;
    }

    /** The requester is paired with {@code currentPeerId}: silent when that is the target (the mutual race). */
    public static PairResult alreadyPaired(String currentPeerId, String targetId) {
        if (currentPeerId.equals(targetId)) {
            return new PairResult.AlreadyPairedWithTarget(targetId);
        }
        return Refusal.of(ErrorCode.ALREADY_PAIRED, "you are already paired with " + currentPeerId);
    }

    /** No lobby client has that id (or it is leaving). */
    public static Refusal peerNotFound(String targetId) {
        return Refusal.of(ErrorCode.PEER_NOT_FOUND, "no lobby client has id " + Echo.prefix(targetId));
    }

    /** The target is paired with someone else. */
    public static Refusal peerBusy(String targetId) {
        return Refusal.of(ErrorCode.PEER_BUSY, targetId + " is already paired");
    }

    /** The pairing store (a cluster backplane) cannot be reached. */
    public static Refusal unavailable() {
        return UNAVAILABLE;
    }

    /**
     * Success, once the hub recorded both sides: tells the requester ({@code paired}, as the initiator),
     * then the target when it is here ({@code targetLink} null: another node's hub tells it with
     * {@link #tellTarget}). Call where the pairing is ordered (under the pair's monitors, on the
     * backplane loop), so the frames keep the order of the changes.
     */
    public static PairResult announce(Session requester, String targetId, Link targetLink) {
        Notices.paired(requester.link(), targetId, true);
        if (targetLink != null) {
            tellTarget(targetLink, requester.id());
        }
        return new PairResult.Paired(targetId);
    }

    /**
     * Ends a pairing as its peer sees it (an unpair or a departure, decided on any thread): when {@code tell},
     * {@code peer_disconnected} naming {@code leftId} is handed to {@code peerLink} first, then {@code clear}
     * makes the end visible. Call it where the pairing's changes are ordered (under the pair's monitors, on the
     * backplane loop), with {@code clear} the only write that unpairs the peer.
     *
     * <p>Why this order: the peer's own thread reads its pairing without a lock (the relay), and answers
     * {@code not_paired} the moment it sees the end. Told first, that answer is sent after the notice was
     * handed over, and {@link Link#send} keeps it behind the notice (a send that happens before another arrives
     * first). Cleared first, the peer's thread could see the end, answer at once on its own channel, and the
     * notice, still on its way from this thread, arrive after the refusal it explains.
     */
    public static void end(Link peerLink, String leftId, boolean tell, Runnable clear) {
        if (tell) {
            Notices.peerDisconnected(peerLink, leftId);
        }
        clear.run();
    }

    /** Tells a pairing's target that {@code requesterId} paired with it (the requester is the initiator). */
    public static void tellTarget(Link targetLink, String requesterId) {
        Notices.paired(targetLink, requesterId, false);
    }
}
