package dev.rendezvous.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every protocol rule whose two ends sit on different nodes: two real nodes on one real Redis, each
 * client placed explicitly on node 0 or node 1.
 */
class CrossNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ServerExtension cluster = ServerExtension.create();

    /** A client admitted into {@code room} on {@code node} that has read its {@code users_in_room}. */
    private WsRecorder member(int node, String room, String id) {
        WsRecorder m = cluster.admittedAt(node, "/ws/" + room + "?client_id=" + id);
        m.next(Message.UsersInRoom.class);
        return m;
    }

    /**
     * Clients {@code ids} join {@code room} one after the other, on nodes 0, 1, 0, …; each has read its
     * {@code users_in_room} and, before the next one joins, every earlier member has read its {@code user_joined}.
     */
    private List<WsRecorder> roomOnBothNodes(String room, String... ids) {
        List<WsRecorder> members = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            WsRecorder joined = member(i % 2, room, ids[i]);
            for (WsRecorder earlier : members) {
                earlier.next(Message.UserJoined.class);
            }
            members.add(joined);
        }
        return members;
    }

    @Test
    void clientsOnTwoNodesPairRelayInOrderAndUnpair() {
        WsRecorder a = cluster.admittedAt(0, "/ws?client_id=a");
        WsRecorder b = cluster.admittedAt(1, "/ws?client_id=b");
        a.send(new Message.PairRequest("b"));
        assertThat(a.next(Message.Paired.class)).isEqualTo(new Message.Paired("b", true));
        assertThat(b.next(Message.Paired.class)).isEqualTo(new Message.Paired("a", false));
        assertThat(cluster.hubState().pairs()).isEqualTo(1);

        int n = 300;
        for (int i = 0; i < n; i++) {
            a.sendText("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c" + i
                    + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0},\"from\":\"forged\"}");
        }
        for (int i = 0; i < n; i++) {
            JsonNode m = b.nextJson();
            assertThat(m.get("candidate").get("candidate").asText()).isEqualTo("c" + i);
            assertThat(m.get("from").asText()).isEqualTo("a");
        }
        b.sendText("{\"type\":\"answer\",\"sdp\":\"v=0\"}");
        assertThat(a.nextText()).isEqualTo("{\"type\":\"answer\",\"sdp\":\"v=0\",\"from\":\"b\"}");

        b.send(new Message.Unpair());
        assertThat(a.next(Message.PeerDisconnected.class).peerId()).isEqualTo("b");
        b.assertNoMoreMessages();
        a.sendText("{\"type\":\"offer\",\"sdp\":\"x\"}");
        a.nextError(ErrorCode.NOT_PAIRED);
        // both free again: pair the other way round
        b.send(new Message.PairRequest("a"));
        assertThat(a.next(Message.Paired.class)).isEqualTo(new Message.Paired("b", false));
        assertThat(b.next(Message.Paired.class)).isEqualTo(new Message.Paired("a", true));
    }

    @Test
    void pairingRefusalsHoldAcrossNodes() {
        WsRecorder a = cluster.admittedAt(0, "/ws?client_id=a");
        WsRecorder b = cluster.admittedAt(1, "/ws?client_id=b");
        WsRecorder c = cluster.admittedAt(1, "/ws?client_id=c");
        cluster.admittedAt(1, "/ws/room1?client_id=r").next(Message.UsersInRoom.class);
        a.send(new Message.PairRequest("nobody"));
        a.nextError(ErrorCode.PEER_NOT_FOUND);
        a.send(new Message.PairRequest("r"));
        a.nextError(ErrorCode.PEER_NOT_FOUND); // a room client, on the other node
        a.pairWith(b);
        c.send(new Message.PairRequest("a"));
        c.nextError(ErrorCode.PEER_BUSY);
        a.send(new Message.PairRequest("c"));
        assertThat(a.nextError(ErrorCode.ALREADY_PAIRED).message()).isEqualTo("you are already paired with b");
        c.send(new Message.PairRequest("b"));
        c.nextError(ErrorCode.PEER_BUSY);
        b.send(new Message.PairRequest("c")); // the pairing came from the other node: the peer id is known here too
        assertThat(b.nextError(ErrorCode.ALREADY_PAIRED).message()).isEqualTo("you are already paired with a");
        b.send(new Message.PairRequest("a"));
        b.assertNoMoreMessages(); // already paired with that very target: nothing to say
    }

    @Test
    void aDepartureOnOneNodeReachesThePeerOnTheOther() {
        WsRecorder a = cluster.admittedAt(0, "/ws?client_id=a");
        WsRecorder b = cluster.admittedAt(1, "/ws?client_id=b");
        a.pairWith(b);
        a.abort();
        assertThat(b.next(Message.PeerDisconnected.class).peerId()).isEqualTo("a");
        WsRecorder c = cluster.admittedAt(0, "/ws?client_id=c");
        c.send(new Message.PairRequest("b"));
        assertThat(b.next(Message.Paired.class).peerId()).isEqualTo("c");
    }

    @Test
    void mutualPairRequestsAcrossNodesPairEachCoupleExactlyOnce() throws Exception {
        int couples = 20;
        List<WsRecorder> left = new ArrayList<>();
        List<WsRecorder> right = new ArrayList<>();
        for (int i = 0; i < couples; i++) {
            left.add(cluster.admittedAt(0, "/ws?client_id=l" + i));
            right.add(cluster.admittedAt(1, "/ws?client_id=r" + i));
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int i = 0; i < couples; i++) {
                int k = i;
                sends.add(CompletableFuture.runAsync(() -> left.get(k).send(new Message.PairRequest("r" + k)), pool));
                sends.add(CompletableFuture.runAsync(() -> right.get(k).send(new Message.PairRequest("l" + k)), pool));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        }
        for (int i = 0; i < couples; i++) {
            Message.Paired l = left.get(i).next(Message.Paired.class);
            Message.Paired r = right.get(i).next(Message.Paired.class);
            assertThat(l.peerId()).isEqualTo("r" + i);
            assertThat(r.peerId()).isEqualTo("l" + i);
            assertThat(l.initiator()).isNotEqualTo(r.initiator());
        }
        for (int i = 0; i < couples; i++) {
            left.get(i).assertNoMoreMessages(Duration.ofMillis(20));
            right.get(i).assertNoMoreMessages(Duration.ofMillis(20));
        }
        assertThat(cluster.hubState().pairs()).isEqualTo(couples);
    }

    @Test
    void manyRequestersOnBothNodesRaceForOneTargetAndExactlyOneWins() throws Exception {
        WsRecorder target = cluster.admittedAt(0, "/ws?client_id=target");
        List<WsRecorder> requesters = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            requesters.add(cluster.admittedAt(i % 2, "/ws?client_id=q" + i));
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture.allOf(requesters.stream()
                            .map(r -> CompletableFuture.runAsync(() -> r.send(new Message.PairRequest("target")), pool))
                            .toArray(CompletableFuture[]::new))
                    .join();
        }
        Message.Paired won = target.next(Message.Paired.class);
        int winners = 0;
        for (WsRecorder r : requesters) {
            Message m = r.next();
            if (m instanceof Message.Paired p) {
                assertThat(p.peerId()).isEqualTo("target");
                assertThat(r.id()).isEqualTo(won.peerId());
                winners++;
            } else {
                assertThat(m)
                        .isInstanceOfSatisfying(
                                Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_BUSY));
            }
        }
        assertThat(winners).isEqualTo(1);
        target.assertNoMoreMessages();
    }

    @Test
    void roomPresenceAndRelaySpanBothNodes() {
        WsRecorder ann = cluster.admittedAt(0, "/ws/team?client_id=ann&username=Ann");
        assertThat(ann.next(Message.UsersInRoom.class).users()).isEmpty();
        WsRecorder bob = cluster.admittedAt(1, "/ws/team?client_id=bob&username=Bob");
        assertThat(bob.next(Message.UsersInRoom.class).users()).containsExactly(new Message.RoomUser("ann", "Ann"));
        assertThat(ann.next(Message.UserJoined.class)).isEqualTo(new Message.UserJoined("bob", "Bob"));
        WsRecorder cat = cluster.admittedAt(0, "/ws/team?client_id=cat");
        assertThat(cat.next(Message.UsersInRoom.class).users())
                .containsExactlyInAnyOrder(new Message.RoomUser("ann", "Ann"), new Message.RoomUser("bob", "Bob"));
        assertThat(ann.next(Message.UserJoined.class).clientId()).isEqualTo("cat");
        assertThat(bob.next(Message.UserJoined.class).clientId()).isEqualTo("cat");
        assertThat(cluster.hubState().rooms()).isEqualTo(1);
        assertThat(cluster.hubState().roomMembers()).isEqualTo(3);

        // targeted across nodes, with the username stamped
        ann.sendText("{\"type\":\"offer\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"to\":\"bob\"}");
        assertThat(bob.nextText())
                .isEqualTo(
                        "{\"type\":\"offer\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"from\":\"ann\",\"username\":\"Ann\"}");
        // broadcast reaches the members of both nodes, not the sender
        bob.sendText("{\"type\":\"ice_candidate\",\"candidate\":{\"candidate\":\"x\"}}");
        assertThat(ann.nextJson().get("from").asText()).isEqualTo("bob");
        assertThat(cat.nextJson().get("from").asText()).isEqualTo("bob");
        bob.assertNoMoreMessages();
        // a client of another room, or of the lobby, on the other node is not a target
        cluster.admittedAt(1, "/ws/other?client_id=dan").next(Message.UsersInRoom.class);
        ann.sendText("{\"type\":\"answer\",\"sdp\":\"x\",\"to\":\"dan\"}");
        ann.nextError(ErrorCode.TARGET_NOT_FOUND);

        bob.close(1000, "bye");
        assertThat(ann.next(Message.UserLeft.class)).isEqualTo(new Message.UserLeft("bob", "Bob"));
        assertThat(cat.next(Message.UserLeft.class)).isEqualTo(new Message.UserLeft("bob", "Bob"));
        ann.sendText("{\"type\":\"answer\",\"sdp\":\"x\",\"to\":\"bob\"}");
        ann.nextError(ErrorCode.TARGET_NOT_FOUND);
    }

    @Test
    void roomBroadcastsKeepEachSendersOrderOnEveryNode() {
        List<WsRecorder> members = roomOnBothNodes("order", "a", "b", "c");
        WsRecorder a = members.get(0);
        WsRecorder b = members.get(1);
        WsRecorder c = members.get(2);
        int n = 200;
        for (int i = 0; i < n; i++) {
            a.sendText("{\"type\":\"ice_candidate\",\"candidate\":{\"candidate\":\"a" + i + "\"}}");
            b.sendText("{\"type\":\"ice_candidate\",\"candidate\":{\"candidate\":\"b" + i + "\"}}");
        }
        // c (node 0) hears a (same node) and b (other node), each in its sender's order
        int nextA = 0;
        int nextB = 0;
        for (int i = 0; i < 2 * n; i++) {
            JsonNode m = c.nextJson();
            String value = m.get("candidate").get("candidate").asText();
            if (m.get("from").asText().equals("a")) {
                assertThat(value).isEqualTo("a" + nextA++);
            } else {
                assertThat(value).isEqualTo("b" + nextB++);
            }
        }
        for (int i = 0; i < n; i++) {
            assertThat(b.nextJson().get("candidate").get("candidate").asText()).isEqualTo("a" + i);
            assertThat(a.nextJson().get("candidate").get("candidate").asText()).isEqualTo("b" + i);
        }
    }

    @Test
    void joinStormsOverBothNodesLeaveEveryMembersViewEqualToTheRoom() throws Exception {
        int members = 16;
        List<WsRecorder> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<WsRecorder>> joins = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                int k = i;
                joins.add(CompletableFuture.supplyAsync(
                        () -> cluster.admittedAt(k % 2, "/ws/storm?client_id=m" + k), pool));
            }
            for (CompletableFuture<WsRecorder> j : joins) {
                clients.add(j.join());
            }
        }
        Set<String> all = new HashSet<>();
        clients.forEach(c -> all.add(c.id()));
        for (WsRecorder c : clients) {
            Set<String> view = new HashSet<>();
            c.next(Message.UsersInRoom.class).users().forEach(u -> view.add(u.clientId()));
            while (view.size() < members - 1) {
                view.add(c.next(Message.UserJoined.class).clientId());
            }
            view.add(c.id());
            assertThat(view).isEqualTo(all);
            c.assertNoMoreMessages(Duration.ofMillis(20));
        }
    }

    @Test
    void aNodeTakenForDeadWhileAliveWritesItsStateAgainAndItsClientsCarryOn() throws Exception {
        WsRecorder c = cluster.admittedAt(0, "/ws?client_id=c");
        WsRecorder d = cluster.admittedAt(1, "/ws?client_id=d");
        c.pairWith(d);
        WsRecorder m0 = member(0, "team", "m0");
        WsRecorder m1 = member(1, "team", "m1");
        m0.next(Message.UserJoined.class);

        // as if node 1's heartbeat had expired (a long pause) and a survivor cleaned it up, in one step
        String node1 = ((RedisHub) cluster.nodes().get(1).hub()).nodeId();
        Object cleaned = SharedRedis.get()
                .call(
                        "EVAL",
                        "redis.call('DEL', ARGV[1] .. 'node:' .. ARGV[4])\n" + Script.CLEANUP.text,
                        "0",
                        RedisHubConfig.DEFAULT_KEY_PREFIX,
                        "a-survivor",
                        "1500",
                        node1);
        assertThat(cleaned).isEqualTo(List.of(node1));
        assertThat(c.next(Message.PeerDisconnected.class).peerId()).isEqualTo("d");
        assertThat(m0.next(Message.UserLeft.class).clientId()).isEqualTo("m1");

        // node 1 finds its registration gone, writes it again; its clients were never disconnected
        assertThat(m0.next(Message.UserJoined.class).clientId()).isEqualTo("m1");
        assertThat(d.next(Message.PeerDisconnected.class).peerId())
                .as("its pairing ended cluster-wide")
                .isEqualTo("c");
        WsRecorder dup = cluster.clientAt(0, "/ws?client_id=d");
        dup.nextError(ErrorCode.ID_TAKEN);
        assertThat(dup.awaitClose()).isEqualTo(4002);
        m0.sendText("{\"type\":\"offer\",\"sdp\":\"again\",\"to\":\"m1\"}");
        assertThat(m1.nextJson().get("sdp").asText()).isEqualTo("again");
        d.send(new Message.PairRequest("c"));
        assertThat(c.next(Message.Paired.class).peerId()).isEqualTo("d");
        m1.assertNoMoreMessages();
    }

    @Test
    void healthzShowsTheBackplaneOfEachNode() throws Exception {
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                            + cluster.nodes().get(i).port() + "/healthz"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            JsonNode backplane = JSON.readTree(r.body()).get("backplane");
            assertThat(backplane.get("kind").asText()).isEqualTo("redis");
            assertThat(backplane.get("state").asText()).isEqualTo("up");
            assertThat(backplane.get("node").asText())
                    .isEqualTo(((RedisHub) cluster.nodes().get(i).hub()).nodeId());
        }
    }

    /**
     * A node shutting down (a rolling restart) closes its own clients with 1001 and tells them nothing,
     * so their live peer-to-peer calls survive; clients on the other node still learn that their peer or
     * room member left, and the cluster's state holds nothing of the stopped node.
     */
    @Test
    void aNodeShuttingDownTellsItsOwnClientsNothingAndTheOtherNodeEverything() {
        WsRecorder a = cluster.admittedAt(0, "/ws?client_id=a");
        WsRecorder b = cluster.admittedAt(1, "/ws?client_id=b");
        WsRecorder c = cluster.admittedAt(0, "/ws?client_id=c");
        WsRecorder d = cluster.admittedAt(0, "/ws?client_id=d");
        a.pairWith(b);
        c.pairWith(d);
        List<WsRecorder> team = roomOnBothNodes("team", "r0", "r1", "r2");
        WsRecorder r0 = team.get(0);
        WsRecorder r1 = team.get(1);
        WsRecorder r2 = team.get(2);

        cluster.nodes().get(0).close();

        for (WsRecorder onStoppedNode : List.of(a, c, d, r0, r2)) {
            assertThat(onStoppedNode.nextEvent(WsRecorder.TIMEOUT))
                    .as("the first thing %s hears after its node shut down", onStoppedNode.id())
                    .isInstanceOfSatisfying(
                            WsRecorder.Event.Closed.class,
                            closed -> assertThat(closed.code()).isEqualTo(1001));
        }
        assertThat(b.next(Message.PeerDisconnected.class).peerId()).isEqualTo("a");
        Set<String> left = new HashSet<>();
        left.add(r1.next(Message.UserLeft.class).clientId());
        left.add(r1.next(Message.UserLeft.class).clientId());
        assertThat(left).containsExactlyInAnyOrder("r0", "r2");
        assertThat(cluster.nodes().get(1).hub().state()).isEqualTo(new Hub.HubState(2, 0, 1, 1));
    }
}
