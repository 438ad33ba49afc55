package dev.rendezvous.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.hub.JoinResult;
import dev.rendezvous.server.hub.Link;
import dev.rendezvous.server.hub.PairResult;
import dev.rendezvous.server.hub.Refusal;
import dev.rendezvous.server.hub.Session;
import dev.rendezvous.testing.redis.RedisServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@link RedisHub}s on one real Redis, driven through the {@code Hub} seam without sockets: the
 * session state every hub shares ({@link Session#peerId()}) and the results a refusal comes back as.
 */
class RedisHubTest {
    private RedisHub node0;
    private RedisHub node1;

    @BeforeEach
    void startNodes() {
        SharedRedis.get().flushAll();
        RedisHubConfig config = RedisHubConfig.of(SharedRedis.get().uri()).withNodeTtl(TwoNodesOnRedis.NODE_TTL);
        node0 = RedisHub.start(config.withNodeId("hub-test-0"), HubObserver.NONE);
        node1 = RedisHub.start(config.withNodeId("hub-test-1"), HubObserver.NONE);
    }

    @AfterEach
    void stopNodes() {
        node0.close();
        node1.close();
    }

    /** Records what the hub sends, and whether anything closed the link (no hub may). */
    private static final class QueueLink implements Link {
        final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        final AtomicReference<CloseCode> closed = new AtomicReference<>();
        /** Run once, on the hub's thread, when the next frame is handed over (before it is taken). */
        final AtomicReference<Runnable> atNextHandOver = new AtomicReference<>();

        @Override
        public void send(ByteBuf utf8Json) {
            Runnable step = atNextHandOver.getAndSet(null);
            if (step != null) {
                step.run();
            }
            try {
                received.add(MessageCodec.decode(utf8Json.toString(StandardCharsets.UTF_8)));
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                utf8Json.release();
            }
        }

        @Override
        public void close(CloseCode code, String reason) {
            closed.compareAndSet(null, code);
        }

        Message next() throws InterruptedException {
            Message m = received.poll(5, TimeUnit.SECONDS);
            assertThat(m).as("a frame within 5 s").isNotNull();
            return m;
        }
    }

    private static Session registered(RedisHub hub, String id, String room) {
        Session s = new Session(id, null, room, new QueueLink(), refusal -> {
            throw new AssertionError("evicted: " + refusal);
        });
        assertThat(hub.register(s).toCompletableFuture().join()).isTrue();
        return s;
    }

    private static QueueLink link(Session s) {
        return (QueueLink) s.link();
    }

    private static PairResult pair(RedisHub hub, Session requester, String target) {
        return hub.pair(requester, target).toCompletableFuture().join();
    }

    @Test
    void peerIdIsKnownOnBothNodesAndAlreadyPairedNamesThePeer() throws Exception {
        Session a = registered(node0, "a", null);
        Session b = registered(node1, "b", null);
        Session c = registered(node1, "c", null);
        assertThat(a.peerId()).isNull();

        assertThat(pair(node0, a, "b")).isEqualTo(new PairResult.Paired("b"));
        assertThat(a.peerId()).isEqualTo("b");
        assertThat(link(a).next()).isEqualTo(new Message.Paired("b", true));
        assertThat(link(b).next()).isEqualTo(new Message.Paired("a", false));
        assertThat(b.peerId()).as("the target's node learnt the pairing").isEqualTo("a");

        assertThat(pair(node0, a, "c"))
                .isEqualTo(Refusal.of(ErrorCode.ALREADY_PAIRED, "you are already paired with b"));
        assertThat(pair(node1, b, "c"))
                .isEqualTo(Refusal.of(ErrorCode.ALREADY_PAIRED, "you are already paired with a"));
        assertThat(pair(node1, b, "a")).isEqualTo(new PairResult.AlreadyPairedWithTarget("a"));
        assertThat(pair(node1, c, "a")).isEqualTo(Refusal.of(ErrorCode.PEER_BUSY, "a is already paired"));
        assertThat(pair(node1, c, "c")).isEqualTo(Refusal.of(ErrorCode.SELF_PAIR, "you cannot pair with yourself"));
        assertThat(pair(node1, c, "nobody"))
                .isEqualTo(Refusal.of(ErrorCode.PEER_NOT_FOUND, "no lobby client has id nobody"));

        assertThat(node1.unpair(b)).isTrue();
        assertThat(b.peerId()).isNull();
        assertThat(link(a).next()).isEqualTo(new Message.PeerDisconnected("b"));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.peerId() == null);
        assertThat(List.of(link(a), link(b), link(c))).allSatisfy(l -> {
            assertThat(l.received).isEmpty();
            assertThat(l.closed.get()).isNull();
        });
    }

    private static ByteBuf candidate(String to) {
        String json = "{\"type\":\"candidate\"" + (to == null ? "" : ",\"to\":\"" + to + "\"") + "}";
        return Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
    }

    /**
     * A departure, decided on any node, is told before the told client's own thread (which relays without a
     * lock) can find it: at the moment the notice is handed over, that client's relay still reaches the one
     * leaving, so a {@code not_paired} or {@code target_not_found} it answers later is queued behind the notice.
     */
    @Test
    void aDepartureIsToldBeforeThePeersOwnRelayCanFindItGone() throws Exception {
        Session remote = registered(node1, "remote", null);
        Session b = registered(node0, "b", null);
        Session local = registered(node0, "local", null);
        Session d = registered(node0, "d", null);
        Session r = registered(node1, "r", "room");
        Session s = registered(node0, "s", "room");
        assertThat(pair(node1, remote, "b")).isEqualTo(new PairResult.Paired("b"));
        assertThat(pair(node0, local, "d")).isEqualTo(new PairResult.Paired("d"));
        node1.join(r).toCompletableFuture().get(5, TimeUnit.SECONDS);
        node0.join(s).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(link(b).next()).isEqualTo(new Message.Paired("remote", false));
        assertThat(link(d).next()).isEqualTo(new Message.Paired("local", false));
        assertThat(link(s).next()).isEqualTo(new Message.UsersInRoom(List.of(new Message.RoomUser("r", null))));
        List<Hub.RelayResult> atHandOver = new CopyOnWriteArrayList<>();
        link(b).atNextHandOver.set(() -> atHandOver.add(node0.relay(b, null, candidate(null))));
        link(d).atNextHandOver.set(() -> atHandOver.add(node0.relay(d, null, candidate(null))));
        link(s).atNextHandOver.set(() -> atHandOver.add(node0.relay(s, "r", candidate("r"))));

        node1.depart(remote); // a peer on another node
        node0.depart(local); // a peer on this node
        node1.depart(r); // a room member on another node
        assertThat(link(b).next()).isEqualTo(new Message.PeerDisconnected("remote"));
        assertThat(link(d).next()).isEqualTo(new Message.PeerDisconnected("local"));
        assertThat(link(s).next()).isEqualTo(new Message.UserLeft("r", null));
        assertThat(atHandOver)
                .containsExactly(Hub.RelayResult.DELIVERED, Hub.RelayResult.DELIVERED, Hub.RelayResult.DELIVERED);
        await("the departures made visible, right after their notices")
                .atMost(Duration.ofSeconds(5))
                .until(() -> node0.relay(b, null, candidate(null)) == Hub.RelayResult.NOT_PAIRED
                        && node0.relay(d, null, candidate(null)) == Hub.RelayResult.NOT_PAIRED
                        && node0.relay(s, "r", candidate("r")) == Hub.RelayResult.TARGET_NOT_FOUND);
    }

    @Test
    void aJoinAnswersJoinedAndUsersInRoomFollowsInOrder() throws Exception {
        Session r = registered(node0, "r", "room");
        assertThat(node0.join(r).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(JoinResult.JOINED);
        assertThat(link(r).next()).isEqualTo(new Message.UsersInRoom(List.of()));
        Session s = registered(node1, "s", "room");
        assertThat(node1.join(s).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(JoinResult.JOINED);
        assertThat(link(s).next()).isEqualTo(new Message.UsersInRoom(List.of(new Message.RoomUser("r", null))));
        assertThat(link(r).next()).isEqualTo(new Message.UserJoined("s", null));
    }

    @Test
    void aJoinThatCannotReachRedisComesBackAsAClosingRefusalAndTheHubClosesNothing() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            RedisHub hub = RedisHub.start(
                    RedisHubConfig.of(own.uri()).withNodeTtl(TwoNodesOnRedis.NODE_TTL), HubObserver.NONE);
            try {
                Session r = registered(hub, "r", "room");
                own.stop();
                await("the hub sees Redis down").atMost(Duration.ofSeconds(10)).until(() -> !hub.up());
                assertThat(hub.join(r).toCompletableFuture().get(5, TimeUnit.SECONDS))
                        .isEqualTo(new Refusal(
                                ErrorCode.CLUSTER_UNAVAILABLE,
                                "the cluster backplane is unavailable; try again later",
                                CloseCode.INTERNAL_ERROR));
                assertThat(link(r).received).isEmpty();
                assertThat(link(r).closed.get()).isNull();
            } finally {
                hub.close();
            }
        }
    }
}
