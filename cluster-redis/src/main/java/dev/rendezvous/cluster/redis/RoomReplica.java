package dev.rendezvous.cluster.redis;

import dev.rendezvous.cluster.redis.BackplaneMessage.Joined;
import dev.rendezvous.cluster.redis.BackplaneMessage.Left;
import dev.rendezvous.cluster.redis.BackplaneMessage.Presence;
import dev.rendezvous.cluster.redis.BackplaneMessage.Resynced;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.hub.Notices;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's replica of every room of the cluster, kept from the numbered presence events: an event
 * out of sequence (a gap) holds the events back and re-reads every room at one sequence (a snapshot),
 * then applies what came after it. Local members hear of changes here ({@code users_in_room} once
 * their own join comes back, {@code user_joined}, {@code user_left}), in sequence order.
 *
 * <p>Written on the backplane loop only; the relay path reads {@link #members} from any thread.
 */
final class RoomReplica {
    private static final Logger log = LoggerFactory.getLogger(RoomReplica.class);

    private final BackplaneConnection backplane;
    private final LocalClients clients;
    private final HubObserver observer;
    private final String node;
    /** Room → member id → member. */
    private final ConcurrentMap<String, ConcurrentMap<String, Member>> rooms = new ConcurrentHashMap<>();

    private final CompletableFuture<Void> firstSync = new CompletableFuture<>();

    // ---- confined to the loop ----
    private long lastSeq;
    private boolean snapshotInFlight;
    private boolean snapshotWanted;
    private final List<Presence> heldEvents = new ArrayList<>();

    RoomReplica(NodeParts parts) {
        this.backplane = parts.backplane();
        this.clients = parts.clients();
        this.observer = parts.observer();
        this.node = parts.node();
    }

    /** The members of {@code room} anywhere in the cluster, or null; any thread. */
    Map<String, Member> members(String room) {
        return rooms.get(room);
    }

    /** Completes when the replica first matched Redis (the node's start waits for it). */
    CompletableFuture<Void> firstSync() {
        return firstSync;
    }

    /** On the loop: a presence event. */
    void onPresence(Presence event) {
        if (snapshotInFlight) {
            heldEvents.add(event);
            return;
        }
        long seq = event.seq();
        if (seq <= lastSeq) {
            return; // in the snapshot already
        }
        if (seq != lastSeq + 1) {
            log.info("presence gap (have {}, got {}): re-reading rooms", lastSeq, seq);
            heldEvents.add(event);
            requestSnapshot();
            return;
        }
        lastSeq = seq;
        switch (event) {
            case Joined j -> applyJoin(j.room(), new Member(j.id(), j.node(), j.username()));
            case Left l -> applyLeave(l.room(), l.id());
            case Resynced s -> {} // a node re-registered; its changes came as their own events
        }
    }

    /** On the loop: {@code member} is in {@code room}; tells this node's members, and the member itself if it is ours. */
    void applyJoin(String room, Member member) {
        ConcurrentMap<String, Member> members = rooms.computeIfAbsent(room, r -> {
            observer.roomCreated(r);
            return new ConcurrentHashMap<>();
        });
        Member old = members.put(member.id(), member);
        if (member.equals(old)) {
            return;
        }
        LocalClient self = member.node().equals(node) ? clients.get(member.id()) : null;
        if (self != null && !self.joined && room.equals(self.session.room())) {
            List<Message.RoomUser> others = new ArrayList<>(members.size());
            for (Member m : members.values()) {
                if (!m.id().equals(member.id())) {
                    others.add(new Message.RoomUser(m.id(), m.username()));
                }
            }
            Notices.usersInRoom(self.session.link(), others);
            self.joined = true;
            log.info("join room={} client={} members={}", room, member.id(), members.size());
        }
        try (Notices.Fanout joined = Notices.userJoined(member.id(), member.username())) {
            tellMembers(members, member.id(), joined);
        }
    }

    /** On the loop: {@code id} left {@code room}; tells this node's members. */
    void applyLeave(String room, String id) {
        ConcurrentMap<String, Member> members = rooms.get(room);
        if (members == null) {
            return;
        }
        Member gone = members.get(id);
        if (gone == null) {
            return;
        }
        // Told before the member goes: a relay to it that then fails is refused after user_left (see Pairing.end).
        try (Notices.Fanout left = Notices.userLeft(id, gone.username())) {
            tellMembers(members, id, left);
        }
        members.remove(id);
        if (members.isEmpty()) {
            rooms.remove(room, members);
            observer.roomRemoved(room);
        }
        if (gone.node().equals(node)) {
            log.info("leave room={} client={} members={}", room, id, members.size());
        }
    }

    /** Sends the notice to this node's joined members of the room but {@code except}. */
    private void tellMembers(Map<String, Member> members, String except, Notices.Fanout notice) {
        if (clients.isGoingAway()) {
            return; // shutting down: every local member is being closed; other nodes tell their own members
        }
        for (Member m : members.values()) {
            if (!m.node().equals(node) || m.id().equals(except)) {
                continue;
            }
            LocalClient receiver = clients.get(m.id());
            if (receiver != null && receiver.joined) {
                notice.to(receiver.session.link());
            }
        }
    }

    /** On the loop: re-reads every room if a snapshot was wanted while Redis was away. */
    void retryWanted() {
        if (snapshotWanted) {
            requestSnapshot();
        }
    }

    /** On the loop: re-reads every room at one sequence, then applies the events held back meanwhile. */
    void requestSnapshot() {
        if (snapshotInFlight) {
            return;
        }
        if (!backplane.up()) {
            snapshotWanted = true;
            return;
        }
        snapshotInFlight = true;
        snapshotWanted = false;
        backplane
                .eval(Script.SNAPSHOT)
                .whenCompleteAsync(
                        (r, e) -> {
                            snapshotInFlight = false;
                            if (e != null) {
                                snapshotWanted = true;
                                heldEvents.clear();
                                return;
                            }
                            applySnapshot(BackplaneCodec.strings(r));
                            List<Presence> held = new ArrayList<>(heldEvents);
                            heldEvents.clear();
                            held.sort(Comparator.comparingLong(Presence::seq));
                            held.forEach(this::onPresence);
                            firstSync.complete(null);
                        },
                        backplane.loop());
    }

    /** Brings the replica to the snapshot ({@code snapshot.lua}'s answer), telling local members what changed. */
    private void applySnapshot(List<String> snapshot) {
        Map<String, Map<String, Member>> fresh = new HashMap<>();
        int i = 1;
        while (i < snapshot.size()) {
            String room = snapshot.get(i);
            int n = Integer.parseInt(snapshot.get(i + 1));
            Map<String, Member> members = new HashMap<>();
            for (int k = 0; k < n; k++) {
                String id = snapshot.get(i + 2 + 2 * k);
                members.put(id, BackplaneCodec.member(id, snapshot.get(i + 3 + 2 * k)));
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

    /**
     * Rooms and members counted on this node: a member on its own node, a room on the node of its
     * smallest member id — summed over nodes, each once.
     *
     * @return {rooms, members}
     */
    int[] counts() {
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
                roomCount++;
            }
        }
        return new int[] {roomCount, members};
    }

    /** The node left: the replica is the other nodes' business now (its own leave events may never come back). */
    void clear() {
        rooms.clear();
    }
}
