package dev.rendezvous.server.peerjs;

import static dev.rendezvous.server.peerjs.PeerJsWire.barrier;
import static dev.rendezvous.server.peerjs.PeerJsWire.json;
import static dev.rendezvous.server.peerjs.PeerJsWire.open;
import static dev.rendezvous.server.peerjs.PeerJsWire.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.server.transport.WebSocketOpcodes;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input on the PeerJS socket: each has a clear outcome (ignored as peerjs-server ignores it — a
 * PeerJS client takes every ERROR as fatal — or a close with its code), the offender's session carries
 * on where it is ignored, and a pair of neighbours keeps relaying.
 */
class PeerJsBadInputTest {

    @RegisterExtension
    final ServerExtension server =
            ServerExtension.create(c -> c.maxMessageBytes(4_096).rateLimit(200, 50));

    private WsRecorder offender;
    private PeerJsNeighbours neighbours;

    @BeforeEach
    void neighbours() {
        offender = open(server, "offender", "t");
        neighbours = new PeerJsNeighbours(server);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json",
                "{\"type\":\"OFFER\"",
                "{\"type\":\"OFFER\"} x",
                "[1,2]",
                "42",
                "null",
                "{}",
                "{\"type\":5}",
                "{\"type\":\"DANCE\",\"dst\":\"right\"}",
                "{\"type\":\"offer\",\"dst\":\"right\"}",
                "{\"type\":\"OPEN\",\"dst\":\"right\"}",
                "{\"type\":\"ID-TAKEN\",\"dst\":\"right\"}",
                "{\"type\":\"ERROR\",\"dst\":\"right\",\"payload\":{\"msg\":\"x\"}}",
                "{\"type\":\"OFFER\",\"payload\":{}}",
                "{\"type\":\"OFFER\",\"dst\":7,\"payload\":{}}",
                "{\"type\":\"OFFER\",\"dst\":null}",
                "{\"type\":\"LEAVE\"}"
            })
    void ignoredFramesLeaveTheSessionAndItsNeighboursAsTheyWere(String frame) {
        offender.sendText(frame);
        barrier(offender, "offender"); // handled, nothing came back, still open
        neighbours.right.assertNoMoreMessages(Duration.ofMillis(50));
        neighbours.stillRelay();
    }

    @Test
    void binaryFramesAreIgnoredEvenWhenTheyHoldJson() {
        offender.sendBinary("{\"type\":\"OFFER\",\"dst\":\"right\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8));
        barrier(offender, "offender");
        neighbours.stillRelay();
        neighbours.right.assertNoMoreMessages(Duration.ofMillis(50));
    }

    @Test
    void aForgedSrcIsOverwritten() {
        offender.sendText("{\"type\":\"OFFER\",\"src\":\"left\",\"dst\":\"right\",\"payload\":{}}");
        assertThat(json(neighbours.right.nextText()).path("src").asText()).isEqualTo("offender");
    }

    @Test
    void aTooLargeMessageClosesOnlyItsSender() {
        offender.sendText("{\"type\":\"OFFER\",\"dst\":\"right\",\"payload\":\"" + "x".repeat(5_000) + "\"}");
        assertThat(offender.awaitClose()).isEqualTo(1009);
        neighbours.stillRelay();
        neighbours.right.assertNoMoreMessages(Duration.ofMillis(50));
    }

    @Test
    void aTooLargeFragmentedMessageClosesOnlyItsSender() throws IOException {
        try (RawWebSocket raw = RawWebSocket.connect(server.uri(query("peerjs", "frag", "t")))) {
            assertThat(raw.readText()).isEqualTo("{\"type\":\"OPEN\"}");
            byte[] part = "x".repeat(3_000).getBytes(StandardCharsets.UTF_8);
            raw.sendFrame(WebSocketOpcodes.TEXT, part, false);
            raw.sendFrame(WebSocketOpcodes.CONTINUATION, part, true);
            assertThat(raw.awaitClose(Duration.ofSeconds(5))).isEqualTo(1009);
        }
        neighbours.stillRelay();
    }

    @Test
    void aFloodIsClosedForTheRateLimit() {
        for (int i = 0; i < 400 && !offender.isClosed(); i++) {
            try {
                offender.sendText("{\"type\":\"HEARTBEAT\"}");
            } catch (AssertionError outputClosed) {
                break; // the server's close arrived between the check and the send: the client closed its output
            }
        }
        assertThat(offender.awaitClose()).isEqualTo(4029);
        neighbours.stillRelay();
    }
}
