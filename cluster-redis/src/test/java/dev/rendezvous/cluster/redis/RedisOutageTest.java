package dev.rendezvous.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.SignalingServer;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.metrics.ServerMetrics;
import dev.rendezvous.testing.WsRecorder;
import dev.rendezvous.testing.redis.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped (SIGKILL) and restarted empty while two nodes carry traffic: same-node relay goes on,
 * cross-node operations answer {@code cluster_unavailable}, and once Redis is back the nodes write
 * their state again, so existing cross-node pairings and ids work as before.
 */
class RedisOutageTest {
    private final RedisServer redis = RedisServer.start(); // its own: this test kills it
    private final List<SignalingServer> nodes = new ArrayList<>();
    private final List<WsRecorder> clients = new ArrayList<>();
    private final ServerMetrics metrics = new ServerMetrics(false);

    @BeforeEach
    void startNodes() throws Exception {
        for (int i = 0; i < 2; i++) {
            RedisHubConfig config = new RedisHubConfig(
                    redis.uri(),
                    "outage-n" + i,
                    Duration.ofMillis(1500),
                    Duration.ofSeconds(10),
                    RedisHubConfig.DEFAULT_KEY_PREFIX,
                    Duration.ofMillis(200));
            HubObserver observer = i == 0 ? metrics : HubObserver.NONE;
            nodes.add(SignalingServer.start(ServerConfig.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .observer(observer)
                    .hubFactory(RedisHub.factory(config))
                    .build()));
        }
    }

    @AfterEach
    void stopAll() {
        clients.forEach(WsRecorder::close);
        nodes.forEach(SignalingServer::close);
        redis.stop();
    }

    private WsRecorder connect(int node, String pathAndQuery) {
        WsRecorder c = WsRecorder.connect(
                URI.create("ws://127.0.0.1:" + nodes.get(node).port() + pathAndQuery));
        clients.add(c);
        return c;
    }

    private WsRecorder admitted(int node, String pathAndQuery) {
        WsRecorder c = connect(node, pathAndQuery);
        c.rememberId(c.next(Message.YourId.class).id());
        return c;
    }

    private RedisHub hub(int node) {
        return (RedisHub) nodes.get(node).hub();
    }

    private static void assertRelayed(WsRecorder from, WsRecorder to, String sdp) {
        from.sendText("{\"type\":\"offer\",\"sdp\":\"" + sdp + "\"}");
        assertThat(to.nextJson().get("sdp").asText()).isEqualTo(sdp);
    }

    @Test
    void sameNodeTrafficSurvivesAnOutageCrossNodeFailsClearlyAndEverythingRecovers() {
        WsRecorder a = admitted(0, "/ws?client_id=a");
        WsRecorder b = admitted(0, "/ws?client_id=b");
        WsRecorder c = admitted(0, "/ws?client_id=c");
        WsRecorder d = admitted(1, "/ws?client_id=d");
        WsRecorder m0 = admitted(0, "/ws/team?client_id=m0");
        m0.next(Message.UsersInRoom.class);
        WsRecorder m1 = admitted(1, "/ws/team?client_id=m1");
        m1.next(Message.UsersInRoom.class);
        m0.next(Message.UserJoined.class);
        a.pairWith(b);
        c.pairWith(d);
        assertRelayed(c, d, "before");
        assertThat(metrics.scrape()).contains("rendezvous_backplane_up{kind=\"redis\"} 1.0");

        redis.stop();
        Awaitility.await("both nodes see Redis down")
                .atMost(Duration.ofSeconds(10))
                .until(() -> !hub(0).up() && !hub(1).up());
        assertThat(metrics.scrape()).contains("rendezvous_backplane_up{kind=\"redis\"} 0.0");
        assertThat(nodes.get(1).healthJson()).contains("\"backplane\":{\"kind\":\"redis\",\"state\":\"down\"");

        assertRelayed(a, b, "same-node-during-outage");
        assertRelayed(b, a, "and-back");
        c.sendText("{\"type\":\"offer\",\"sdp\":\"lost\"}");
        c.nextError(ErrorCode.CLUSTER_UNAVAILABLE);
        m0.sendText("{\"type\":\"offer\",\"sdp\":\"x\",\"to\":\"m1\"}");
        m0.nextError(ErrorCode.CLUSTER_UNAVAILABLE);
        WsRecorder late = connect(1, "/ws?client_id=late");
        late.nextError(ErrorCode.CLUSTER_UNAVAILABLE);
        assertThat(late.awaitClose()).isEqualTo(1011);
        a.send(new Message.Unpair());
        assertThat(b.next(Message.PeerDisconnected.class).peerId()).isEqualTo("a");
        a.send(new Message.PairRequest("b"));
        a.nextError(ErrorCode.CLUSTER_UNAVAILABLE);

        redis.restart(); // empty: the nodes must write their state again
        Awaitility.await("both nodes back on Redis")
                .atMost(Duration.ofSeconds(15))
                .until(() -> hub(0).up() && hub(1).up());
        Awaitility.await("ids re-registered")
                .atMost(Duration.ofSeconds(10))
                .until(() -> redis.call("EXISTS", "rendezvous:id:a", "rendezvous:id:d", "rendezvous:id:m1")
                        .equals(3L));

        assertRelayed(c, d, "after");
        assertRelayed(d, c, "after-back");
        m0.sendText("{\"type\":\"offer\",\"sdp\":\"y\",\"to\":\"m1\"}");
        assertThat(m1.await(Message.Offer.class).from()).isEqualTo("m0");
        WsRecorder dup = connect(1, "/ws?client_id=a");
        dup.nextError(ErrorCode.ID_TAKEN);
        assertThat(dup.awaitClose()).isEqualTo(4002);
        WsRecorder e = admitted(1, "/ws?client_id=e");
        a.send(new Message.PairRequest("e"));
        assertThat(e.next(Message.Paired.class).peerId()).isEqualTo("a");
        assertThat(metrics.scrape()).contains("rendezvous_backplane_up{kind=\"redis\"} 1.0");
    }
}
