package dev.rendezvous.cluster.redis;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.hub.ControlFrames;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.hub.Session;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Hub} shared by several server nodes through Redis (see the package doc for the design).
 *
 * <ul>
 *   <li>Ids: {@code SET NX} with a TTL the owning node refreshes, so {@code id_taken} holds cluster-wide.
 *   <li>Pairing: one Lua script checks and writes both sides, so a mutual race pairs once.
 *   <li>Relay: a receiver on this node gets the frame directly; one on another node through that node's
 *       channel. All publishes of a node go over one connection, so order per sender → receiver holds.
 *   <li>Presence: joins and leaves are numbered ({@code seq}) and published to every node, which keeps
 *       a replica of every room and tells its own members.
 *   <li>Node failure: each node refreshes a heartbeat key; survivors clean up a node whose key expired
 *       (one atomic script, so exactly once) and its clients' peers and rooms hear of the departures.
 *   <li>Redis failure: same-node traffic goes on; what needs another node answers {@code cluster_unavailable};
 *       Lettuce reconnects with backoff and this node then writes its whole state again.
 * </ul>
 */
public final class RedisHub implements Hub {
    /** Set by {@link #goingAway}: this node's sessions are all being closed; tell them nothing. */
    private volatile boolean goingAway;
    private static final Logger log = LoggerFactory.getLogger(RedisHub.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final RedisHubConfig config;
    private final String node;
    private final String prefix;
    private final HubObserver observer;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> redis;
    private final StatefulRedisPubSubConnection<String, byte[]> subscription;
    private final ScheduledExecutorService loop;
    private final String eventsChannel;
    private final String ownChannel;

    /** This node's clients by id (admitted or being admitted). */
    private final ConcurrentMap<String, Local> locals = new ConcurrentHashMap<>();
    /** Replica of every room of the cluster: room → member id → member. Written on the loop only. */
    private final ConcurrentMap<String, ConcurrentMap<String, Member>> rooms = new ConcurrentHashMap<>();
    private volatile boolean up;
    private volatile boolean closed;

    // ---- confined to the loop ----
    private long lastSeq;
    private boolean snapshotInFlight;
    private boolean snapshotWanted;
    private final List<String[]> heldEvents = new ArrayList<>();
    private boolean needResync = true;
    private boolean resyncInFlight;
    private long upSinceNanos;
    private CompletableFuture<Void> firstSync = new CompletableFuture<>();

    /** A client of this node. */
    private static final class Local {
        final Session session;
        final AtomicReference<Peer> peer = new AtomicReference<>();
        final AtomicBoolean gone = new AtomicBoolean();
        volatile boolean admitted;
        /** users_in_room was sent; written on the loop. */
        volatile boolean joined;

        Local(Session session) {
            this.session = session;
        }

        String id() {
            return session.id();
        }
    }

    /** A lobby peer: its id, its node, and the token of this very pairing (to tell stale notices apart). */
    private record Peer(String id, String node, String token) {
        String value() {
            return id + "|" + token;
        }
    }

    /** A room member anywhere in the cluster. */
    private record Member(String id, String node, String username) {}

    private RedisHub(RedisHubConfig config, HubObserver observer) {
        this.config = config;
        this.node = config.nodeId();
        this.prefix = config.keyPrefix();
        this.observer = observer;
        this.eventsChannel = prefix + "events";
        this.ownChannel = prefix + "chan:" + node;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rendezvous-backplane");
            t.setDaemon(true);
            return t;
        });
        long lower = Math.min(20, config.reconnectDelayMax().toMillis());
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(lower), config.reconnectDelayMax(), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = RedisURI.create(config.redisUri());
        uri.setTimeout(COMMAND_TIMEOUT);
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
                .build());
        try {
            this.connection = client.connect(CODEC);
            this.subscription = client.connectPubSub(CODEC);
        } catch (RuntimeException e) {
            loop.shutdownNow();
            shutdownClient();
            throw new IllegalStateException("cannot reach Redis at " + config.redisUri() + ": " + e.getMessage(), e);
        }
        this.redis = connection.async();
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                onBackplane(() -> onMessage(channel, message));
            }
        });
        subscription.sync().subscribe(eventsChannel, ownChannel);
        resources.eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionActivatedEvent || event instanceof ConnectionDeactivatedEvent) {
                onBackplane(this::refreshUp);
            }
        });
    }

    /**
     * Connects to Redis, registers this node and reads the rooms, then returns the running hub.
     * Throws {@link IllegalStateException} when Redis cannot be reached.
     */
    public static RedisHub start(RedisHubConfig config, HubObserver observer) {
        RedisHub hub = new RedisHub(config, observer);
        try {
            hub.onBackplane(hub::refreshUp);
            hub.firstSync.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            hub.close();
            throw new IllegalStateException("could not join the cluster on " + config.redisUri() + ": " + e, e);
        }
        long beat = config.heartbeat().toMillis();
        hub.loop.scheduleAtFixedRate(hub::tick, beat, beat, TimeUnit.MILLISECONDS);
        log.info("cluster node {} joined on {} (node TTL {} ms)", config.nodeId(), config.redisUri(), config.nodeTtl().toMillis());
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
        return up;
    }

    // ---- Hub ----------------------------------------------------------------------------------

    /** Claims the id cluster-wide ({@code SET NX}); fails with {@link ClusterUnavailableException} while Redis is away. */
    @Override
    public CompletionStage<Boolean> register(Session session) {
        if (!up) {
            return CompletableFuture.failedFuture(new ClusterUnavailableException("Redis is unreachable"));
        }
        Local local = new Local(session);
        if (locals.putIfAbsent(session.id(), local) != null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        onBackplane(() -> eval(Script.REGISTER, node, session.id(), roomOf(session), millis(config.idTtl()))
                .whenCompleteAsync((r, e) -> {
                    if (e == null && asLong(r) == 1) {
                        local.admitted = true;
                        observer.clientAdmitted(session.id(), session.room());
                        result.complete(true);
                        return;
                    }
                    locals.remove(session.id(), local);
                    if (e != null) {
                        log.info("register client={} failed: {}", session.id(), e.toString());
                        result.completeExceptionally(new ClusterUnavailableException("Redis did not answer: " + e));
                    } else {
                        result.complete(false);
                    }
                }, loop), () -> {
                    locals.remove(session.id(), local);
                    result.completeExceptionally(new ClusterUnavailableException("the hub is closed"));
                });
        return result;
    }

    @Override
    public void join(Session session) {
        onBackplane(() -> {
            Local local = locals.get(session.id());
            if (local == null || local.session != session) {
                return; // left already
            }
            if (!up) {
                refuseJoin(session);
                return;
            }
            eval(Script.JOIN, node, session.id(), session.room(), nullToEmpty(session.username()))
                    .whenCompleteAsync((r, e) -> {
                        if (e != null) {
                            refuseJoin(session);
                        } // else: our own 'J' event, coming back in order, sends users_in_room
                    }, loop);
        });
    }

    private void refuseJoin(Session session) {
        session.link().send(ControlFrames.error(ErrorCode.CLUSTER_UNAVAILABLE,
                "the cluster backplane is unavailable; try again later", null));
        session.link().close(CloseCode.INTERNAL_ERROR, "cluster unavailable");
    }

    @Override
    public CompletionStage<PairResult> pair(Session requester, String targetId) {
        if (!requester.inLobby()) {
            return CompletableFuture.completedFuture(PairResult.PEER_NOT_FOUND);
        }
        if (targetId.equals(requester.id())) {
            return CompletableFuture.completedFuture(PairResult.SELF_PAIR);
        }
        Local local = locals.get(requester.id());
        if (local == null) {
            return CompletableFuture.completedFuture(PairResult.PEER_NOT_FOUND);
        }
        Peer current = local.peer.get();
        if (current != null) {
            return CompletableFuture.completedFuture(
                    current.id().equals(targetId) ? PairResult.ALREADY_PAIRED_WITH_TARGET : PairResult.ALREADY_PAIRED);
        }
        if (!up) {
            return CompletableFuture.failedFuture(new ClusterUnavailableException("Redis is unreachable"));
        }
        String token = Long.toHexString(ThreadLocalRandom.current().nextLong());
        CompletableFuture<PairResult> result = new CompletableFuture<>();
        onBackplane(() -> eval(Script.PAIR, node, requester.id(), targetId, token)
                .whenCompleteAsync((r, e) -> {
                    if (e != null) {
                        result.completeExceptionally(new ClusterUnavailableException("Redis did not answer: " + e));
                    } else {
                        result.complete(onPaired(local, targetId, token, asString(r)));
                    }
                }, loop),
                () -> result.completeExceptionally(new ClusterUnavailableException("the hub is closed")));
        return result;
    }

    /** On the loop: the pair script answered {@code reply}. */
    private PairResult onPaired(Local requester, String targetId, String token, String reply) {
        switch (reply.charAt(0)) {
            case 'W':
                return PairResult.ALREADY_PAIRED_WITH_TARGET;
            case 'A':
                return PairResult.ALREADY_PAIRED;
            case 'N':
                return PairResult.PEER_NOT_FOUND;
            case 'B':
                return PairResult.PEER_BUSY;
            default:
                break;
        }
        String targetNode = reply.substring(2);
        requester.peer.set(new Peer(targetId, targetNode, token));
        Local target = targetNode.equals(node) ? locals.get(targetId) : null;
        boolean targetTold = target != null && target.peer.compareAndSet(null, new Peer(requester.id(), node, token));
        // both sides know before either hears: the initiator's first offer finds its peer ready
        requester.session.link().send(ControlFrames.of(new Message.Paired(targetId, true)));
        if (targetTold) {
            target.session.link().send(ControlFrames.of(new Message.Paired(requester.id(), false)));
        }
        observer.paired(requester.id(), targetId);
        log.info("pair initiator={} peer={} peer_node={}", requester.id(), targetId, targetNode);
        return PairResult.PAIRED;
    }

    @Override
    public boolean unpair(Session session) {
        Local local = locals.get(session.id());
        if (local == null || local.session != session) {
            return false;
        }
        Peer peer = local.peer.getAndSet(null);
        if (peer == null) {
            return false;
        }
        onBackplane(() -> {
            run(Script.UNPAIR, session.id()); // before telling a local peer: its next pair_request then sees the keys gone
            tellUnpaired(peer.id(), session.id(), peer.token());
        });
        observer.unpaired(session.id(), peer.id());
        log.info("unpair client={} peer={}", session.id(), peer.id());
        return true;
    }

    @Override
    public RelayResult relay(Session sender, String to, ByteBuf frame) {
        try {
            Local me = locals.get(sender.id());
            if (sender.inLobby()) {
                Peer peer = me == null ? null : me.peer.get();
                if (peer == null) {
                    return RelayResult.NOT_PAIRED;
                }
                if (to != null && !to.equals(peer.id())) {
                    return RelayResult.TARGET_NOT_FOUND;
                }
                return deliver(peer.id(), peer.node(), sender, "", frame);
            }
            Map<String, Member> members = rooms.get(sender.room());
            if (to != null) {
                if (to.equals(sender.id())) {
                    return RelayResult.DROPPED_SELF;
                }
                Member m = members == null ? null : members.get(to);
                if (m == null) {
                    return RelayResult.TARGET_NOT_FOUND;
                }
                return deliver(m.id(), m.node(), sender, sender.room(), frame);
            }
            if (members == null) {
                return RelayResult.DELIVERED;
            }
            Set<String> otherNodes = null;
            for (Member m : members.values()) {
                if (m.id().equals(sender.id())) {
                    continue;
                }
                if (m.node().equals(node)) {
                    Local receiver = locals.get(m.id());
                    if (receiver != null) {
                        receiver.session.link().send(frame.retainedDuplicate());
                    }
                } else {
                    if (otherNodes == null) {
                        otherNodes = new HashSet<>();
                    }
                    otherNodes.add(m.node());
                }
            }
            if (otherNodes == null) {
                return RelayResult.DELIVERED;
            }
            if (!up) {
                return RelayResult.CLUSTER_UNAVAILABLE;
            }
            byte[] message = withFrame("B|" + sender.room() + "|" + sender.id() + "|", frame);
            for (String n : otherNodes) {
                redis.publish(prefix + "chan:" + n, message);
            }
            return RelayResult.DELIVERED;
        } finally {
            frame.release();
        }
    }

    private RelayResult deliver(String targetId, String targetNode, Session sender, String room, ByteBuf frame) {
        if (targetNode.equals(node)) {
            Local receiver = locals.get(targetId);
            if (receiver != null && accepts(receiver, sender.id(), room)) {
                receiver.session.link().send(frame.retain());
            }
            return RelayResult.DELIVERED;
        }
        if (!up) {
            return RelayResult.CLUSTER_UNAVAILABLE;
        }
        redis.publish(prefix + "chan:" + targetNode, withFrame("R|" + targetId + "|" + sender.id() + "|" + room + "|", frame));
        return RelayResult.DELIVERED;
    }

    /** Whether {@code receiver} may get a frame {@code from} sent in {@code room} ('' = lobby: only from its peer). */
    private static boolean accepts(Local receiver, String from, String room) {
        if (room.isEmpty()) {
            Peer p = receiver.peer.get();
            return receiver.session.inLobby() && p != null && p.id().equals(from);
        }
        return room.equals(receiver.session.room());
    }

    @Override
    public void depart(Session session) {
        Local local = locals.get(session.id());
        if (local == null || local.session != session || !local.gone.compareAndSet(false, true)) {
            return;
        }
        locals.remove(session.id(), local);
        if (!local.admitted) {
            return;
        }
        Peer peer = local.peer.getAndSet(null);
        onBackplane(() -> {
            boolean sent = up && run(Script.DEPART, node, session.id(), roomOf(session));
            if (peer != null) {
                tellUnpaired(peer.id(), session.id(), peer.token());
            }
            if (!sent && session.room() != null) {
                applyLeave(session.room(), session.id()); // Redis will hear of it when it is back
            }
        });
        if (peer != null) {
            observer.unpaired(session.id(), peer.id());
        }
        observer.clientLeft(session.id(), session.room());
    }

    /**
     * The node is shutting down and closes every local session: departures still run (and reach the
     * other nodes through Redis), but this node's own sessions are told nothing, so their live
     * peer-to-peer calls are not torn down by a rolling restart.
     */
    @Override
    public void goingAway() {
        goingAway = true;
    }

    @Override
    public HubState state() {
        int sessions = 0;
        int pairs = 0;
        for (Local l : locals.values()) {
            if (!l.admitted || l.gone.get()) {
                continue;
            }
            sessions++;
            Peer p = l.peer.get();
            if (p != null && l.id().compareTo(p.id()) < 0) {
                pairs++; // a pair counts on the node of its smaller id: summed over nodes, each pair once
            }
        }
        int roomCount = 0;
        int members = 0;
        for (Map<String, Member> room : rooms.values()) {
            Member smallest = null;
            for (Member m : room.values()) {
                if (m.node().equals(node)) {
                    members++;
                }
                if (smallest == null || m.id().compareTo(smallest.id()) < 0) {
                    smallest = m;
                }
            }
            if (smallest != null && smallest.node().equals(node)) {
                roomCount++; // likewise a room counts on the node of its smallest member
            }
        }
        return new HubState(sessions, pairs, roomCount, members);
    }

    @Override
    public Optional<Backplane> backplane() {
        return Optional.of(new Backplane("redis", up, node));
    }

    /** Leaves the cluster: whatever this node still holds departs, then the connections close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            CompletableFuture<Object> left = new CompletableFuture<>();
            loop.execute(() -> {
                if (!up) {
                    left.complete(null);
                    return;
                }
                eval(Script.LEAVE, node).whenComplete((r, e) -> left.complete(r));
            });
            left.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.info("leaving the cluster: {}", e.toString());
        }
        loop.shutdownNow();
        try {
            loop.awaitTermination(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The replica is the other nodes' business now: a node that left holds nothing, and its own
        // members' leave events may never come back to it once it stopped listening.
        rooms.clear();
        shutdownClient();
        log.info("cluster node {} left", node);
    }

    private void shutdownClient() {
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            log.debug("client shutdown", e);
        }
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    // ---- messages from other nodes (on the loop) ----------------------------------------------

    private void onMessage(String channel, byte[] message) {
        if (message.length == 0) {
            return;
        }
        char kind = (char) message[0];
        if (channel.equals(eventsChannel)) {
            onEvent(fields(message, kind == 'S' ? 2 : 6, false));
            return;
        }
        switch (kind) {
            case 'R' -> {
                int body = nthBar(message, 4);
                String[] f = fields(message, 4, true);
                Local receiver = locals.get(f[1]);
                if (receiver != null && accepts(receiver, f[2], f[3])) {
                    receiver.session.link().send(Unpooled.wrappedBuffer(message, body + 1, message.length - body - 1));
                }
            }
            case 'B' -> {
                int body = nthBar(message, 3);
                String[] f = fields(message, 3, true);
                Map<String, Member> members = rooms.get(f[1]);
                if (members == null) {
                    return;
                }
                ByteBuf frame = Unpooled.wrappedBuffer(message, body + 1, message.length - body - 1);
                for (Member m : members.values()) {
                    if (m.node().equals(node) && !m.id().equals(f[2])) {
                        Local receiver = locals.get(m.id());
                        if (receiver != null && f[1].equals(receiver.session.room())) {
                            receiver.session.link().send(frame.retainedDuplicate());
                        }
                    }
                }
                frame.release();
            }
            case 'P' -> {
                String[] f = fields(message, 5, false);
                Local target = locals.get(f[1]);
                if (target != null && target.peer.compareAndSet(null, new Peer(f[2], f[3], f[4]))) {
                    target.session.link().send(ControlFrames.of(new Message.Paired(f[2], false)));
                    observer.paired(f[2], f[1]); // each node observes the pairs its clients are in
                } // a target that left meanwhile: its departure script unpairs and tells the requester
            }
            case 'U' -> {
                String[] f = fields(message, 4, false);
                if (tellUnpaired(f[1], f[2], f[3])) {
                    observer.unpaired(f[2], f[1]);
                }
            }
            default -> log.warn("unknown backplane message kind {}", kind);
        }
    }

    /** Sends {@code peer_disconnected} to local {@code targetId} if it is still paired with {@code from} by {@code token}. */
    private boolean tellUnpaired(String targetId, String from, String token) {
        Local target = locals.get(targetId);
        if (target == null) {
            return false;
        }
        Peer p = target.peer.get();
        if (p == null || !p.id().equals(from) || !p.token().equals(token) || !target.peer.compareAndSet(p, null)) {
            return false;
        }
        if (!goingAway) { // shutting down: this node's own sessions are all being closed, tell them nothing
            target.session.link().send(ControlFrames.of(new Message.PeerDisconnected(from)));
            log.info("peer_disconnected client={} peer={}", targetId, from);
        }
        return true;
    }

    // ---- presence replica (on the loop) -------------------------------------------------------

    private void onEvent(String[] f) {
        if (snapshotInFlight) {
            heldEvents.add(f);
            return;
        }
        long seq = Long.parseLong(f[1]);
        if (seq <= lastSeq) {
            return; // in the snapshot already
        }
        if (seq != lastSeq + 1) {
            log.info("presence gap (have {}, got {}): re-reading rooms", lastSeq, seq);
            heldEvents.add(f);
            requestSnapshot();
            return;
        }
        lastSeq = seq;
        switch (f[0]) {
            case "J" -> applyJoin(f[2], new Member(f[3], f[4], emptyToNull(f[5])));
            case "L" -> applyLeave(f[2], f[3]);
            default -> {} // 'S': a node re-registered; its changes came as J/L events
        }
    }

    private void applyJoin(String room, Member member) {
        ConcurrentMap<String, Member> members = rooms.computeIfAbsent(room, r -> {
            observer.roomCreated(r);
            return new ConcurrentHashMap<>();
        });
        Member old = members.put(member.id(), member);
        if (member.equals(old)) {
            return;
        }
        Local self = member.node().equals(node) ? locals.get(member.id()) : null;
        if (self != null && !self.joined && room.equals(self.session.room())) {
            List<Message.RoomUser> others = new ArrayList<>(members.size());
            for (Member m : members.values()) {
                if (!m.id().equals(member.id())) {
                    others.add(new Message.RoomUser(m.id(), m.username()));
                }
            }
            self.session.link().send(ControlFrames.of(new Message.UsersInRoom(others)));
            self.joined = true;
            log.info("join room={} client={} members={}", room, member.id(), members.size());
        }
        tellMembers(members, member.id(), new Message.UserJoined(member.id(), member.username()));
    }

    private void applyLeave(String room, String id) {
        ConcurrentMap<String, Member> members = rooms.get(room);
        if (members == null) {
            return;
        }
        Member gone = members.remove(id);
        if (gone == null) {
            return;
        }
        if (members.isEmpty()) {
            rooms.remove(room, members);
            observer.roomRemoved(room);
        }
        tellMembers(members, id, new Message.UserLeft(id, gone.username()));
        if (gone.node().equals(node)) {
            log.info("leave room={} client={} members={}", room, id, members.size());
        }
    }

    /** Sends {@code message} to this node's joined members of the room but {@code except}. */
    private void tellMembers(Map<String, Member> members, String except, Message message) {
        if (goingAway) {
            return; // shutting down: every local member is being closed; other nodes tell their own members
        }
        ByteBuf frame = null;
        for (Member m : members.values()) {
            if (!m.node().equals(node) || m.id().equals(except)) {
                continue;
            }
            Local receiver = locals.get(m.id());
            if (receiver != null && receiver.joined) {
                if (frame == null) {
                    frame = ControlFrames.of(message);
                }
                receiver.session.link().send(frame.retainedDuplicate());
            }
        }
        if (frame != null) {
            frame.release();
        }
    }

    private void requestSnapshot() {
        if (snapshotInFlight) {
            return;
        }
        if (!up) {
            snapshotWanted = true;
            return;
        }
        snapshotInFlight = true;
        snapshotWanted = false;
        eval(Script.SNAPSHOT).whenCompleteAsync((r, e) -> {
            snapshotInFlight = false;
            if (e != null) {
                snapshotWanted = true;
                heldEvents.clear();
                return;
            }
            applySnapshot(asList(r));
            List<String[]> held = new ArrayList<>(heldEvents);
            heldEvents.clear();
            held.sort(Comparator.comparingLong(f -> Long.parseLong(f[1])));
            held.forEach(this::onEvent);
            firstSync.complete(null);
        }, loop);
    }

    /** Brings the replica to the snapshot, telling local members what changed. */
    private void applySnapshot(List<String> snapshot) {
        Map<String, Map<String, Member>> fresh = new HashMap<>();
        int i = 1;
        while (i < snapshot.size()) {
            String room = snapshot.get(i);
            int n = Integer.parseInt(snapshot.get(i + 1));
            Map<String, Member> members = new HashMap<>();
            for (int k = 0; k < n; k++) {
                String id = snapshot.get(i + 2 + 2 * k);
                String value = snapshot.get(i + 3 + 2 * k);
                int bar = value.indexOf('|');
                members.put(id, new Member(id, value.substring(0, bar), emptyToNull(value.substring(bar + 1))));
            }
            fresh.put(room, members);
            i += 2 + 2 * n;
        }
        Set<String> allRooms = new HashSet<>(rooms.keySet());
        allRooms.addAll(fresh.keySet());
        for (String room : allRooms) {
            Map<String, Member> before = rooms.containsKey(room) ? Map.copyOf(rooms.get(room)) : Map.of();
            Map<String, Member> after = fresh.getOrDefault(room, Map.of());
            before.forEach((id, m) -> {
                if (!m.equals(after.get(id))) {
                    applyLeave(room, id);
                }
            });
            after.forEach((id, m) -> {
                if (!m.equals(before.get(id))) {
                    applyJoin(room, m);
                }
            });
        }
        lastSeq = Long.parseLong(snapshot.get(0));
    }

    // ---- liveness of Redis and of the nodes (on the loop) -------------------------------------

    private void refreshUp() {
        if (closed) {
            return;
        }
        boolean now = connection.isOpen() && subscription.isOpen();
        if (now == up) {
            return;
        }
        up = now;
        observer.backplaneChanged("redis", now);
        if (now) {
            log.info("backplane up: node {} re-registering its state", node);
            upSinceNanos = System.nanoTime();
            needResync = true;
            resync();
        } else {
            log.warn("backplane down: cross-node operations answer cluster_unavailable until Redis is back");
        }
    }

    private void tick() {
        try {
            refreshUp();
            if (!up || closed) {
                return;
            }
            if (needResync) {
                resync();
                return;
            }
            eval(Script.HEARTBEAT, node, millis(config.nodeTtl()), millis(config.idTtl())).whenCompleteAsync((r, e) -> {
                if (e == null && asLong(r) == 0) {
                    log.warn("node {}'s registration is gone from Redis: writing it again", node);
                    needResync = true;
                    resync();
                }
            }, loop);
            eval(Script.CLEANUP, node, millis(config.nodeTtl())).whenCompleteAsync((r, e) -> {
                if (e == null) {
                    for (String dead : asList(r)) {
                        log.warn("node {} stopped heartbeating: its clients' departures were announced", dead);
                    }
                }
            }, loop);
            if (snapshotWanted) {
                requestSnapshot();
            }
            if (System.nanoTime() - upSinceNanos > config.nodeTtl().toNanos()) {
                verifyPairs();
            }
        } catch (RuntimeException e) {
            log.warn("backplane tick failed", e);
        }
    }

    /** Writes this node's whole state to Redis (start, reconnection, or after being taken for dead), then re-reads rooms. */
    private void resync() {
        if (resyncInFlight || !up) {
            return;
        }
        resyncInFlight = true;
        needResync = false;
        List<String> args = new ArrayList<>(List.of(node, millis(config.nodeTtl()), millis(config.idTtl())));
        for (Local l : locals.values()) {
            if (!l.admitted || l.gone.get()) {
                continue;
            }
            Peer p = l.peer.get();
            args.add(l.id());
            args.add(roomOf(l.session));
            args.add(p == null ? "" : p.value());
            args.add(nullToEmpty(l.session.username()));
        }
        eval(Script.RESYNC, args.toArray(String[]::new)).whenCompleteAsync((r, e) -> {
            resyncInFlight = false;
            if (e != null) {
                log.info("re-registration failed ({}); retrying", e.toString());
                needResync = true;
                return;
            }
            for (String id : asList(r)) {
                Local l = locals.get(id);
                if (l != null) {
                    log.warn("client {} lost its id to another node while Redis was away", id);
                    l.session.link().send(ControlFrames.error(ErrorCode.ID_TAKEN, "client id " + id + " is already in use", null));
                    l.session.link().close(CloseCode.ID_TAKEN, "id taken");
                }
            }
            requestSnapshot();
        }, loop);
    }

    /** Asks whether each cross-node pairing still holds on the peer's side; tells the clients whose did not. */
    private void verifyPairs() {
        Map<String, Peer> asked = new HashMap<>();
        List<String> args = new ArrayList<>();
        for (Local l : locals.values()) {
            Peer p = l.peer.get();
            if (p != null && !p.node().equals(node) && l.admitted) {
                asked.put(l.id(), p);
                args.add(l.id());
                args.add(p.value());
                args.add(p.node());
            }
        }
        if (asked.isEmpty()) {
            return;
        }
        eval(Script.VERIFY, args.toArray(String[]::new)).whenCompleteAsync((r, e) -> {
            if (e != null) {
                return;
            }
            for (String id : asList(r)) {
                Peer p = asked.get(id);
                if (p != null && tellUnpaired(id, p.id(), p.token())) {
                    observer.unpaired(p.id(), id);
                }
            }
        }, loop);
    }

    // ---- Redis helpers --------------------------------------------------------------------------

    /** Runs {@code task} on the loop; {@code ifRejected} when the hub is closed. */
    private void onBackplane(Runnable task, Runnable ifRejected) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("backplane task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            ifRejected.run();
        }
    }

    private void onBackplane(Runnable task) {
        onBackplane(task, () -> {});
    }

    /** Evaluates a script with ARGV = prefix, then {@code args}. */
    private CompletableFuture<Object> eval(Script script, String... args) {
        byte[][] values = new byte[args.length + 1][];
        values[0] = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < args.length; i++) {
            values[i + 1] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        try {
            return redis.<Object>eval(script.text, script.output, new String[0], values).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Fires a script whose answer does not matter; on failure this node re-registers when it can. False if not sent. */
    private boolean run(Script script, String... args) {
        if (!up) {
            needResync = true;
            return false;
        }
        eval(script, args).whenCompleteAsync((r, e) -> {
            if (e != null) {
                log.info("{} failed ({}): will re-register", script, e.toString());
                needResync = true;
            }
        }, loop);
        return true;
    }

    private static byte[] withFrame(String header, ByteBuf frame) {
        byte[] head = header.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + frame.readableBytes()];
        System.arraycopy(head, 0, out, 0, head.length);
        frame.getBytes(frame.readerIndex(), out, head.length, frame.readableBytes());
        return out;
    }

    /** The index of the {@code n}th '|' (1-based). */
    private static int nthBar(byte[] message, int n) {
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '|' && --n == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("malformed backplane message");
    }

    /**
     * The first {@code count} '|'-separated fields; the last one runs to the end unless {@code headerOnly}
     * (then the rest after the {@code count}th bar is a frame and is not decoded).
     */
    private static String[] fields(byte[] message, int count, boolean headerOnly) {
        String[] out = new String[count];
        int start = 0;
        for (int f = 0; f < count; f++) {
            boolean last = f == count - 1;
            int end = start;
            if (last && !headerOnly) {
                end = message.length;
            } else {
                while (end < message.length && message[end] != '|') {
                    end++;
                }
            }
            out[f] = new String(message, start, end - start, StandardCharsets.UTF_8);
            start = end + 1;
        }
        return out;
    }

    private static long asLong(Object reply) {
        return reply instanceof Long l ? l : -1;
    }

    private static String asString(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private static List<String> asList(Object reply) {
        List<String> out = new ArrayList<>();
        if (reply instanceof List<?> list) {
            for (Object o : list) {
                out.add(asString(o));
            }
        }
        return out;
    }

    private static String roomOf(Session s) {
        return s.room() == null ? "" : s.room();
    }

    private static String millis(Duration d) {
        return Long.toString(d.toMillis());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
