package dev.rendezvous.server.peerjs;

import static dev.rendezvous.server.peerjs.PeerJsWire.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** peerjs-server's alive_timeout: only HEARTBEAT keeps a client; a silent one is closed (4008). */
class PeerJsKeepaliveTest {

    @RegisterExtension
    final ServerExtension server =
            ServerExtension.create(c -> c.peerJs(PeerJsConfig.DEFAULT.withAliveTimeout(Duration.ofMillis(600))));

    @Test
    void heartbeatsKeepAClientWhileASilentOneIsClosed() {
        WsRecorder silent = open(server, "silent", "t");
        WsRecorder beating = open(server, "beating", "t");
        long start = System.nanoTime();
        while (!silent.isClosed()
                && System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
            beating.sendText("{\"type\":\"HEARTBEAT\"}");
            beating.assertNoMoreMessages(Duration.ofMillis(100)); // the pause between heartbeats, nothing arrives
        }
        assertThat(silent.awaitClose(Duration.ofSeconds(1))).isEqualTo(4008);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        for (int i = 0; i < 8; i++) { // well past another alive timeout
            beating.sendText("{\"type\":\"HEARTBEAT\"}");
            beating.assertNoMoreMessages(Duration.ofMillis(100));
        }
        PeerJsWire.barrier(beating, "beating");
    }
}
