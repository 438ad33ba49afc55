package dev.rendezvous.cluster.redis;

import dev.rendezvous.cluster.redis.BackplaneMessage.Arrived;
import dev.rendezvous.cluster.redis.BackplaneMessage.Broadcast;
import dev.rendezvous.cluster.redis.BackplaneMessage.Direct;
import dev.rendezvous.cluster.redis.BackplaneMessage.Paired;
import dev.rendezvous.cluster.redis.BackplaneMessage.Presence;
import dev.rendezvous.cluster.redis.BackplaneMessage.Relay;
import dev.rendezvous.cluster.redis.BackplaneMessage.TakenOver;
import dev.rendezvous.cluster.redis.BackplaneMessage.Tunnel;
import dev.rendezvous.cluster.redis.BackplaneMessage.Unpaired;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.hub.JoinResult;
import dev.rendezvous.server.hub.PairResult;
import dev.rendezvous.server.hub.Refusal;
import dev.rendezvous.server.hub.RemoteResume;
import dev.rendezvous.server.hub.Session;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Hub} shared by several server nodes through Redis (see the package doc for the design): the
 * façade over the backplane's parts.
 *
 * <ul>
 *   <li>Ids: {@code SET NX} with a TTL the owning node refreshes, so {@code id_taken} holds cluster-wide (here).
 *   <li>Pairing: one Lua script checks and writes both sides, so a mutual race pairs once ({@link ClusterPairs}).
 *   <li>Relay: a receiver on this node gets the frame directly; one on another node through that node's
 *       channel ({@link CrossNodeRelay}).
 *   <li>Delivery by id (the PeerJS endpoint): to the node holding the id, or a watch for an id held nowhere
 *       that tells this node when it comes up ({@link DirectDelivery}).
 *   <li>Presence: joins and leaves are numbered and published to every node, which keeps a replica of
 *       every room and tells its own members ({@link RoomReplica}).
 *   <li>Node failure and Redis failure: heartbeats, cleanup of dead nodes, writing this node's state
 *       again when Redis is back ({@link NodeLiveness}); same-node traffic goes on meanwhile, what needs
 *       another node answers {@code cluster_unavailable}.
 *   <li>The connection and the scripts: {@link Backplane}; the messages between nodes: {@link BackplaneCodec}.
 * </ul>
 */
public final class RedisHub implements Hub {
    private static final Logger log = LoggerFactory.getLogger(RedisHub.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Refusal JOIN_UNAVAILABLE = JoinResult.unavailable();

    private final RedisHubConfig config;
    private final String node;
    private final HubObserver observer;
    private final LocalClients clients = new LocalClients();
    private final BackplaneConnection backplane;
    private final RoomReplica rooms;
    private final NodeLiveness liveness;
    private final ClusterPairs pairs;
    private final CrossNodeRelay relay;
    private final DirectDelivery direct;
    private final ResumeTunnels tunnels;
    /** This node's admin view, published every heartbeat once set ({@link #publishView}); null while the admin API is off. */
    private volatile Supplier<CompletionStage<String>> view;

    private RedisHub(RedisHubConfig config, HubObserver observer) {
        this.config = config;
        this.node = config.nodeId();
        this.observer = observer;
        this.backplane = new BackplaneConnection(config);
        NodeParts parts = new NodeParts(backplane, clients, observer, node);
        this.rooms = new RoomReplica(parts);
        this.liveness = new NodeLiveness(parts, config, rooms);
        this.pairs = new ClusterPairs(parts, liveness);
        this.relay = new CrossNodeRelay(parts, rooms);
        this.direct = new DirectDelivery(parts);
        this.tunnels = new ResumeTunnels(backplane, node);
    }

    /**
     * Connects to Redis, registers this node and reads the rooms, then returns the running hub.
     * Throws {@link IllegalStateException} when Redis cannot be reached.
     */
    public static RedisHub start(RedisHubConfig config, HubObserver observer) {
        RedisHub hub = new RedisHub(config, observer);
        try {
            hub.backplane.listen(hub::onMessage, hub.liveness::refreshUp);
            hub.backplane.onLoop(hub.liveness::refreshUp);
            hub.rooms.firstSync().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            hub.close();
            throw new IllegalStateException("could not join the cluster on " + config.redisUri() + ": " + e, e);
        }
        hub.backplane.every(config.heartbeat(), hub::tick);
        log.info(
                "cluster node {} joined on {} (node TTL {} ms)",
                config.nodeId(),
                config.redisUri(),
                config.nodeTtl().toMillis());
        return hub;
    }

    /** A {@code ServerConfig.hubFactory} starting a hub with {@code config}. */
    public static Function<HubObserver, Hub> factory(RedisHubConfig config) {
        return observer -> start(config, observer);
    }

    public String nodeId() {
        return node;
    }

    /** Whether both connections to Redis are up. */
    public boolean up() {
        return backplane.up();
    }

    // ---- Hub ----------------------------------------------------------------------------------

    /** Claims the id cluster-wide ({@code SET NX}); fails with {@link ClusterUnavailableException} while Redis is away. */
    @Override
    public CompletionStage<Boolean> register(Session session) {
        return register(session, "");
    }

    /**
     * As {@link #register(Session)}; an id another node holds for the same scope with the same
     * {@code takeoverKey} is taken from it ({@code register.lua}: that node hears {@link TakenOver} and closes its
     * session).
     */
    @Override
    public CompletionStage<Boolean> register(Session session, String takeoverKey) {
        if (!backplane.up()) {
            return CompletableFuture.failedFuture(new ClusterUnavailableException("Redis is unreachable"));
        }
        LocalClient local = clients.add(session);
        if (local == null) {
            return CompletableFuture.completedFuture(false);
        }
        session.attach(local);
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        backplane.onLoop(
                () -> backplane
                        .eval(
                                Script.REGISTER,
                                node,
                                session.id(),
                                BackplaneCodec.nullToEmpty(session.room()),
                                NodeLiveness.millis(config.idTtl()),
                                takeoverKey)
                        .whenCompleteAsync(
                                (r, e) -> {
                                    if (e == null && BackplaneCodec.number(r) >= 1) { // 2: taken over
                                        local.admitted = true;
                                        observer.clientAdmitted(session.id(), session.room());
                                        direct.registered(local);
                                        result.complete(true);
                                        return;
                                    }
                                    clients.remove(local);
                                    if (e != null) {
                                        log.info("register client={} failed: {}", session.id(), e.toString());
                                        result.completeExceptionally(
                                                new ClusterUnavailableException("Redis did not answer: " + e));
                                    } else {
                                        result.complete(false);
                                    }
                                },
                                backplane.loop()),
                () -> {
                    clients.remove(local);
                    result.completeExceptionally(new ClusterUnavailableException("the hub is closed"));
                });
        return result;
    }

    /** Writes the membership; this node's replica sends {@code users_in_room} when the join event comes back, in order. */
    @Override
    public CompletionStage<JoinResult> join(Session session) {
        CompletableFuture<JoinResult> result = new CompletableFuture<>();
        backplane.onLoop(
                () -> {
                    if (clients.of(session) == null) {
                        result.complete(JoinResult.JOINED); // left already: nothing to join, nobody to tell
                        return;
                    }
                    if (!backplane.up()) {
                        result.complete(JOIN_UNAVAILABLE);
                        return;
                    }
                    backplane
                            .eval(
                                    Script.JOIN,
                                    node,
                                    session.id(),
                                    session.room(),
                                    BackplaneCodec.nullToEmpty(session.username()))
                            .whenCompleteAsync(
                                    (r, e) -> result.complete(e == null ? JoinResult.JOINED : JOIN_UNAVAILABLE),
                                    backplane.loop());
                },
                () -> result.complete(JOIN_UNAVAILABLE));
        return result;
    }

    @Override
    public CompletionStage<PairResult> pair(Session requester, String targetId) {
        return pairs.pair(requester, targetId);
    }

    @Override
    public boolean unpair(Session session) {
        return pairs.unpair(session);
    }

    @Override
    public RelayResult relay(Session sender, String to, ByteBuf frame) {
        return relay.relay(sender, to, frame);
    }

    @Override
    public CompletionStage<Delivery> deliver(String scope, String to, ByteBuf frame) {
        return direct.deliver(scope, to, frame);
    }

    @Override
    public CompletionStage<Boolean> watch(String scope, String to, Duration ttl) {
        return direct.watch(scope, to, ttl);
    }

    @Override
    public void onArrival(String scope, Consumer<String> listener) {
        direct.onArrival(scope, listener);
    }

    @Override
    public void depart(Session session) {
        LocalClient local = clients.of(session);
        if (local == null || !local.gone.compareAndSet(false, true)) {
            return;
        }
        clients.remove(local);
        if (!local.admitted) {
            return;
        }
        ClusterPeer peer = local.unpairSelf();
        backplane.onLoop(() -> {
            boolean sent = backplane.up()
                    && liveness.write(Script.DEPART, node, session.id(), BackplaneCodec.nullToEmpty(session.room()));
            if (peer != null) {
                pairs.tellUnpaired(peer.id(), session.id(), peer.token());
            }
            if (!sent && session.room() != null) {
                rooms.applyLeave(session.room(), session.id()); // Redis will hear of it when it is back
            }
        });
        if (peer != null) {
            observer.unpaired(session.id(), peer.id());
        }
        observer.clientLeft(session.id(), session.room());
    }

    /** Asks the node holding {@code id} to resume it for a client here, through a tunnel ({@link ResumeTunnels}). */
    @Override
    public CompletionStage<RemoteResume.Answer> resumeElsewhere(
            String id, byte[] token, long received, RemoteResume.Downstream toClient) {
        return tunnels.ask(id, token, received, toClient);
    }

    @Override
    public void serveResumes(RemoteResume.Owner owner) {
        tunnels.serve(owner);
    }

    /** Tunnels open or being opened on this node, either end (tests and leak checks). */
    public int tunnels() {
        return tunnels.size();
    }

    /**
     * The node is shutting down and closes every local session: departures still run (and reach the
     * other nodes through Redis), but this node's own sessions are told nothing, so their live
     * peer-to-peer calls are not torn down by a rolling restart.
     */
    @Override
    public void goingAway() {
        clients.goingAway();
    }

    /** Publishes {@code view} now and every heartbeat, as {@code view:<node>} with the node's TTL. */
    @Override
    public void publishView(Supplier<CompletionStage<String>> view) {
        this.view = view;
        backplane.onLoop(this::writeView);
    }

    /** Reads every other live node's last view; fails while Redis is away. */
    @Override
    public CompletionStage<List<String>> otherViews() {
        if (!backplane.up()) {
            return CompletableFuture.failedFuture(new ClusterUnavailableException("Redis is unreachable"));
        }
        return backplane.eval(Script.VIEWS, node).thenApply(BackplaneCodec::strings);
    }

    @Override
    public HubState state() {
        int sessions = 0;
        for (LocalClient c : clients.all()) {
            if (c.admitted && !c.gone.get()) {
                sessions++;
            }
        }
        int[] roomCounts = rooms.counts();
        return new HubState(sessions, pairs.count(), roomCounts[0], roomCounts[1]);
    }

    @Override
    public Optional<Backplane> backplane() {
        return Optional.of(new Backplane("redis", backplane.up(), node));
    }

    /** Leaves the cluster: whatever this node still holds departs, then the connections close. */
    @Override
    public void close() {
        if (backplane.closed()) {
            return;
        }
        backplane.close(Script.LEAVE);
        // The replica is the other nodes' business now: a node that left holds nothing, and its own
        // members' leave events may never come back to it once it stopped listening.
        rooms.clear();
        log.info("cluster node {} left", node);
    }

    // ---- on the backplane loop ----------------------------------------------------------------

    private void tick() {
        if (liveness.tick()) {
            pairs.verify();
        }
        tunnels.checkNodes();
        writeView();
    }

    /** On the loop: writes this node's admin view when the admin API is on (a failed write waits for the next tick). */
    private void writeView() {
        Supplier<CompletionStage<String>> v = view;
        if (v == null || !backplane.up() || backplane.closed()) {
            return;
        }
        v.get()
                .thenAcceptAsync(
                        json -> {
                            if (backplane.up() && !backplane.closed()) {
                                backplane.eval(Script.VIEW_PUBLISH, node, NodeLiveness.millis(config.nodeTtl()), json);
                            }
                        },
                        backplane.loop());
    }

    private void onMessage(byte[] bytes) {
        BackplaneMessage message;
        try {
            message = BackplaneCodec.decode(bytes);
        } catch (IllegalArgumentException e) {
            log.warn("dropped a backplane message: {}", e.getMessage());
            return;
        }
        switch (message) {
            case Presence event -> rooms.onPresence(event);
            case Relay r -> relay.onRelay(r);
            case Broadcast b -> relay.onBroadcast(b);
            case Paired p -> pairs.onPaired(p);
            case Unpaired u -> pairs.onUnpaired(u);
            case Direct d -> direct.onDirect(d);
            case Arrived a -> direct.onArrived(a);
            case TakenOver t -> direct.onTakenOver(t);
            case Tunnel t -> tunnels.onMessage(t);
        }
    }
}
