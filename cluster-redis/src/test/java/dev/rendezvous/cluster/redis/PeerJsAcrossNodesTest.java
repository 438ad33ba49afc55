package dev.rendezvous.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.server.peerjs.PeerJsConfig;
import dev.rendezvous.server.peerjs.PeerJsScenarios;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PeerJS clients on two real nodes of one Redis: relay by id across nodes, the offline queue and
 * {@code EXPIRE} across nodes, {@code LEAVE} for a failed delivery on the other node. Each client is put on
 * a named node (the extension's round robin is not used).
 */
class PeerJsAcrossNodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EXPIRE = Duration.ofMillis(600);

    @RegisterExtension
    final ServerExtension cluster = ServerExtension.create(
            c -> c.peerJs(PeerJsConfig.DEFAULT.withExpireTimeout(EXPIRE)).rateLimit(0, 0));

    private URI uri(int node, String id, String token) {
        return URI.create("ws://127.0.0.1:" + cluster.nodes().get(node).port() + "/peerjs?key=peerjs&id=" + id
                + "&token=" + token + "&version=1.5.5");
    }

    private WsRecorder open(int node, String id) {
        WsRecorder ws = cluster.track(WsRecorder.connect(uri(node, id, "t-" + id)));
        assertThat(ws.nextText()).isEqualTo("{\"type\":\"OPEN\"}");
        return ws;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }

    /** Everything {@code ws} sent before this is handled (an OFFER to itself comes back after it). */
    private static void barrier(WsRecorder ws, String ownId) {
        ws.sendText("{\"type\":\"OFFER\",\"dst\":\"" + ownId + "\",\"payload\":{\"barrier\":true}}");
        assertThat(json(ws.nextText()).path("payload").path("barrier").asBoolean())
                .isTrue();
    }

    @Test
    void offerAnswerCandidateAndLeaveCrossNodesWithSrcStampedAndPayloadUntouched() {
        WsRecorder a = open(0, "a");
        WsRecorder b = open(1, "b");
        String payload = "{\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"},\"n\":1.50,"
                + "\"big\":123456789012345678901234567890,\"u\":\"\\u00e9\\ud83d\\ude00|x\"}";
        for (String type : new String[] {"OFFER", "ANSWER", "CANDIDATE"}) {
            a.sendText("{\"type\":\"" + type + "\",\"src\":\"forged\",\"dst\":\"b\",\"payload\":" + payload + "}");
            String got = b.nextText();
            assertThat(json(got))
                    .isEqualTo(json(
                            "{\"type\":\"" + type + "\",\"src\":\"a\",\"dst\":\"b\",\"payload\":" + payload + "}"));
            assertThat(got).contains("\"n\":1.50").contains("123456789012345678901234567890");
        }
        b.sendText("{\"type\":\"ANSWER\",\"dst\":\"a\",\"payload\":{\"x\":1}}");
        assertThat(json(a.nextText()))
                .isEqualTo(json("{\"type\":\"ANSWER\",\"src\":\"b\",\"dst\":\"a\",\"payload\":{\"x\":1}}"));
        a.sendText("{\"type\":\"LEAVE\",\"dst\":\"b\"}");
        assertThat(json(b.nextText())).isEqualTo(json("{\"type\":\"LEAVE\",\"src\":\"a\",\"dst\":\"b\"}"));
    }

    @Test
    void oneSendersMessagesToAnotherNodeKeepTheirOrder() {
        WsRecorder a = open(0, "a");
        WsRecorder b = open(1, "b");
        for (int i = 0; i < 200; i++) {
            a.sendText("{\"type\":\"CANDIDATE\",\"dst\":\"b\",\"payload\":{\"i\":" + i + "}}");
        }
        for (int i = 0; i < 200; i++) {
            assertThat(json(b.nextText()).path("payload").path("i").asInt()).isEqualTo(i);
        }
    }

    @Test
    void messagesForAnIdThatComesUpOnTheOtherNodeWaitForIt() {
        WsRecorder a = open(0, "a");
        a.sendText("{\"type\":\"OFFER\",\"dst\":\"late\",\"payload\":{\"n\":1}}");
        a.sendText("{\"type\":\"CANDIDATE\",\"dst\":\"late\",\"payload\":{\"n\":2}}");
        barrier(a, "a"); // both are queued on node 0 now
        WsRecorder late = open(1, "late");
        assertThat(json(late.nextText()))
                .isEqualTo(json("{\"type\":\"OFFER\",\"src\":\"a\",\"dst\":\"late\",\"payload\":{\"n\":1}}"));
        assertThat(json(late.nextText()))
                .isEqualTo(json("{\"type\":\"CANDIDATE\",\"src\":\"a\",\"dst\":\"late\",\"payload\":{\"n\":2}}"));
        a.assertNoMoreMessages(EXPIRE.plusMillis(400)); // past the expire timeout: no EXPIRE for a delivered queue
        late.sendText("{\"type\":\"ANSWER\",\"dst\":\"a\",\"payload\":{}}");
        assertThat(json(a.nextText()).path("src").asText()).isEqualTo("late");
    }

    @Test
    void messagesForAnIdThatNeverComesExpireOncePerSenderOnEachNode() {
        WsRecorder a = open(0, "a");
        WsRecorder b = open(1, "b");
        PeerJsScenarios.assertExpireOncePerSender(a, b, EXPIRE.minusMillis(50));
        barrier(b, "b");
    }

    @Test
    void anIdThatCameAndLeftOnTheOtherNodeBeforeTheMessageGetsNothingAndTheSenderHearsExpire() {
        WsRecorder a = open(0, "a");
        WsRecorder gone = open(1, "gone");
        gone.close(1000, "bye");
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> cluster.nodes().get(1).hub().state().sessions() == 0);
        a.sendText("{\"type\":\"OFFER\",\"dst\":\"gone\",\"payload\":{}}");
        assertThat(json(a.nextText())).isEqualTo(json("{\"type\":\"EXPIRE\",\"src\":\"gone\",\"dst\":\"a\"}"));
    }

    @Test
    void aV1ClientOnTheOtherNodeIsNoPeerJsReceiver() {
        WsRecorder a = open(0, "a");
        WsRecorder v1 = cluster.track(WsRecorder.connect(
                URI.create("ws://127.0.0.1:" + cluster.nodes().get(1).port() + "/ws?client_id=carol")));
        v1.next(dev.rendezvous.protocol.Message.YourId.class);
        a.sendText("{\"type\":\"OFFER\",\"dst\":\"carol\",\"payload\":{}}");
        assertThat(json(a.nextText())).isEqualTo(json("{\"type\":\"EXPIRE\",\"src\":\"carol\",\"dst\":\"a\"}"));
        v1.assertNoMoreMessages();
    }

    @Test
    void aReceiverOnTheOtherNodeThatStopsReadingIsClosedAndItsSenderHearsLeave() throws IOException {
        WsRecorder sender = open(0, "sender");
        try (RawWebSocket raw = RawWebSocket.connect(uri(1, "sleepy", "t"), 4_096)) {
            assertThat(raw.readText()).isEqualTo("{\"type\":\"OPEN\"}");
            boolean leave = PeerJsScenarios.floodUntilLeave(sender, "sleepy");
            assertThat(leave)
                    .as("LEAVE from the other node for the failed delivery")
                    .isTrue();
        }
    }
}
