package dev.rendezvous.cluster.redis;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.server.hub.Refusal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness of Redis and of the nodes. This node refreshes its heartbeat key (and its clients' id TTLs)
 * every third of the node TTL; survivors clean up a node whose key expired (one atomic script, so exactly
 * once). When Redis comes back, or this node finds itself taken for dead, it writes its whole state again
 * (a resync) and re-reads the rooms; a write that failed meanwhile asks for one too.
 *
 * <p>Confined to the backplane loop, but {@link #write}, which may be called from any thread.
 */
final class NodeLiveness extends NodeJob {
    private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

    private final RedisHubConfig config;
    private final RoomReplica replica;

    /** A write failed or Redis came back: this node's state must be written again. Any thread writes it. */
    private volatile boolean needResync = true;
    // ---- confined to the loop ----
    private boolean resyncInFlight;
    private long upSinceNanos;

    NodeLiveness(NodeParts parts, RedisHubConfig config, RoomReplica replica) {
        super(parts);
        this.config = config;
        this.replica = replica;
    }

    /** On the loop: a connection to Redis went up or down. */
    void refreshUp() {
        if (!backplane.refreshUp()) {
            return;
        }
        boolean up = backplane.up();
        observer.backplaneChanged("redis", up);
        if (up) {
            log.info("backplane up: node {} re-registering its state", node);
            upSinceNanos = System.nanoTime();
            needResync = true;
            resync();
        } else {
            log.warn("backplane down: cross-node operations answer cluster_unavailable until Redis is back");
        }
    }

    /**
     * On the loop, every heartbeat: refreshes this node's keys, cleans up dead nodes, retries what
     * waits for Redis. True when the node has been up for a whole node TTL, so every node had time to
     * write its state again and cross-node pairings may be checked.
     */
    boolean tick() {
        try {
            refreshUp();
            if (!backplane.up() || backplane.closed()) {
                return false;
            }
            if (needResync) {
                resync();
                return false;
            }
            backplane
                    .eval(Script.HEARTBEAT, node, millis(config.nodeTtl()), millis(config.idTtl()))
                    .whenCompleteAsync(
                            (r, e) -> {
                                if (e == null && BackplaneCodec.number(r) == 0) {
                                    log.warn("node {}'s registration is gone from Redis: writing it again", node);
                                    needResync = true;
                                    resync();
                                }
                            },
                            backplane.loop());
            backplane
                    .eval(Script.CLEANUP, node, millis(config.nodeTtl()))
                    .whenCompleteAsync(
                            (r, e) -> {
                                if (e == null) {
                                    for (String dead : BackplaneCodec.strings(r)) {
                                        log.warn(
                                                "node {} stopped heartbeating: its clients' departures were announced",
                                                dead);
                                    }
                                }
                            },
                            backplane.loop());
            replica.retryWanted();
            return System.nanoTime() - upSinceNanos > config.nodeTtl().toNanos();
        } catch (RuntimeException e) {
            log.warn("backplane tick failed", e);
            return false;
        }
    }

    /**
     * Fires a script whose answer does not matter; when it fails (or Redis is away) this node writes its
     * whole state again once it can. False when not sent. Any thread.
     */
    boolean write(Script script, String... args) {
        if (!backplane.up()) {
            needResync = true;
            return false;
        }
        backplane
                .eval(script, args)
                .whenCompleteAsync(
                        (r, e) -> {
                            if (e != null) {
                                log.info("{} failed ({}): will re-register", script, e.toString());
                                needResync = true;
                            }
                        },
                        backplane.loop());
        return true;
    }

    /** On the loop: writes this node's whole state to Redis (start, reconnection, or after being taken for dead), then re-reads rooms. */
    private void resync() {
        if (resyncInFlight || !backplane.up()) {
            return;
        }
        resyncInFlight = true;
        needResync = false;
        List<String> args = new ArrayList<>(List.of(node, millis(config.nodeTtl()), millis(config.idTtl())));
        for (LocalClient c : clients.all()) {
            if (!c.admitted || c.gone.get()) {
                continue;
            }
            ClusterPeer p = c.peer.get();
            args.add(c.id());
            args.add(BackplaneCodec.nullToEmpty(c.session.room()));
            args.add(p == null ? "" : p.value());
            args.add(BackplaneCodec.nullToEmpty(c.session.username()));
        }
        backplane
                .eval(Script.RESYNC, args.toArray(String[]::new))
                .whenCompleteAsync(
                        (r, e) -> {
                            resyncInFlight = false;
                            if (e != null) {
                                log.info("re-registration failed ({}); retrying", e.toString());
                                needResync = true;
                                return;
                            }
                            for (String id : BackplaneCodec.strings(r)) {
                                LocalClient c = clients.get(id);
                                if (c != null) {
                                    log.warn("client {} lost its id to another node while Redis was away", id);
                                    c.session.evict(new Refusal(
                                            ErrorCode.ID_TAKEN,
                                            "client id " + id + " is already in use",
                                            CloseCode.ID_TAKEN));
                                }
                            }
                            replica.requestSnapshot();
                        },
                        backplane.loop());
    }

    static String millis(Duration d) {
        return Long.toString(d.toMillis());
    }
}
