package dev.rendezvous.server.peerjs;

import static dev.rendezvous.server.peerjs.PeerJsWire.barrier;
import static dev.rendezvous.server.peerjs.PeerJsWire.json;
import static dev.rendezvous.server.peerjs.PeerJsWire.open;
import static dev.rendezvous.server.peerjs.PeerJsWire.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The PeerJS WebSocket protocol as peerjs-server 1.0.x speaks it, over real sockets on 127.0.0.1. */
class PeerJsProtocolTest {

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(c -> c.peerJs(
            PeerJsConfig.DEFAULT.withExpireTimeout(Duration.ofMillis(400)).withConcurrentLimit(4)));

    static Stream<Arguments> refusedQueries() {
        return Stream.of(
                Arguments.of(query(null, "a", "t"), "No id, token, or key supplied to websocket server"),
                Arguments.of(query("peerjs", null, "t"), "No id, token, or key supplied to websocket server"),
                Arguments.of(query("peerjs", "a", null), "No id, token, or key supplied to websocket server"),
                Arguments.of(query("", "a", "t"), "No id, token, or key supplied to websocket server"),
                Arguments.of(query("wrong", "a", "t"), "Invalid key provided"),
                Arguments.of(query("peerjs", "a b", "t").replace("a+b", "a%20%20b"), "Invalid id provided"),
                Arguments.of(query("peerjs", "-a", "t"), "Invalid id provided"),
                Arguments.of(query("peerjs", "a".repeat(65), "t"), "Invalid id provided"));
    }

    @ParameterizedTest
    @MethodSource("refusedQueries")
    void refusedConnectionsGetTheirErrorThenClose(String query, String msg) {
        WsRecorder ws = server.client(server.uri(query));
        assertThat(json(ws.nextText())).isEqualTo(json("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"" + msg + "\"}}"));
        assertThat(ws.awaitClose()).isEqualTo(1008);
        assertThat(server.hubState().sessions()).isZero();
    }

    @Test
    void idsOfThePeerJsRuleAreAdmitted() {
        open(server, "a", "t");
        open(server, "with space_and-dash", "t");
        open(server, "x".repeat(64), "t");
    }

    @Test
    void anIdHeldWithAnotherTokenIsTaken() {
        WsRecorder holder = open(server, "alice", "t1");
        WsRecorder other = server.client(server.uri(query("peerjs", "alice", "t2")));
        assertThat(json(other.nextText()))
                .isEqualTo(json("{\"type\":\"ID-TAKEN\",\"payload\":{\"msg\":\"ID is taken\"}}"));
        assertThat(other.awaitClose()).isEqualTo(4002);
        barrier(holder, "alice");
    }

    @Test
    void sameIdAndTokenTakeTheOldSocketsPlaceWithOpen() {
        WsRecorder old = open(server, "alice", "t1");
        WsRecorder fresh = open(server, "alice", "t1"); // OPEN there too: the 1.5 client only opens on it
        assertThat(old.awaitClose()).isEqualTo(4009);
        WsRecorder bob = open(server, "bob", "t");
        PeerJsWire.send(bob, "OFFER", "alice", json("{\"sdp\":\"x\"}"));
        assertThat(json(fresh.nextText()))
                .isEqualTo(json("{\"type\":\"OFFER\",\"src\":\"bob\",\"dst\":\"alice\",\"payload\":{\"sdp\":\"x\"}}"));
        assertThat(server.hubState().sessions()).isEqualTo(2);
    }

    @Test
    void peerJsAndV1IdsShareOneDirectory() {
        WsRecorder v1 = server.client(server.uri("/ws?client_id=carol"));
        v1.next(dev.rendezvous.protocol.Message.YourId.class);
        WsRecorder peer = server.client(server.uri(query("peerjs", "carol", "t")));
        assertThat(json(peer.nextText()).path("type").asText()).isEqualTo("ID-TAKEN");
        assertThat(peer.awaitClose()).isEqualTo(4002);

        open(server, "dave", "t");
        WsRecorder v1Dave = server.client(server.uri("/ws?client_id=dave"));
        v1Dave.nextError(ErrorCode.ID_TAKEN);
        assertThat(v1Dave.awaitClose()).isEqualTo(4002);
    }

    @Test
    void aV1ClientCannotPairWithOrRelayToAPeerJsClient() {
        WsRecorder peer = open(server, "erin", "t");
        WsRecorder v1 = server.admittedClient();
        v1.send(new dev.rendezvous.protocol.Message.PairRequest("erin"));
        v1.nextError(ErrorCode.PEER_NOT_FOUND);
        barrier(peer, "erin");
    }

    @Test
    void offerAnswerCandidateAreRelayedWithSrcStampedAndPayloadUntouched() {
        WsRecorder a = open(server, "a", "t");
        WsRecorder b = open(server, "b", "t");
        String payload =
                "{\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"},\"type\":\"data\",\"connectionId\":\"dc_1\","
                        + "\"n\":1.50,\"big\":123456789012345678901234567890,\"u\":\"\\u00e9\\ud83d\\ude00\",\"arr\":[null,true,{}]}";
        for (String type : new String[] {"OFFER", "ANSWER", "CANDIDATE"}) {
            a.sendText("{\"type\":\"" + type + "\",\"src\":\"forged\",\"dst\":\"b\",\"extra\":1,\"payload\":" + payload
                    + "}");
            String got = b.nextText();
            assertThat(json(got))
                    .isEqualTo(json(
                            "{\"type\":\"" + type + "\",\"src\":\"a\",\"dst\":\"b\",\"payload\":" + payload + "}"));
            assertThat(got)
                    .startsWith("{\"type\":\"" + type + "\",\"src\":\"a\",\"dst\":\"b\",\"payload\":")
                    .contains("\"n\":1.50")
                    .contains("123456789012345678901234567890");
        }
        b.sendText("{\"type\":\"ANSWER\",\"dst\":\"a\",\"payload\":{\"x\":1}}");
        assertThat(json(a.nextText()))
                .isEqualTo(json("{\"type\":\"ANSWER\",\"src\":\"b\",\"dst\":\"a\",\"payload\":{\"x\":1}}"));
    }

    @Test
    void leaveIsRelayed() {
        WsRecorder a = open(server, "a", "t");
        WsRecorder b = open(server, "b", "t");
        a.sendText("{\"type\":\"LEAVE\",\"dst\":\"b\"}");
        assertThat(json(b.nextText())).isEqualTo(json("{\"type\":\"LEAVE\",\"src\":\"a\",\"dst\":\"b\"}"));
    }

    @Test
    void messagesForAnIdNotConnectedYetWaitForIt() {
        WsRecorder a = open(server, "a", "t");
        a.sendText("{\"type\":\"OFFER\",\"dst\":\"late\",\"payload\":{\"n\":1}}");
        a.sendText("{\"type\":\"CANDIDATE\",\"dst\":\"late\",\"payload\":{\"n\":2}}");
        barrier(a, "a"); // both are queued now
        WsRecorder late = open(server, "late", "t");
        assertThat(json(late.nextText()))
                .isEqualTo(json("{\"type\":\"OFFER\",\"src\":\"a\",\"dst\":\"late\",\"payload\":{\"n\":1}}"));
        assertThat(json(late.nextText()))
                .isEqualTo(json("{\"type\":\"CANDIDATE\",\"src\":\"a\",\"dst\":\"late\",\"payload\":{\"n\":2}}"));
        a.assertNoMoreMessages(Duration.ofMillis(700)); // past the expire timeout: no EXPIRE for a delivered queue
    }

    @Test
    void messagesForAnIdThatNeverComesExpireOncePerSender() {
        WsRecorder a = open(server, "a", "t");
        WsRecorder b = open(server, "b", "t");
        PeerJsScenarios.assertExpireOncePerSender(a, b, Duration.ofMillis(350));
        // LEAVE and EXPIRE for an absent id are dropped, not queued
        a.sendText("{\"type\":\"LEAVE\",\"dst\":\"ghost2\"}");
        a.assertNoMoreMessages(Duration.ofMillis(700));
    }

    @Test
    void theConcurrentLimitRefusesWithItsMessage() {
        for (int i = 0; i < 4; i++) {
            open(server, "p" + i, "t");
        }
        WsRecorder fifth = server.client(server.uri(query("peerjs", "p4", "t")));
        assertThat(json(fifth.nextText()))
                .isEqualTo(json(
                        "{\"type\":\"ERROR\",\"payload\":{\"msg\":\"Server has reached its concurrent user limit\"}}"));
        assertThat(fifth.awaitClose()).isEqualTo(1013);
    }

    @Test
    void aClosedClientFreesItsIdAndLaterMessagesQueue() {
        WsRecorder a = open(server, "a", "t");
        WsRecorder b = open(server, "b", "t");
        b.close(1000, "bye");
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> server.hubState().sessions() == 1);
        WsRecorder again = open(server, "b", "other-token");
        PeerJsWire.send(a, "OFFER", "b", json("{}"));
        assertThat(json(again.nextText()).path("src").asText()).isEqualTo("a");
    }
}
