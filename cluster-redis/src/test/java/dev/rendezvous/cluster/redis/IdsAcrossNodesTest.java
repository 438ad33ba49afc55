package dev.rendezvous.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PeerJS ids live in the cluster's one id directory beside v1 ids: an id held on one node, by either kind
 * of client, is refused on the other, and free again once its holder left. Two real nodes on one Redis.
 */
class PeerJsIdsAcrossNodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ServerExtension cluster = ServerExtension.create();

    private WsRecorder at(int node, String pathAndQuery) {
        URI uri = URI.create("ws://127.0.0.1:" + cluster.nodes().get(node).port() + pathAndQuery);
        return cluster.track(WsRecorder.connect(uri));
    }

    private static String type(WsRecorder ws) throws Exception {
        return JSON.readTree(ws.nextText()).path("type").asText();
    }

    @Test
    void aPeerJsIdOnOneNodeIsTakenForBothKindsOnTheOtherAndFreeOnceItLeft() throws Exception {
        WsRecorder peer = at(0, "/peerjs?key=peerjs&id=alice&token=t1");
        assertThat(type(peer)).isEqualTo("OPEN");

        WsRecorder v1 = at(1, "/ws?client_id=alice");
        v1.nextError(ErrorCode.ID_TAKEN);
        assertThat(v1.awaitClose()).isEqualTo(4002);
        WsRecorder otherPeer = at(1, "/peerjs?key=peerjs&id=alice&token=t2");
        assertThat(type(otherPeer)).isEqualTo("ID-TAKEN");
        assertThat(otherPeer.awaitClose()).isEqualTo(4002);

        peer.close(1000, "bye");
        peer.awaitClose();
        cluster.assertNoLeaks();
        WsRecorder again = at(1, "/ws?client_id=alice");
        assertThat(again.next(Message.YourId.class).id()).isEqualTo("alice");
    }

    @Test
    void aV1IdOnOneNodeIsTakenForAPeerJsClientOnTheOther() throws Exception {
        WsRecorder v1 = at(0, "/ws/team?client_id=bob");
        v1.next(Message.YourId.class);
        WsRecorder peer = at(1, "/peerjs?key=peerjs&id=bob&token=t");
        assertThat(type(peer)).isEqualTo("ID-TAKEN");
        assertThat(peer.awaitClose()).isEqualTo(4002);
    }
}
