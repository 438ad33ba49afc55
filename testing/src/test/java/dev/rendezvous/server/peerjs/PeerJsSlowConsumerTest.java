package dev.rendezvous.server.peerjs;

import static dev.rendezvous.server.peerjs.PeerJsWire.json;
import static dev.rendezvous.server.peerjs.PeerJsWire.open;
import static dev.rendezvous.server.peerjs.PeerJsWire.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A PeerJS client that stops reading is closed (the outbound bound) and its sender hears LEAVE. */
class PeerJsSlowConsumerTest {

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(c -> c.rateLimit(0, 0));

    @Test
    void aClientThatStopsReadingIsClosedAndItsSenderHearsLeave() throws IOException {
        WsRecorder sender = open(server, "sender", "t");
        try (RawWebSocket raw = RawWebSocket.connect(server.uri(query("peerjs", "sleepy", "t")), 4_096)) {
            assertThat(raw.readText()).isEqualTo("{\"type\":\"OPEN\"}");
            boolean leave = PeerJsScenarios.floodUntilLeave(sender, "sleepy");
            assertThat(leave)
                    .as("LEAVE from the server for the failed delivery")
                    .isTrue();
        }
        // Frames sent while the sleepy socket was closing failed too: each got its LEAVE, then nothing else.
        sender.sendText("{\"type\":\"OFFER\",\"dst\":\"sender\",\"payload\":{\"barrier\":true}}");
        while (true) {
            var m = json(sender.nextText());
            if (m.path("type").asText().equals("OFFER")) {
                assertThat(m.path("src").asText()).isEqualTo("sender");
                break;
            }
            assertThat(m).isEqualTo(json("{\"type\":\"LEAVE\",\"src\":\"sleepy\",\"dst\":\"sender\"}"));
        }
    }
}
