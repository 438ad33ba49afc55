package dev.rendezvous.cluster.redis;

import dev.rendezvous.cluster.redis.BackplaneMessage.ResumeAccepted;
import dev.rendezvous.cluster.redis.BackplaneMessage.ResumeAsk;
import dev.rendezvous.cluster.redis.BackplaneMessage.ResumeRefused;
import dev.rendezvous.cluster.redis.BackplaneMessage.Tunnel;
import dev.rendezvous.cluster.redis.BackplaneMessage.TunnelBinary;
import dev.rendezvous.cluster.redis.BackplaneMessage.TunnelClose;
import dev.rendezvous.cluster.redis.BackplaneMessage.TunnelDown;
import dev.rendezvous.cluster.redis.BackplaneMessage.TunnelEnded;
import dev.rendezvous.cluster.redis.BackplaneMessage.TunnelText;
import dev.rendezvous.cluster.redis.BackplaneMessage.TunnelTooLarge;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.server.hub.RemoteResume;
import dev.rendezvous.server.hub.RemoteResume.Answer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resume on another node (v1.1, see {@link RemoteResume}): the session stays on its owner node, and the
 * node the client came back to carries the connection to it through a tunnel over the node channels.
 * Each direction of a tunnel is one publisher's messages on one channel, read in order, so the frames keep
 * their order both ways; the owner's {@code ResumableLink} counts, keeps and replays them exactly as for a
 * local connection, so a frame lost with a dying tunnel is replayed at the next resume.
 *
 * <p>The client's node finds the owner in the directory ({@code owner.lua}), asks it ({@link ResumeAsk}),
 * and gets {@link ResumeAccepted} then the frames, or {@link ResumeRefused}. The other end of a tunnel
 * dying is seen on the heartbeat ({@code dead.lua}): an owner that died took its sessions with it (the
 * survivors announce their departures as for any node death) and the client's connection is closed 1001;
 * a client's node that died is a connection lost without a close frame: the session detaches on its owner.
 *
 * <p>{@link #ask} and the {@link RemoteResume.Upstream} calls run on event loops; everything else on the
 * backplane loop. The maps are concurrent for that reason.
 */
final class ResumeTunnels {
    private static final Logger log = LoggerFactory.getLogger(ResumeTunnels.class);
    /** An ask never answered (its owner vanished between lookup and ask) is forgotten after this. */
    private static final long ASK_TIMEOUT_NANOS = 60_000_000_000L;

    private final BackplaneConnection backplane;
    private final String node;
    private final String tunnelPrefix;
    private final AtomicLong nextTunnel = new AtomicLong();
    private volatile RemoteResume.Owner owner;

    /** Client's node: asks not answered yet, by tunnel. */
    private final Map<String, Asked> asked = new ConcurrentHashMap<>();
    /** Client's node: open tunnels to their owners. */
    private final Map<String, ToOwner> toOwners = new ConcurrentHashMap<>();
    /** Owner: open tunnels from clients' nodes. */
    private final Map<String, FromClient> fromClients = new ConcurrentHashMap<>();

    private record Asked(
            CompletableFuture<Answer> answer, RemoteResume.Downstream toClient, String owner, long since) {}

    private record ToOwner(RemoteResume.Downstream toClient, String owner) {}

    private record FromClient(RemoteResume.Upstream upstream, String clientNode) {}

    ResumeTunnels(BackplaneConnection backplane, String node) {
        this.backplane = backplane;
        this.node = node;
        this.tunnelPrefix =
                node + ":" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
    }

    void serve(RemoteResume.Owner resumes) {
        this.owner = resumes;
    }

    // ---- the client's node ---------------------------------------------------------------------

    /** See {@code Hub.resumeElsewhere}. */
    CompletionStage<Answer> ask(String id, byte[] token, long received, RemoteResume.Downstream toClient) {
        if (!backplane.up()) {
            return CompletableFuture.failedFuture(new ClusterUnavailableException("Redis is unreachable"));
        }
        CompletableFuture<Answer> result = new CompletableFuture<>();
        String tokenText = new String(token, StandardCharsets.UTF_8);
        backplane.onLoop(
                () -> backplane
                        .eval(Script.OWNER, id)
                        .whenCompleteAsync(
                                (r, e) -> {
                                    if (e != null) {
                                        result.completeExceptionally(
                                                new ClusterUnavailableException("Redis did not answer: " + e));
                                        return;
                                    }
                                    String ownerNode = BackplaneCodec.string(r);
                                    if (ownerNode.isEmpty() || ownerNode.equals(node)) {
                                        result.complete(
                                                new Answer.Unknown()); // nobody, or this node, which holds no resumable
                                        // session by that id
                                        return;
                                    }
                                    String tunnel = tunnelPrefix + nextTunnel.incrementAndGet();
                                    asked.put(tunnel, new Asked(result, toClient, ownerNode, System.nanoTime()));
                                    backplane.publishTo(
                                            ownerNode, new ResumeAsk(tunnel, node, id, received, tokenText));
                                },
                                backplane.loop()),
                () -> result.completeExceptionally(new ClusterUnavailableException("the hub is closed")));
        return result;
    }

    private void onAccepted(ResumeAccepted k) {
        Asked a = asked.remove(k.tunnel());
        if (a == null) {
            backplane.publishTo(k.owner(), new TunnelEnded(k.tunnel(), true)); // forgotten: the session detaches again
            return;
        }
        toOwners.put(k.tunnel(), new ToOwner(a.toClient(), a.owner()));
        // Completed here, on the loop, before the frames that follow: the connection knows it is resumed.
        a.answer().complete(new Answer.Resumed(k.replayed(), new Upstream(k.tunnel(), a.owner())));
    }

    private void onRefused(ResumeRefused n) {
        Asked a = asked.remove(n.tunnel());
        if (a != null) {
            a.answer().complete(new Answer.Failed(n.reason(), n.sentence()));
        }
    }

    private void onDown(TunnelDown d) {
        ToOwner t = toOwners.get(d.tunnel());
        if (t != null) {
            t.toClient().send(d.frame());
        } else {
            d.frame().release();
        }
    }

    private void onClose(TunnelClose c) {
        ToOwner t = toOwners.remove(c.tunnel());
        if (t != null) {
            t.toClient().close(c.code(), c.reason());
        }
    }

    /** The client's node's end: what the client did, to the owner, in order (called on the connection's loop). */
    private final class Upstream implements RemoteResume.Upstream {
        private final String tunnel;
        private final String ownerNode;

        Upstream(String tunnel, String ownerNode) {
            this.tunnel = tunnel;
            this.ownerNode = ownerNode;
        }

        @Override
        public void text(byte[] utf8, int length) {
            if (toOwners.containsKey(tunnel)) {
                backplane.publishTo(ownerNode, new TunnelText(tunnel, Unpooled.wrappedBuffer(utf8, 0, length)));
            }
        }

        @Override
        public void binary() {
            if (toOwners.containsKey(tunnel)) {
                backplane.publishTo(ownerNode, new TunnelBinary(tunnel));
            }
        }

        @Override
        public void tooLarge(int limit) {
            if (toOwners.containsKey(tunnel)) {
                backplane.publishTo(ownerNode, new TunnelTooLarge(tunnel, limit));
            }
        }

        @Override
        public void ended(boolean detachable) {
            // Told even when this node already forgot the tunnel (a late answer): the owner ignores an unknown one.
            toOwners.remove(tunnel);
            backplane.publishTo(ownerNode, new TunnelEnded(tunnel, detachable));
        }
    }

    // ---- the owner -----------------------------------------------------------------------------

    private void onAsk(ResumeAsk q) {
        RemoteResume.Owner resumes = owner;
        Downstream toClient = new Downstream(q.tunnel(), q.clientNode());
        Answer answer = resumes == null
                ? new Answer.Unknown()
                : resumes.resume(
                        q.id(), q.token().getBytes(StandardCharsets.UTF_8), q.received(), q.clientNode(), toClient);
        switch (answer) {
            case Answer.Resumed ok -> {
                fromClients.put(q.tunnel(), new FromClient(ok.upstream(), q.clientNode()));
                toClient.open(ok.replayed()); // it held the frames sent meanwhile: accepted goes out first
            }
            case Answer.Failed f ->
                backplane.publishTo(q.clientNode(), new ResumeRefused(q.tunnel(), f.reason(), f.sentence()));
            case Answer.Unknown u ->
                backplane.publishTo(
                        q.clientNode(),
                        new ResumeRefused(
                                q.tunnel(),
                                "unknown_id",
                                "no resumable session has id " + q.id() + " (unknown, or it has ended)"));
        }
    }

    private void onText(TunnelText u) {
        FromClient f = fromClients.get(u.tunnel());
        if (f != null) {
            ByteBuf b = u.frame();
            byte[] bytes = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), bytes);
            f.upstream().text(bytes, bytes.length);
        }
    }

    private void onEnded(TunnelEnded e) {
        FromClient f = fromClients.remove(e.tunnel());
        if (f != null) {
            f.upstream().ended(e.detachable());
        }
    }

    /**
     * The owner's end toward the client's node. Holds the frames sent before the owner's answer (the
     * {@code resumed} and the replay, and any relay racing in) until {@link #open} publishes
     * {@link ResumeAccepted} first; then publishes each frame as it is sent, under the monitor so that
     * the publishes keep the order of the sends.
     */
    private final class Downstream implements RemoteResume.Downstream {
        private final String tunnel;
        private final String clientNode;
        /** Frames waiting for {@link #open}; null once open. Guarded by this. */
        private List<ByteBuf> held = new ArrayList<>();

        private TunnelClose closeAfterOpen;

        Downstream(String tunnel, String clientNode) {
            this.tunnel = tunnel;
            this.clientNode = clientNode;
        }

        synchronized void open(int replayed) {
            backplane.publishTo(clientNode, new ResumeAccepted(tunnel, node, replayed));
            for (ByteBuf f : held) {
                publish(f);
            }
            held = null;
            if (closeAfterOpen != null) {
                backplane.publishTo(clientNode, closeAfterOpen);
            }
        }

        @Override
        public synchronized void send(ByteBuf utf8Json) {
            if (held != null) {
                held.add(utf8Json);
            } else {
                publish(utf8Json);
            }
        }

        private void publish(ByteBuf frame) {
            try {
                backplane.publishTo(clientNode, new TunnelDown(tunnel, frame));
            } finally {
                frame.release();
            }
        }

        @Override
        public synchronized void close(int code, String reason) {
            fromClients.remove(tunnel);
            TunnelClose c = new TunnelClose(tunnel, code, reason == null ? "" : reason);
            if (held != null) {
                closeAfterOpen = c;
            } else {
                backplane.publishTo(clientNode, c);
            }
        }
    }

    // ---- both ------------------------------------------------------------------------------------

    /** On the loop: a tunnel message for this node. */
    void onMessage(Tunnel message) {
        switch (message) {
            case ResumeAsk q -> onAsk(q);
            case ResumeAccepted k -> onAccepted(k);
            case ResumeRefused n -> onRefused(n);
            case TunnelDown d -> onDown(d);
            case TunnelClose c -> onClose(c);
            case TunnelText u -> onText(u);
            case TunnelBinary v -> {
                FromClient f = fromClients.get(v.tunnel());
                if (f != null) {
                    f.upstream().binary();
                }
            }
            case TunnelTooLarge w -> {
                FromClient f = fromClients.get(w.tunnel());
                if (f != null) {
                    f.upstream().tooLarge(w.limit());
                }
            }
            case TunnelEnded e -> onEnded(e);
        }
    }

    /**
     * On the loop, each heartbeat: ends the tunnels whose other end's node stopped heartbeating, and asks
     * that were never answered.
     */
    void checkNodes() {
        long now = System.nanoTime();
        for (Map.Entry<String, Asked> e : asked.entrySet()) {
            if (now - e.getValue().since() > ASK_TIMEOUT_NANOS && asked.remove(e.getKey(), e.getValue())) {
                e.getValue()
                        .answer()
                        .completeExceptionally(new ClusterUnavailableException(
                                "node " + e.getValue().owner() + " did not answer"));
            }
        }
        Set<String> others = new HashSet<>();
        toOwners.values().forEach(t -> others.add(t.owner()));
        asked.values().forEach(a -> others.add(a.owner()));
        fromClients.values().forEach(f -> others.add(f.clientNode()));
        if (others.isEmpty() || !backplane.up()) {
            return;
        }
        backplane
                .eval(Script.DEAD, others.toArray(String[]::new))
                .whenCompleteAsync(
                        (r, e) -> {
                            if (e == null) {
                                for (String dead : BackplaneCodec.strings(r)) {
                                    endWith(dead);
                                }
                            }
                        },
                        backplane.loop());
    }

    private void endWith(String dead) {
        for (Map.Entry<String, ToOwner> e : toOwners.entrySet()) {
            if (e.getValue().owner().equals(dead) && toOwners.remove(e.getKey(), e.getValue())) {
                log.info("tunnel {} ends: its session's node {} died", e.getKey(), dead);
                e.getValue().toClient().close(CloseCode.GOING_AWAY.code(), "the node holding this session went away");
            }
        }
        for (Map.Entry<String, Asked> e : asked.entrySet()) {
            if (e.getValue().owner().equals(dead) && asked.remove(e.getKey(), e.getValue())) {
                e.getValue().answer().completeExceptionally(new ClusterUnavailableException("node " + dead + " died"));
            }
        }
        for (Map.Entry<String, FromClient> e : fromClients.entrySet()) {
            if (e.getValue().clientNode().equals(dead) && fromClients.remove(e.getKey(), e.getValue())) {
                log.info("tunnel {} ends: its client's node {} died; the session detaches", e.getKey(), dead);
                e.getValue().upstream().ended(true);
            }
        }
    }

    /** Open tunnels and asks in flight on this node, both ends (tests and leak checks). */
    int size() {
        return asked.size() + toOwners.size() + fromClients.size();
    }
}
