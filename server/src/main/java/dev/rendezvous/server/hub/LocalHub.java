package dev.rendezvous.server.hub;

import dev.rendezvous.protocol.Message;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The in-process {@link Hub}: one node, state in concurrent maps, no global lock (see package doc). */
public final class LocalHub implements Hub {
    private static final Logger log = LoggerFactory.getLogger(LocalHub.class);

    private final ConcurrentMap<String, Entry> directory = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final AtomicInteger pairs = new AtomicInteger();
    private final AtomicInteger roomMembers = new AtomicInteger();
    private final HubObserver observer;
    /** Set by {@link #goingAway}: every session here is being closed, departures tell no one. */
    private volatile boolean goingAway;

    public LocalHub() {
        this(HubObserver.NONE);
    }

    public LocalHub(HubObserver observer) {
        Objects.requireNonNull(observer, "observer");
        this.observer = observer;
    }

    /**
     * This hub's state of one registered session. Pairing state ({@link #peer}, {@link #departed}) is
     * guarded by this entry's monitor; a pairing change takes the monitors of both entries in id order.
     */
    static final class Entry implements Session.Entry {
        final Session session;
        /** The paired peer in the lobby; guarded by this (written), volatile (read by relay). */
        volatile Entry peer;
        /** Set once the session started leaving; guarded by this. Nobody may pair with it afterwards. */
        boolean departed;
        /**
         * The room this session joined, once joined: written under the room's monitor by
         * {@link LocalHub#join}, read without a lock by {@link LocalHub#relay} and {@link LocalHub#depart},
         * which need not run on the joining thread — hence volatile.
         */
        volatile Room joinedRoom;
        /** Departure cleanup runs exactly once. */
        final AtomicBoolean gone = new AtomicBoolean();

        Entry(Session session) {
            this.session = session;
        }

        String id() {
            return session.id();
        }

        @Override
        public String peerId() {
            Entry p = peer;
            return p == null ? null : p.id();
        }
    }

    /** A room: its members by id. Membership changes hold this room's monitor. */
    static final class Room {
        final String name;
        final ConcurrentMap<String, Entry> members = new ConcurrentHashMap<>();
        /** Guarded by this: the room lost its last member and left the table; joiners make a new one. */
        boolean removed;

        Room(String name) {
            this.name = name;
        }
    }

    private static Entry entry(Session session) {
        return (Entry) session.entry();
    }

    @Override
    public CompletionStage<Boolean> register(Session session) {
        Entry entry = new Entry(session);
        if (directory.putIfAbsent(session.id(), entry) != null) {
            return CompletableFuture.completedFuture(false);
        }
        session.attach(entry);
        observer.clientAdmitted(session.id(), session.room());
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<JoinResult> join(Session session) {
        String name = Objects.requireNonNull(session.room(), "a lobby session joins no room");
        Entry entry = Objects.requireNonNull(entry(session), "join before register");
        while (true) {
            Room room = rooms.computeIfAbsent(name, Room::new);
            synchronized (room) {
                if (room.removed) {
                    continue; // emptied and dropped while we looked it up: take the fresh one
                }
                if (room.members.containsKey(session.id())) {
                    // Cannot happen while the directory holds the id until departure ends; never replace a member.
                    log.warn("join room={} client={} refused: the id is a member already", name, session.id());
                    return CompletableFuture.completedFuture(JoinResult.JOINED);
                }
                if (room.members.isEmpty()) {
                    observer.roomCreated(name);
                }
                List<Message.RoomUser> others = new ArrayList<>(room.members.size());
                for (Entry m : room.members.values()) {
                    others.add(new Message.RoomUser(m.id(), m.session.username()));
                }
                Notices.usersInRoom(session.link(), others);
                try (Notices.Fanout joined = Notices.userJoined(session.id(), session.username())) {
                    room.members.values().forEach(m -> joined.to(m.session.link()));
                }
                if (room.members.putIfAbsent(session.id(), entry) == null) {
                    roomMembers.incrementAndGet();
                }
                entry.joinedRoom = room;
            }
            log.info("join room={} client={} members={}", name, session.id(), room.members.size());
            return CompletableFuture.completedFuture(JoinResult.JOINED);
        }
    }

    @Override
    public CompletionStage<PairResult> pair(Session requester, String targetId) {
        return CompletableFuture.completedFuture(pairNow(requester, targetId));
    }

    private PairResult pairNow(Session requesterSession, String targetId) {
        Entry requester = entry(requesterSession);
        String currentPeer;
        synchronized (requester) { // an end under way completes first: its peer_disconnected may be out already
            currentPeer = requester.peerId();
        }
        PairResult refused = Pairing.precheck(requesterSession, targetId, currentPeer);
        if (refused != null) {
            return refused;
        }
        Entry target = directory.get(targetId);
        if (target == null || !target.session.inLobby()) {
            synchronized (requester) { // paired meanwhile: that is the answer, as protocol order puts it first
                Entry current = requester.peer;
                return current != null ? Pairing.alreadyPaired(current.id(), targetId) : Pairing.peerNotFound(targetId);
            }
        }
        Entry first = requester.id().compareTo(target.id()) < 0 ? requester : target;
        Entry second = first == requester ? target : requester;
        PairResult result;
        synchronized (first) {
            synchronized (second) {
                if (requester.peer != null) { // paired meanwhile (e.g. the target asked for us at the same time)
                    return Pairing.alreadyPaired(requester.peer.id(), targetId);
                }
                if (requester.departed || target.departed) {
                    return Pairing.peerNotFound(targetId);
                }
                if (target.peer != null) {
                    return Pairing.peerBusy(targetId);
                }
                requester.peer = target;
                target.peer = requester;
                pairs.incrementAndGet();
                result = Pairing.announce(requesterSession, target.id(), target.session.link());
            }
        }
        observer.paired(requester.id(), target.id());
        log.info("pair initiator={} peer={}", requester.id(), target.id());
        return result;
    }

    @Override
    public boolean unpair(Session session) {
        return unpair(entry(session), true);
    }

    private boolean unpair(Entry entry, boolean tellPeer) {
        while (true) {
            Entry peer = entry.peer;
            if (peer == null) {
                return false;
            }
            Entry first = entry.id().compareTo(peer.id()) < 0 ? entry : peer;
            Entry second = first == entry ? peer : entry;
            synchronized (first) {
                synchronized (second) {
                    if (entry.peer != peer) {
                        continue; // changed while we took the locks: look again
                    }
                    Pairing.end(peer.session.link(), entry.id(), tellPeer, () -> {
                        entry.peer = null;
                        peer.peer = null;
                    });
                    pairs.decrementAndGet();
                }
            }
            observer.unpaired(entry.id(), peer.id());
            log.info("unpair client={} peer={}", entry.id(), peer.id());
            return true;
        }
    }

    @Override
    public RelayResult relay(Session sender, String to, ByteBuf frame) {
        // A single receiver takes the frame as it is (no retain + release: two atomic operations fewer per
        // message, and no refcount race between this thread and the receiver's loop releasing it).
        boolean handedOver = false;
        try {
            Entry from = entry(sender);
            if (sender.inLobby()) {
                Entry peer = from.peer;
                if (peer == null) {
                    return RelayResult.NOT_PAIRED;
                }
                if (to != null && !to.equals(peer.id())) {
                    return RelayResult.TARGET_NOT_FOUND;
                }
                handedOver = true;
                peer.session.link().send(frame);
                return RelayResult.DELIVERED;
            }
            Room room = from.joinedRoom;
            if (room == null) {
                return RelayResult.TARGET_NOT_FOUND;
            }
            if (to != null) {
                if (to.equals(sender.id())) {
                    return RelayResult.DROPPED_SELF;
                }
                Entry target = room.members.get(to);
                if (target == null) {
                    return RelayResult.TARGET_NOT_FOUND;
                }
                handedOver = true;
                target.session.link().send(frame);
                return RelayResult.DELIVERED;
            }
            for (Entry m : room.members.values()) {
                if (m != from) {
                    m.session.link().send(frame.retainedDuplicate());
                }
            }
            return RelayResult.DELIVERED;
        } finally {
            if (!handedOver) {
                frame.release();
            }
        }
    }

    @Override
    public CompletionStage<Delivery> deliver(String scope, String to, ByteBuf frame) {
        Entry e = directory.get(to);
        if (e == null || !scope.equals(e.session.room()) || e.gone.get()) {
            frame.release();
            return CompletableFuture.completedFuture(Delivery.ABSENT);
        }
        e.session.link().send(frame);
        return CompletableFuture.completedFuture(Delivery.DELIVERED);
    }

    @Override
    public void depart(Session session) {
        Entry entry = entry(session);
        if (entry == null || !entry.gone.compareAndSet(false, true)) {
            return; // refused before admission (it never held anything), or left already
        }
        synchronized (entry) {
            entry.departed = true;
        }
        boolean tell = !goingAway;
        if (session.inLobby()) {
            unpair(entry, tell);
        } else {
            leaveRoom(entry, tell);
        }
        // Last: until the session has left its pairing and room, its id stays taken, so a reconnect with the
        // same id cannot meet its own ghost (listed to itself, counted twice, told that it left).
        directory.remove(session.id(), entry);
        observer.clientLeft(session.id(), session.room());
    }

    @Override
    public void goingAway() {
        goingAway = true;
    }

    private void leaveRoom(Entry entry, boolean tellMembers) {
        Room room = entry.joinedRoom;
        if (room == null) {
            return; // registered but never joined (closed during admission)
        }
        int remaining;
        synchronized (room) {
            if (room.members.get(entry.id()) == entry) {
                if (tellMembers) { // before the member goes: a relay to it that fails then is answered after user_left
                    try (Notices.Fanout left = Notices.userLeft(entry.id(), entry.session.username())) {
                        room.members.values().forEach(m -> {
                            if (m != entry) {
                                left.to(m.session.link());
                            }
                        });
                    }
                }
                room.members.remove(entry.id(), entry);
                roomMembers.decrementAndGet();
            }
            remaining = room.members.size();
            if (remaining == 0) {
                room.removed = true;
                rooms.remove(room.name, room);
                observer.roomRemoved(room.name);
            }
        }
        log.info("leave room={} client={} members={}", room.name, entry.id(), remaining);
    }

    @Override
    public HubState state() {
        return new HubState(directory.size(), pairs.get(), rooms.size(), roomMembers.get());
    }

    /** The session registered under {@code id}, or null (for tests and diagnostics). */
    public Session find(String id) {
        Entry e = directory.get(id);
        return e == null ? null : e.session;
    }
}
