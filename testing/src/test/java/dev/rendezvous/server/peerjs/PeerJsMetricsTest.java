package dev.rendezvous.server.peerjs;

import static dev.rendezvous.server.peerjs.PeerJsWire.open;
import static dev.rendezvous.server.peerjs.PeerJsWire.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.server.metrics.ServerMetrics;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PeerJS clients and messages in the Prometheus scrape, labelled {@code protocol="peerjs"}. */
class PeerJsMetricsTest {
    private final ServerMetrics metrics = new ServerMetrics(false);

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(
            c -> c.observer(metrics).peerJs(PeerJsConfig.DEFAULT.withExpireTimeout(Duration.ofMillis(200))));

    @Test
    void clientsRelaysExpiriesAndRefusalsAreCountedByProtocol() {
        WsRecorder a = open(server, "a", "t");
        WsRecorder b = open(server, "b", "t");
        server.admittedClient(); // one v1 client beside them
        a.sendText("{\"type\":\"OFFER\",\"dst\":\"b\",\"payload\":{}}");
        b.nextText();
        a.sendText("{\"type\":\"OFFER\",\"dst\":\"nobody\",\"payload\":{}}");
        assertThat(PeerJsWire.json(a.nextText()).path("type").asText()).isEqualTo("EXPIRE");
        WsRecorder wrong = server.client(server.uri(query("nope", "c", "t")));
        wrong.awaitClose();

        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(metrics.scrape())
                        .contains("rendezvous_protocol_clients{protocol=\"peerjs\"} 2.0")
                        .contains("rendezvous_protocol_clients{protocol=\"v1\"} 1.0")
                        .contains("rendezvous_protocol_messages_relayed_total{protocol=\"peerjs\",type=\"OFFER\"} 1.0")
                        .contains("rendezvous_protocol_messages_queued_total{protocol=\"peerjs\"} 1.0")
                        .contains("rendezvous_protocol_expired_total{protocol=\"peerjs\"} 1.0")
                        .contains("rendezvous_protocol_refused_total{protocol=\"peerjs\",reason=\"invalid_key\"} 1.0")
                        .contains("rendezvous_clients 3.0"));
    }
}
