package dev.rendezvous.cluster.redis;

import dev.rendezvous.cluster.redis.BackplaneMessage.Paired;
import dev.rendezvous.cluster.redis.BackplaneMessage.Unpaired;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.hub.PairResult;
import dev.rendezvous.server.hub.Pairing;
import dev.rendezvous.server.hub.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lobby pairings across the cluster. {@link Pairing}'s checks that need no other node run here first;
 * {@code pair.lua} then checks the rest and writes both sides atomically, so a mutual race pairs once.
 * The requester's node tells the requester (and a target on the same node); the target's node hears
 * {@link Paired} and tells its client. An unpairing or departure reaches the peer's node as
 * {@link Unpaired}; every notice carries the pairing's token, so a stale one changes nothing.
 *
 * <p>{@link #pair} and {@link #unpair} are called from event loops; everything else runs on the backplane loop.
 */
final class ClusterPairs {
    private static final Logger log = LoggerFactory.getLogger(ClusterPairs.class);

    private final BackplaneConnection backplane;
    private final NodeLiveness liveness;
    private final LocalClients clients;
    private final HubObserver observer;
    private final String node;

    ClusterPairs(NodeParts parts, NodeLiveness liveness) {
        this.backplane = parts.backplane();
        this.clients = parts.clients();
        this.observer = parts.observer();
        this.node = parts.node();
        this.liveness = liveness;
    }

    CompletionStage<PairResult> pair(Session requester, String targetId) {
        LocalClient local = clients.of(requester);
        if (local == null) {
            return CompletableFuture.completedFuture(Pairing.peerNotFound(targetId)); // left meanwhile
        }
        PairResult refused = Pairing.precheck(requester, targetId, local.settledPeerId());
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        if (!backplane.up()) {
            return CompletableFuture.completedFuture(Pairing.unavailable());
        }
        String token = Long.toHexString(ThreadLocalRandom.current().nextLong());
        CompletableFuture<PairResult> result = new CompletableFuture<>();
        backplane.onLoop(
                () -> backplane
                        .eval(Script.PAIR, node, requester.id(), targetId, token)
                        .whenCompleteAsync(
                                (r, e) -> {
                                    if (e != null) {
                                        log.info("pair client={} failed: {}", requester.id(), e.toString());
                                        result.complete(Pairing.unavailable());
                                    } else {
                                        result.complete(onPairReply(local, targetId, token, BackplaneCodec.string(r)));
                                    }
                                },
                                backplane.loop()),
                () -> result.complete(Pairing.unavailable()));
        return result;
    }

    /**
     * On the loop: {@code pair.lua} answered {@code reply} — {@code W} (already paired with the target),
     * {@code A|<peer>} (already paired), {@code N} (peer not found), {@code B} (peer busy) or
     * {@code P|<target's node>} (paired).
     */
    private PairResult onPairReply(LocalClient requester, String targetId, String token, String reply) {
        String detail = reply.length() > 2 ? reply.substring(2) : "";
        switch (reply.charAt(0)) {
            case 'W':
                return new PairResult.AlreadyPairedWithTarget(targetId);
            case 'A':
                return Pairing.alreadyPaired(detail, targetId);
            case 'N':
                return Pairing.peerNotFound(targetId);
            case 'B':
                return Pairing.peerBusy(targetId);
            case 'P':
                break;
            default:
                throw new IllegalStateException("unexpected answer of pair.lua: " + reply);
        }
        String targetNode = detail;
        requester.peer.set(new ClusterPeer(targetId, targetNode, token));
        LocalClient target = targetNode.equals(node) ? clients.get(targetId) : null;
        boolean targetTold =
                target != null && target.peer.compareAndSet(null, new ClusterPeer(requester.id(), node, token));
        // both sides know before either hears: the initiator's first offer finds its peer ready
        PairResult paired = Pairing.announce(requester.session, targetId, targetTold ? target.session.link() : null);
        observer.paired(requester.id(), targetId);
        log.info("pair initiator={} peer={} peer_node={}", requester.id(), targetId, targetNode);
        return paired;
    }

    /** On the loop: a requester on another node paired with our client. */
    void onPaired(Paired message) {
        LocalClient target = clients.get(message.target());
        if (target != null
                && target.peer.compareAndSet(
                        null, new ClusterPeer(message.requester(), message.requesterNode(), message.token()))) {
            Pairing.tellTarget(target.session.link(), message.requester());
            observer.paired(message.requester(), message.target()); // each node observes the pairs its clients are in
        } // a target that left meanwhile: its departure script unpairs and tells the requester
    }

    /** On the loop: our client's peer on another node unpaired or left. */
    void onUnpaired(Unpaired message) {
        if (tellUnpaired(message.target(), message.from(), message.token())) {
            observer.unpaired(message.from(), message.target());
        }
    }

    /** Ends {@code session}'s pairing, telling only the peer; false if unpaired. */
    boolean unpair(Session session) {
        LocalClient local = clients.of(session);
        if (local == null) {
            return false;
        }
        ClusterPeer peer = local.unpairSelf();
        if (peer == null) {
            return false;
        }
        backplane.onLoop(() -> {
            liveness.write(
                    Script.UNPAIR,
                    session.id()); // before telling a local peer: its next pair_request then sees the keys gone
            tellUnpaired(peer.id(), session.id(), peer.token());
        });
        observer.unpaired(session.id(), peer.id());
        log.info("unpair client={} peer={}", session.id(), peer.id());
        return true;
    }

    /**
     * On the loop: sends {@code peer_disconnected} to local {@code targetId} if it is still paired with
     * {@code from} by {@code token}; true if that pairing ended here.
     */
    boolean tellUnpaired(String targetId, String from, String token) {
        LocalClient target = clients.get(targetId);
        if (target == null) {
            return false;
        }
        boolean tell = !clients.isGoingAway(); // shutting down: this node's own sessions are all being closed
        synchronized (target) { // the target's own unpair or departure waits: the notice and the end are one step
            ClusterPeer p = target.peer.get();
            if (p == null || !p.id().equals(from) || !p.token().equals(token)) {
                return false;
            }
            Pairing.end(target.session.link(), from, tell, () -> target.peer.set(null));
        }
        if (tell) {
            log.info("peer_disconnected client={} peer={}", targetId, from);
        }
        return true;
    }

    /** On the loop: asks whether each cross-node pairing still holds on the peer's side; tells the clients whose did not. */
    void verify() {
        Map<String, ClusterPeer> asked = new HashMap<>();
        List<String> args = new ArrayList<>();
        for (LocalClient c : clients.all()) {
            ClusterPeer p = c.peer.get();
            if (p != null && !p.node().equals(node) && c.admitted) {
                asked.put(c.id(), p);
                args.add(c.id());
                args.add(p.value());
                args.add(p.node());
            }
        }
        if (asked.isEmpty()) {
            return;
        }
        backplane
                .eval(Script.VERIFY, args.toArray(String[]::new))
                .whenCompleteAsync(
                        (r, e) -> {
                            if (e != null) {
                                return;
                            }
                            for (String id : BackplaneCodec.strings(r)) {
                                ClusterPeer p = asked.get(id);
                                if (p != null && tellUnpaired(id, p.id(), p.token())) {
                                    observer.unpaired(p.id(), id);
                                }
                            }
                        },
                        backplane.loop());
    }

    /** Pairs counted on this node: on the node of the pair's smaller id, so that summed over nodes each counts once. */
    int count() {
        int pairs = 0;
        for (LocalClient c : clients.all()) {
            if (!c.admitted || c.gone.get()) {
                continue;
            }
            ClusterPeer p = c.peer.get();
            if (p != null && c.id().compareTo(p.id()) < 0) {
                pairs++;
            }
        }
        return pairs;
    }
}
