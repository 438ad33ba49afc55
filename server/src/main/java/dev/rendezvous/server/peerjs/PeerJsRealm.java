package dev.rendezvous.server.peerjs;

import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.hub.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PeerJS clients of this server and what peerjs-server's realm, transmission handler and
 * message-expiry service do: register an id (in the hub's one directory, beside v1 ids), relay
 * {@code OFFER}/{@code ANSWER}/{@code CANDIDATE}/{@code LEAVE}/{@code EXPIRE} with the sender stamped,
 * queue messages for an id that is not connected and answer {@code EXPIRE} when they time out, and
 * answer {@code LEAVE} for a delivery that fails.
 *
 * <p>Cluster: a message for an id held on another node goes there through the hub ({@link Hub#deliver});
 * messages for an id held nowhere wait in this node's queue (the sender's node), which the hub is asked to
 * {@link Hub#watch watch}: when the id comes up on another node within {@code expire_timeout} the hub tells
 * {@link #arrivedElsewhere} and the queue follows it there; else the senders hear {@code EXPIRE} from here.
 * {@link #route} is the one place that decides between delivering here, through the hub, and queueing.
 */
final class PeerJsRealm {
    private static final Logger log = LoggerFactory.getLogger(PeerJsRealm.class);
    /** All queues together hold at most this many bytes (a flood to unknown ids cannot grow memory). */
    static final long MAX_QUEUED_BYTES = 64L << 20;

    private final PeerJsConfig config;
    private final Hub hub;
    private final ScheduledExecutorService scheduler;
    private final PeerJsObserver observer;
    private final ConcurrentMap<String, PeerClient> clients = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, OfflineQueue> queues = new ConcurrentHashMap<>();
    private final AtomicLong queuedBytes = new AtomicLong();

    PeerJsRealm(PeerJsConfig config, Hub hub, ScheduledExecutorService scheduler, PeerJsObserver observer) {
        this.config = config;
        this.observer = observer;
        this.hub = hub;
        this.scheduler = scheduler;
        hub.onArrival(PeerJsConfig.HUB_SCOPE, this::arrivedElsewhere);
    }

    /** Who hears the PeerJS events (refusals, relays, queued, expired, ignored frames). */
    PeerJsObserver observer() {
        return observer;
    }

    PeerJsConfig config() {
        return config;
    }

    /** Connected ids (for {@code /peers}). */
    List<String> ids() {
        return new ArrayList<>(clients.keySet());
    }

    int size() {
        return clients.size();
    }

    /** A fresh id, not held by a PeerJS client here. */
    String freshId() {
        String id;
        do {
            id = PeerJsIds.fresh();
        } while (clients.containsKey(id));
        return id;
    }

    /**
     * Admits {@code socket} as {@code id} (key already checked): a same-token takeover, {@code ID-TAKEN},
     * the concurrent limit, or a new registration in the hub. Any thread; answers on the socket.
     */
    void admit(PeerJsSocketHandler socket, String id, String token) {
        PeerClient existing = clients.get(id);
        if (existing != null) {
            if (!existing.tokenMatches(token)) {
                observer.refused("id_taken");
                socket.refuse(PeerJsMessages.idTaken(), CloseCodes.ID_TAKEN, "id taken");
                return;
            }
            PeerJsSocketHandler old = existing.socket();
            if (existing.replace(old, socket)) {
                socket.admitted(existing);
                old.close(CloseCodes.REPLACED, "replaced by a connection with the same id and token");
                socket.send(PeerJsMessages.open()); // the one intended difference: the 1.5 client opens on it
                log.info("peerjs takeover id={}", id);
                return;
            }
            // it left meanwhile: register anew below
        }
        if (clients.size() >= config.concurrentLimit()) {
            observer.refused("limit");
            socket.refuse(
                    PeerJsMessages.error(PeerJsMessages.CONNECTION_LIMIT_EXCEED),
                    CloseCodes.TRY_AGAIN_LATER,
                    "concurrent limit");
            return;
        }
        PeerClient client = new PeerClient(id, token, socket, this);
        // Evicted (a cluster gave the id to a client elsewhere while this node was cut off): the socket closes;
        // a v1 error frame would mean nothing to a PeerJS client.
        Session session = new Session(
                id,
                null,
                PeerJsConfig.HUB_SCOPE,
                client,
                refusal -> client.close(
                        refusal.close() != null ? refusal.close() : dev.rendezvous.protocol.CloseCode.ID_TAKEN,
                        refusal.message()));
        client.session(session);
        // Same id and token on another node of a cluster: the hub takes the id from there (its socket is closed).
        hub.register(session, client.takeoverKey()).whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("peerjs id={} could not be registered", id, error);
                socket.refuse(
                        PeerJsMessages.error("The server cannot register ids right now"),
                        CloseCodes.TRY_AGAIN_LATER,
                        "directory unavailable");
                return;
            }
            if (!ok || clients.putIfAbsent(id, client) != null) {
                if (ok) {
                    hub.depart(session);
                }
                observer.refused("id_taken");
                socket.refuse(PeerJsMessages.idTaken(), CloseCodes.ID_TAKEN, "id taken");
                return;
            }
            socket.admitted(client);
            socket.send(PeerJsMessages.open());
            client.opened(); // from now on messages go to its socket; until now they were queued for it
            log.info("peerjs open id={}", id);
            if (!socket.isOpen()) {
                left(client, socket); // closed during registration: its close found no client yet
                return;
            }
            deliverQueued(client);
        });
    }

    /** The socket {@code socket} of {@code client} ended; the client leaves unless a takeover replaced it. */
    void left(PeerClient client, PeerJsSocketHandler socket) {
        if (!client.release(socket)) {
            return;
        }
        clients.remove(client.id(), client);
        hub.depart(client.session());
        log.info("peerjs leave id={}", client.id());
    }

    /** Handles the message {@code scan} just read from {@code client}: peerjs-server's message handler. */
    void onMessage(PeerClient client, PeerJsSocketHandler socket, PeerJsScanner scan) {
        PeerJsType type = scan.type();
        switch (type) {
            case HEARTBEAT -> socket.heartbeat();
            case OFFER, ANSWER, CANDIDATE, LEAVE, EXPIRE -> relay(client, socket, scan, type);
            case OTHER -> socket.ignored("unknown type " + scan.typeText());
        }
    }

    /**
     * Stamps the scanned message with its sender and sends it on (here or to the node that holds its
     * {@code dst}), queues it, or drops it (peerjs-server's rules). The frame is spliced from the client's
     * bytes into a buffer of the sender's channel: the relay's hot path builds no tree and no string but
     * {@code dst}.
     */
    private void relay(PeerClient client, PeerJsSocketHandler socket, PeerJsScanner scan, PeerJsType type) {
        String dst = scan.dst();
        if (dst == null) {
            observer.ignored();
            return; // nowhere to go (peerjs-server: a LEAVE without dst drops the sender; we keep it connected)
        }
        ByteBuf frame = socket.buffer(scan.relayedLength(client.srcValue()));
        scan.writeRelayed(client.srcValue(), frame);
        route(type.wireName, client.id(), dst, frame);
    }

    /** The server's own {@code type} (EXPIRE, LEAVE) from {@code src} to {@code dst}, by the same rules. */
    private void transmit(String type, String src, String dst) {
        route(type, src, dst, utf8(PeerJsMessages.relayed(type, src, dst)));
    }

    /**
     * The one place that decides where a message goes: a client of this node gets it at once; one that is
     * being admitted here, or that others already wait for, gets it queued behind them (in order); else the
     * hub delivers it by id on whichever node holds {@code dst}, and an id held nowhere has it queued.
     */
    private void route(String type, String src, String dst, ByteBuf frame) {
        PeerClient target = clients.get(dst);
        if (target != null && deliverIfNothingWaits(target, type, src, frame)) {
            return;
        }
        String json = frame.toString(StandardCharsets.UTF_8); // kept for the queue, which holds text
        if (target != null || queues.containsKey(dst)) {
            frame.release();
            if (waits(type)) {
                enqueue(type, src, dst, json);
            }
            return;
        }
        hub.deliver(PeerJsConfig.HUB_SCOPE, dst, frame) // takes the frame
                .whenComplete((delivery, error) -> {
                    if (delivery == Hub.Delivery.DELIVERED) {
                        return; // the receiving node counts it
                    }
                    if (error != null || delivery == Hub.Delivery.UNAVAILABLE) {
                        log.debug("peerjs delivery to id={} could not reach the cluster: queued", dst);
                    }
                    if (waits(type)) {
                        enqueue(type, src, dst, json); // expires with EXPIRE unless dst comes up in time
                    }
                });
    }

    /** LEAVE and EXPIRE for an id that is not connected are not worth waiting for. */
    private static boolean waits(String type) {
        return !type.equals("LEAVE") && !type.equals("EXPIRE");
    }

    /**
     * A message the hub delivered to {@code client} by id (sent from another node, or raced with its
     * admission here): handed to its socket once it is open, else queued for it like any other.
     */
    void fromHub(PeerClient client, ByteBuf frame) {
        PeerJsScanner scan = PeerJsScanner.forThisThread();
        String src = scan.scan(ByteBufUtil.getBytes(frame), frame.readableBytes())
                        && scan.type().relayed()
                ? scan.src()
                : null;
        if (src == null) { // not a frame this server wrote
            frame.release();
            observer.ignored();
            return;
        }
        String type = scan.type().wireName;
        if (clients.get(client.id()) == client && deliverIfNothingWaits(client, type, src, frame)) {
            return;
        }
        String json = frame.toString(StandardCharsets.UTF_8);
        frame.release();
        if (waits(type)) {
            enqueue(type, src, client.id(), json);
        }
    }

    /**
     * Delivers {@code frame} to {@code target} if it is open and nothing waits for it in a queue; else leaves the
     * frame to the caller (to queue behind what waits) and returns false. Under the target's monitor, as the
     * hand-over of its queue at admission ({@link #deliverQueued}) is: a message that arrives on another thread
     * while the queue is written out can neither overtake it nor be queued behind a queue already drained.
     */
    private boolean deliverIfNothingWaits(PeerClient target, String type, String src, ByteBuf frame) {
        boolean delivered;
        synchronized (target) {
            if (!target.ready() || queues.containsKey(target.id())) {
                return false;
            }
            delivered = target.deliver(frame);
        }
        if (delivered) {
            observer.relayed(type);
        } else {
            undeliverable(target, type, src); // outside the monitor: it sends LEAVE, to another client
        }
        return true;
    }

    private void undeliverable(PeerClient target, String type, String src) {
        // The target's socket is gone or not reading: tell the sender to stop trying (never for LEAVE itself).
        PeerJsSocketHandler s = target.socket();
        if (s != null) {
            s.close(CloseCodes.GOING_AWAY, "delivery failed");
        }
        if (waits(type)) {
            transmit("LEAVE", target.id(), src);
        }
    }

    private void enqueue(String type, String src, String dst, String json) {
        long bytes = json.length();
        if (queuedBytes.addAndGet(bytes) > MAX_QUEUED_BYTES) {
            queuedBytes.addAndGet(-bytes);
            observer.expired();
            transmit("EXPIRE", dst, src);
            return;
        }
        OfflineQueue.Waiting waiting = new OfflineQueue.Waiting(src, type, json);
        OfflineQueue q = queues.computeIfAbsent(dst, this::newQueue);
        switch (q.add(waiting)) {
            case QUEUED -> {
                observer.queued();
                PeerClient arrived = clients.get(dst); // it may have arrived between our look-up and the add
                if (arrived != null && arrived.ready()) {
                    deliverQueued(arrived);
                } else if (arrived == null && q.startWatch()) {
                    // Another node may admit dst: the hub tells us (arrivedElsewhere), or says it is there already.
                    hub.watch(PeerJsConfig.HUB_SCOPE, dst, config.expireTimeout())
                            .whenComplete((present, error) -> {
                                if (Boolean.TRUE.equals(present)) {
                                    arrivedElsewhere(dst);
                                }
                            });
                }
            }
            case FULL -> {
                queuedBytes.addAndGet(-bytes);
                observer.expired();
                transmit("EXPIRE", dst, src);
            }
            case DRAINED -> {
                // Lost the race with arrival (here or elsewhere) or expiry: route it again.
                queuedBytes.addAndGet(-bytes);
                queues.remove(dst, q);
                route(type, src, dst, utf8(json));
            }
        }
    }

    private OfflineQueue newQueue(String dst) {
        OfflineQueue q = new OfflineQueue(dst, config.maxQueuedPerPeer());
        ScheduledFuture<?> f =
                scheduler.schedule(() -> expire(q), config.expireTimeout().toMillis(), TimeUnit.MILLISECONDS);
        q.expiry(() -> f.cancel(false));
        return q;
    }

    /** Writes out what waits for {@code client}, in order; see {@link #deliverIfNothingWaits} for the monitor. */
    private void deliverQueued(PeerClient client) {
        synchronized (client) {
            OfflineQueue q = queues.remove(client.id());
            if (q == null) {
                return;
            }
            List<OfflineQueue.Waiting> waiting = q.drain();
            waiting.forEach(w -> queuedBytes.addAndGet(-w.json().length()));
            for (OfflineQueue.Waiting w : waiting) {
                if (client.deliver(utf8(w.json()))) {
                    observer.relayed(w.type());
                } else {
                    break; // its socket went away again: the sender hears LEAVE on its next message
                }
            }
        }
    }

    /**
     * {@code id} came up on another node while messages waited for it here: they go there, in order, through
     * the hub. Any thread (the hub's).
     */
    private void arrivedElsewhere(String id) {
        if (clients.containsKey(id)) {
            return; // being admitted here: its admission delivers the queue
        }
        OfflineQueue q = queues.remove(id);
        if (q == null) {
            return;
        }
        List<OfflineQueue.Waiting> waiting = q.drain();
        for (OfflineQueue.Waiting w : waiting) {
            queuedBytes.addAndGet(-w.json().length());
            route(w.type(), w.src(), id, utf8(w.json()));
        }
    }

    /** The queue's time is up: every sender in it hears {@code EXPIRE} once (peerjs-server's messagesExpire). */
    private void expire(OfflineQueue q) {
        queues.remove(q.dst(), q);
        Set<String> senders = new LinkedHashSet<>();
        for (OfflineQueue.Waiting w : q.drain()) {
            queuedBytes.addAndGet(-w.json().length());
            senders.add(w.src());
        }
        for (String src : senders) {
            observer.expired();
            transmit("EXPIRE", q.dst(), src);
        }
    }

    /** Text off the hot path (queued, or made by the server) as a frame buffer. */
    private static ByteBuf utf8(String json) {
        return Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Closes every PeerJS socket of this process with 1001 (server shutdown). */
    void goingAway() {
        for (PeerClient c : clients.values()) {
            PeerJsSocketHandler s = c.socket();
            if (s != null) {
                s.close(CloseCodes.GOING_AWAY, "server shutting down");
            }
        }
    }

    /** Close codes of PeerJS sockets (the client reads none of them; operators and tests do). */
    static final class CloseCodes {
        static final int NORMAL = 1000;
        static final int GOING_AWAY = 1001;
        static final int POLICY = 1008;
        static final int TOO_LARGE = 1009;
        static final int TRY_AGAIN_LATER = 1013;
        static final int ID_TAKEN = 4002;
        static final int KEEPALIVE_TIMEOUT = 4008;
        static final int REPLACED = 4009;
        static final int RATE_LIMITED = 4029;

        private CloseCodes() {}
    }
}
