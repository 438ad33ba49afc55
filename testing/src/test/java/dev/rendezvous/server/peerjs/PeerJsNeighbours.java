package dev.rendezvous.server.peerjs;

import static dev.rendezvous.server.peerjs.PeerJsWire.json;
import static dev.rendezvous.server.peerjs.PeerJsWire.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;

/**
 * Two PeerJS clients, {@code left} and {@code right}, that must keep relaying while a client next to them
 * misbehaves: {@link #stillRelay()} sends one OFFER left → right and checks it arrives as sent. Test-thread only.
 */
final class PeerJsNeighbours {
    final WsRecorder left;
    final WsRecorder right;

    /** Opens {@code left} then {@code right} on {@code server}. */
    PeerJsNeighbours(ServerExtension server) {
        left = open(server, "left", "t");
        right = open(server, "right", "t");
    }

    void stillRelay() {
        left.sendText("{\"type\":\"OFFER\",\"dst\":\"right\",\"payload\":{\"ok\":true}}");
        assertThat(json(right.nextText()))
                .isEqualTo(json("{\"type\":\"OFFER\",\"src\":\"left\",\"dst\":\"right\",\"payload\":{\"ok\":true}}"));
    }
}
