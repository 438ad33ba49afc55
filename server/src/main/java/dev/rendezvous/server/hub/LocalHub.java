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
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The in-process {@link Hub}: one node, state in concurrent maps, no global lock (see package doc). */
public final class LocalHub implements Hub {
    private static final Logger log = LoggerFactory.getLogger(LocalHub.class);

    private final ConcurrentMap<String, Session> directory = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final AtomicInteger pairs = new AtomicInteger();
    private final AtomicInteger roomMembers = new AtomicInteger();
    private final HubObserver observer;

    public LocalHub() {
        this(HubObserver.NONE);
    }

    public LocalHub(HubObserver observer) {
        Objects.requireNonNull(observer, "observer");
        this.observer = observer;
    }

    /** A room: its members by id. Membership changes hold this room's monitor. */
    static final class Room {
        final String name;
        final ConcurrentMap<String, Session> members = new ConcurrentHashMap<>();
        /** Guarded by this: the room lost its last member and left the table; joiners make a new one. */
        boolean removed;

        Room(String name) {
            this.name = name;
        }
    }

    @Override
    public CompletionStage<Boolean> register(Session session) {
        return CompletableFuture.completedFuture(registerNow(session));
    }

    private boolean registerNow(Session session) {
        if (directory.putIfAbsent(session.id(), session) != null) {
            return false;
        }
        session.registered = true;
        observer.clientAdmitted(session.id(), session.room());
        return true;
    }

    @Override
    public void join(Session session) {
        String name = Objects.requireNonNull(session.room(), "a lobby session joins no room");
        while (true) {
            Room room = rooms.computeIfAbsent(name, Room::new);
            synchronized (room) {
                if (room.removed) {
                    continue; // emptied and dropped while we looked it up: take the fresh one
                }
                if (room.members.isEmpty()) {
                    observer.roomCreated(name);
                }
                List<Message.RoomUser> others = new ArrayList<>(room.members.size());
                for (Session m : room.members.values()) {
                    others.add(new Message.RoomUser(m.id(), m.username()));
                }
                session.link().send(ControlFrames.of(new Message.UsersInRoom(others)));
                broadcast(room, null, ControlFrames.of(new Message.UserJoined(session.id(), session.username())));
                room.members.put(session.id(), session);
                roomMembers.incrementAndGet();
                session.joinedRoom = room;
            }
            log.info("join room={} client={} members={}", name, session.id(), room.members.size());
            return;
        }
    }

    @Override
    public CompletionStage<PairResult> pair(Session requester, String targetId) {
        return CompletableFuture.completedFuture(pairNow(requester, targetId));
    }

    private PairResult pairNow(Session requester, String targetId) {
        if (!requester.inLobby()) {
            return PairResult.PEER_NOT_FOUND; // rooms do not pair; lobby and rooms are separate scopes
        }
        if (targetId.equals(requester.id())) {
            return PairResult.SELF_PAIR;
        }
        Session target = directory.get(targetId);
        if (target == null || !target.inLobby()) {
            synchronized (requester) {
                return requester.peer != null ? PairResult.ALREADY_PAIRED : PairResult.PEER_NOT_FOUND;
            }
        }
        Session first = requester.id().compareTo(target.id()) < 0 ? requester : target;
        Session second = first == requester ? target : requester;
        synchronized (first) {
            synchronized (second) {
                if (requester.peer != null) {
                    return requester.peer == target ? PairResult.ALREADY_PAIRED_WITH_TARGET : PairResult.ALREADY_PAIRED;
                }
                if (requester.departed || target.departed) {
                    return PairResult.PEER_NOT_FOUND;
                }
                if (target.peer != null) {
                    return PairResult.PEER_BUSY;
                }
                requester.peer = target;
                target.peer = requester;
                pairs.incrementAndGet();
                requester.link().send(ControlFrames.of(new Message.Paired(target.id(), true)));
                target.link().send(ControlFrames.of(new Message.Paired(requester.id(), false)));
            }
        }
        observer.paired(requester.id(), target.id());
        log.info("pair initiator={} peer={}", requester.id(), target.id());
        return PairResult.PAIRED;
    }

    @Override
    public boolean unpair(Session session) {
        while (true) {
            Session peer = session.peer;
            if (peer == null) {
                return false;
            }
            Session first = session.id().compareTo(peer.id()) < 0 ? session : peer;
            Session second = first == session ? peer : session;
            synchronized (first) {
                synchronized (second) {
                    if (session.peer != peer) {
                        continue; // changed while we took the locks: look again
                    }
                    session.peer = null;
                    peer.peer = null;
                    pairs.decrementAndGet();
                    peer.link().send(ControlFrames.of(new Message.PeerDisconnected(session.id())));
                }
            }
            observer.unpaired(session.id(), peer.id());
            log.info("unpair client={} peer={}", session.id(), peer.id());
            return true;
        }
    }

    @Override
    public RelayResult relay(Session sender, String to, ByteBuf frame) {
        // A single receiver takes the frame as it is (no retain + release: two atomic operations fewer per
        // message, and no refcount race between this thread and the receiver's loop releasing it).
        boolean handedOver = false;
        try {
            if (sender.inLobby()) {
                Session peer = sender.peer;
                if (peer == null) {
                    return RelayResult.NOT_PAIRED;
                }
                if (to != null && !to.equals(peer.id())) {
                    return RelayResult.TARGET_NOT_FOUND;
                }
                handedOver = true;
                peer.link().send(frame);
                return RelayResult.DELIVERED;
            }
            Room room = sender.joinedRoom;
            if (room == null) {
                return RelayResult.TARGET_NOT_FOUND;
            }
            if (to != null) {
                if (to.equals(sender.id())) {
                    return RelayResult.DROPPED_SELF;
                }
                Session target = room.members.get(to);
                if (target == null) {
                    return RelayResult.TARGET_NOT_FOUND;
                }
                handedOver = true;
                target.link().send(frame);
                return RelayResult.DELIVERED;
            }
            for (Session m : room.members.values()) {
                if (m != sender) {
                    m.link().send(frame.retainedDuplicate());
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
    public void depart(Session session) {
        if (!session.markGone()) {
            return;
        }
        synchronized (session) {
            session.departed = true;
        }
        if (!session.registered) {
            return; // refused before admission: it never held anything
        }
        directory.remove(session.id(), session);
        if (session.inLobby()) {
            unpair(session);
        } else {
            leaveRoom(session);
        }
        observer.clientLeft(session.id(), session.room());
    }

    private void leaveRoom(Session session) {
        Room room = session.joinedRoom;
        if (room == null) {
            return; // registered but never joined (closed during admission)
        }
        int remaining;
        synchronized (room) {
            if (room.members.remove(session.id(), session)) {
                roomMembers.decrementAndGet();
            }
            broadcast(room, null, ControlFrames.of(new Message.UserLeft(session.id(), session.username())));
            remaining = room.members.size();
            if (remaining == 0) {
                room.removed = true;
                rooms.remove(room.name, room);
                observer.roomRemoved(room.name);
            }
        }
        log.info("leave room={} client={} members={}", room.name, session.id(), remaining);
    }

    /** Sends {@code frame} to every member but {@code except}; takes ownership of {@code frame}. */
    private static void broadcast(Room room, Session except, ByteBuf frame) {
        try {
            for (Session m : room.members.values()) {
                if (m != except) {
                    m.link().send(frame.retainedDuplicate());
                }
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public HubState state() {
        return new HubState(directory.size(), pairs.get(), rooms.size(), roomMembers.get());
    }

    /** The session registered under {@code id}, or null (for tests and diagnostics). */
    public Session find(String id) {
        return directory.get(id);
    }
}
