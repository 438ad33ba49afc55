package dev.rendezvous.server.session;

import dev.rendezvous.protocol.MessageType;
import dev.rendezvous.server.hub.PairResult;
import dev.rendezvous.server.hub.Pairing;
import dev.rendezvous.server.hub.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lobby pairing as the requester sees it: {@code pair_request} goes to the hub, whose refusals
 * ({@code self_pair}, {@code peer_not_found}, {@code peer_busy}, {@code already_paired},
 * {@code cluster_unavailable}) come back as {@link Refusal}s sent to the requester; the success frames
 * ({@code paired}) are the hub's. {@code unpair} is never acknowledged to the requester.
 *
 * <p>Stateless; runs on the connection's thread (a cluster's answer is brought back to it).
 */
final class PairingHandler {
    private static final Logger log = LoggerFactory.getLogger(Connection.class); // one logger for a connection's lines
    private static final String REF = MessageType.PAIR_REQUEST.wireName();

    private PairingHandler() {}

    static void pair(Connection c, Inbound.PairRequest request) {
        c.whenDone(
                c.settings.hub().pair(c.session(), request.targetId()),
                (result, failure) -> onPairResult(c, result, failure));
    }

    static void unpair(Connection c) {
        c.settings.hub().unpair(c.session());
    }

    private static void onPairResult(Connection c, PairResult result, Throwable failure) {
        if (c.phase() != Connection.Phase.ADMITTED) {
            return;
        }
        if (failure != null) {
            log.warn("pair client={} failed", c.clientId(), failure);
            c.onRefusal(Pairing.unavailable(), REF);
            return;
        }
        switch (result) {
            case PairResult.Paired paired -> {}
            case PairResult.AlreadyPairedWithTarget same -> {}
            case Refusal refusal -> c.onRefusal(refusal, REF);
        }
    }
}
