package dev.rendezvous.server.session;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.MessageType;
import dev.rendezvous.server.hub.Hub;

/**
 * Lobby pairing as the requester sees it: {@code pair_request} goes to the hub, and a refusal comes back
 * as the matching error ({@code self_pair}, {@code peer_not_found}, {@code peer_busy},
 * {@code already_paired}, {@code cluster_unavailable}); the success frames ({@code paired}) are the
 * hub's. {@code unpair} is never acknowledged to the requester.
 *
 * <p>Stateless; runs on the connection's thread (a cluster's answer is brought back to it).
 */
final class PairingHandler {
    private static final String REF = MessageType.PAIR_REQUEST.wireName();

    private PairingHandler() {}

    static void pair(Connection c, Inbound.PairRequest request) {
        String target = request.targetId();
        c.whenDone(c.settings.hub().pair(c.session(), target), (result, failure) -> onPairResult(c, target, result, failure));
    }

    static void unpair(Connection c) {
        c.settings.hub().unpair(c.session());
    }

    private static void onPairResult(Connection c, String target, Hub.PairResult result, Throwable failure) {
        if (c.phase() != Connection.Phase.ADMITTED) {
            return;
        }
        if (failure != null) {
            c.sendError(ErrorCode.CLUSTER_UNAVAILABLE, "pairing is unavailable right now; try again", REF);
            return;
        }
        switch (result) {
            case PAIRED, ALREADY_PAIRED_WITH_TARGET -> {}
            case SELF_PAIR -> c.sendError(ErrorCode.SELF_PAIR, "you cannot pair with yourself", REF);
            case PEER_NOT_FOUND -> c.sendError(ErrorCode.PEER_NOT_FOUND, "no lobby client has id " + target, REF);
            case PEER_BUSY -> c.sendError(ErrorCode.PEER_BUSY, target + " is already paired", REF);
            case ALREADY_PAIRED -> c.sendError(ErrorCode.ALREADY_PAIRED, c.session().peerId() != null
                    ? "you are already paired with " + c.session().peerId() : "you are already paired", REF);
        }
    }
}
