package dev.rendezvous.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ids across nodes: the cluster has one id directory, for v1 and PeerJS ids alike. An id held on one node, by
 * either kind of client, is refused on the other, and free again once its holder left. Two real nodes on one Redis.
 */
class IdsAcrossNodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ServerExtension cluster = ServerExtension.create();

    private static String type(WsRecorder ws) throws Exception {
        return JSON.readTree(ws.nextText()).path("type").asText();
    }

    /** {@code holder} of {@code id} leaves; then, with the cluster empty, a v1 client on node 1 gets {@code id}. */
    private void assertFreeOnceLeft(WsRecorder holder, String id) {
        holder.close(1000, "bye");
        holder.awaitClose();
        cluster.assertNoLeaks();
        WsRecorder again = cluster.clientAt(1, "/ws?client_id=" + id);
        assertThat(again.next(Message.YourId.class).id()).isEqualTo(id);
    }

    @Test
    void aV1IdHeldOnOneNodeIsRefusedOnTheOtherAndFreeAgainOnceItsHolderLeft() {
        WsRecorder holder = cluster.admittedAt(0, "/ws?client_id=alice");
        WsRecorder second = cluster.clientAt(1, "/ws/team?client_id=alice");
        second.nextError(ErrorCode.ID_TAKEN);
        assertThat(second.awaitClose()).isEqualTo(4002);

        assertFreeOnceLeft(holder, "alice");
    }

    @Test
    void aPeerJsIdOnOneNodeIsTakenForBothKindsOnTheOtherAndFreeOnceItLeft() throws Exception {
        WsRecorder peer = cluster.clientAt(0, "/peerjs?key=peerjs&id=alice&token=t1");
        assertThat(type(peer)).isEqualTo("OPEN");

        WsRecorder v1 = cluster.clientAt(1, "/ws?client_id=alice");
        v1.nextError(ErrorCode.ID_TAKEN);
        assertThat(v1.awaitClose()).isEqualTo(4002);
        WsRecorder otherPeer = cluster.clientAt(1, "/peerjs?key=peerjs&id=alice&token=t2");
        assertThat(type(otherPeer)).isEqualTo("ID-TAKEN");
        assertThat(otherPeer.awaitClose()).isEqualTo(4002);

        assertFreeOnceLeft(peer, "alice");
    }

    @Test
    void aV1IdOnOneNodeIsTakenForAPeerJsClientOnTheOther() throws Exception {
        WsRecorder v1 = cluster.clientAt(0, "/ws/team?client_id=bob");
        v1.next(Message.YourId.class);
        WsRecorder peer = cluster.clientAt(1, "/peerjs?key=peerjs&id=bob&token=t");
        assertThat(type(peer)).isEqualTo("ID-TAKEN");
        assertThat(peer.awaitClose()).isEqualTo(4002);
    }
}
