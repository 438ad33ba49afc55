package dev.rendezvous.cluster.redis;

import dev.rendezvous.cluster.redis.BackplaneMessage.Broadcast;
import dev.rendezvous.cluster.redis.BackplaneMessage.Relay;
import dev.rendezvous.server.hub.Hub.RelayResult;
import dev.rendezvous.server.hub.Session;
import io.netty.buffer.ByteBuf;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Delivery of relayed frames: a receiver on this node gets the frame directly; one on another node
 * through that node's channel ({@link Relay}, or one {@link Broadcast} per node holding members of a
 * room). All publishes of a node go over one connection, so order per sender → receiver holds.
 *
 * <p>{@link #relay} runs on event loops and reads the replicas; the {@code on…} methods run on the backplane loop.
 */
final class CrossNodeRelay extends NodeJob {
    private final RoomReplica rooms;

    CrossNodeRelay(NodeParts parts, RoomReplica rooms) {
        super(parts);
        this.rooms = rooms;
    }

    /** See {@code Hub.relay}; takes ownership of {@code frame}. */
    RelayResult relay(Session sender, String to, ByteBuf frame) {
        try {
            if (sender.inLobby()) {
                LocalClient me = clients.of(sender);
                ClusterPeer peer = me == null ? null : me.peer.get();
                if (peer == null) {
                    return RelayResult.NOT_PAIRED;
                }
                if (to != null && !to.equals(peer.id())) {
                    return RelayResult.TARGET_NOT_FOUND;
                }
                return deliver(peer.id(), peer.node(), sender, frame);
            }
            Map<String, Member> members = rooms.members(sender.room());
            if (to != null) {
                if (to.equals(sender.id())) {
                    return RelayResult.DROPPED_SELF;
                }
                Member m = members == null ? null : members.get(to);
                if (m == null) {
                    return RelayResult.TARGET_NOT_FOUND;
                }
                return deliver(m.id(), m.node(), sender, frame);
            }
            return broadcast(sender, members, frame);
        } finally {
            frame.release();
        }
    }

    private RelayResult broadcast(Session sender, Map<String, Member> members, ByteBuf frame) {
        if (members == null) {
            return RelayResult.DELIVERED;
        }
        Set<String> otherNodes = null;
        for (Member m : members.values()) {
            if (m.id().equals(sender.id())) {
                continue;
            }
            if (m.node().equals(node)) {
                LocalClient receiver = clients.get(m.id());
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
        if (!backplane.up()) {
            return RelayResult.CLUSTER_UNAVAILABLE;
        }
        byte[] message = BackplaneCodec.encode(new Broadcast(sender.room(), sender.id(), frame));
        for (String n : otherNodes) {
            backplane.publishTo(n, message);
        }
        return RelayResult.DELIVERED;
    }

    private RelayResult deliver(String targetId, String targetNode, Session sender, ByteBuf frame) {
        if (targetNode.equals(node)) {
            LocalClient receiver = clients.get(targetId);
            if (receiver != null && receiver.accepts(sender.id(), sender.room())) {
                receiver.session.link().send(frame.retain());
            }
            return RelayResult.DELIVERED;
        }
        if (!backplane.up()) {
            return RelayResult.CLUSTER_UNAVAILABLE;
        }
        backplane.publishTo(targetNode, new Relay(targetId, sender.id(), sender.room(), frame));
        return RelayResult.DELIVERED;
    }

    /** On the loop: a frame for one of our clients. */
    void onRelay(Relay message) {
        LocalClient receiver = clients.get(message.target());
        if (receiver != null && receiver.accepts(message.from(), message.room())) {
            receiver.session.link().send(message.frame());
        } else {
            message.frame().release();
        }
    }

    /** On the loop: a frame for our members of a room. */
    void onBroadcast(Broadcast message) {
        ByteBuf frame = message.frame();
        try {
            Map<String, Member> members = rooms.members(message.room());
            if (members == null) {
                return;
            }
            for (Member m : members.values()) {
                if (m.node().equals(node) && !m.id().equals(message.from())) {
                    LocalClient receiver = clients.get(m.id());
                    if (receiver != null && message.room().equals(receiver.session.room())) {
                        receiver.session.link().send(frame.retainedDuplicate());
                    }
                }
            }
        } finally {
            frame.release();
        }
    }
}
