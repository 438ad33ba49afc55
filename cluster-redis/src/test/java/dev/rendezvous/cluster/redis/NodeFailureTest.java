package dev.rendezvous.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import dev.rendezvous.testing.redis.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node process killed with SIGKILL: the two surviving nodes announce its clients' departures
 * (peer_disconnected to a lobby peer, user_left to room members) within the node TTL plus one
 * heartbeat, and Redis keeps nothing of the dead node.
 */
class NodeFailureTest {
    @RegisterExtension
    final ServerExtension survivors = ServerExtension.create();

    @RegisterExtension
    final ChildNode child = new ChildNode();

    private WsRecorder at(int port, String pathAndQuery) {
        WsRecorder c = survivors.track(WsRecorder.connect(URI.create("ws://127.0.0.1:" + port + pathAndQuery)));
        c.rememberId(c.next(Message.YourId.class).id());
        return c;
    }

    @Test
    void survivorsAnnounceADeadNodesClientsWithinTheBoundAndForgetThem() throws Exception {
        int doomed = child.start("doomed-" + ProcessHandle.current().pid());
        int node0 = survivors.nodes().get(0).port();
        int node1 = survivors.nodes().get(1).port();

        WsRecorder lobbyPeer = at(node0, "/ws?client_id=peer");
        WsRecorder onDoomed = at(doomed, "/ws?client_id=victim");
        onDoomed.send(new Message.PairRequest("peer"));
        onDoomed.next(Message.Paired.class);
        lobbyPeer.next(Message.Paired.class);

        WsRecorder member = at(node1, "/ws/team?client_id=member");
        member.next(Message.UsersInRoom.class);
        WsRecorder ghost = at(doomed, "/ws/team?client_id=ghost&username=Ghost");
        ghost.next(Message.UsersInRoom.class);
        assertThat(member.next(Message.UserJoined.class).clientId()).isEqualTo("ghost");

        long killedAt = System.nanoTime();
        child.kill();

        assertThat(lobbyPeer.await(Message.PeerDisconnected.class).peerId()).isEqualTo("victim");
        assertThat(member.await(Message.UserLeft.class)).isEqualTo(new Message.UserLeft("ghost", "Ghost"));
        Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.println("departures of the killed node announced after " + took.toMillis() + " ms (bound "
                + ChildNode.DEATH_NOTICED.toMillis() + " ms)");
        assertThat(took).as("departures announced after %d ms", took.toMillis()).isLessThan(ChildNode.DEATH_NOTICED);

        // nothing of the dead node is left: its ids are free, the survivors can use them
        RedisServer redis = SharedRedis.get();
        assertThat(redis.call("KEYS", "rendezvous:id:victim")).isEqualTo(List.of());
        assertThat(redis.call("HGETALL", "rendezvous:room:team")).asList().doesNotContain("ghost");
        WsRecorder again = at(node1, "/ws?client_id=victim");
        again.send(new Message.PairRequest("peer"));
        assertThat(lobbyPeer.next(Message.Paired.class).peerId()).isEqualTo("victim");
        WsRecorder ghostAgain = at(node0, "/ws/team?client_id=ghost");
        assertThat(ghostAgain.next(Message.UsersInRoom.class).users())
                .containsExactly(new Message.RoomUser("member", null));
    }
}
