package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.WsRecorder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /metrics counts what the server really did, bound to the hub observer. */
class MetricsEndpointTest {

    private static final String JWT_SECRET = "a-secret-of-at-least-32-bytes-long!!";

    @Test
    void countsConnectionsPairsRelaysAndErrorsInPrometheusFormat() throws Exception {
        try (OpsServer server = OpsServer.start(Map.of());
                WsRecorder alice = WsRecorder.admitted(server.lobbyUri());
                WsRecorder bob = WsRecorder.admitted(server.lobbyUri())) {
            alice.send(new Message.PairRequest(bob.id()));
            alice.next(Message.Paired.class);
            bob.next(Message.Paired.class);
            alice.sendText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
            bob.next(Message.Offer.class);
            bob.sendText("{\"type\":\"answer\",\"sdp\":\"v=0\"}");
            alice.next(Message.Answer.class);
            alice.sendText(
                    "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
            bob.next(Message.Candidate.class);
            alice.sendText("not json");
            alice.nextError(ErrorCode.INVALID_JSON);

            HttpResponse<String> response = server.get("/metrics", null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(response.body())
                    .contains(
                            "rendezvous_connections 2.0",
                            "rendezvous_clients 2.0",
                            "rendezvous_pairs 1.0",
                            "rendezvous_pairs_formed_total 1.0",
                            "rendezvous_messages_relayed_total{type=\"offer\"} 1.0",
                            "rendezvous_messages_relayed_total{type=\"answer\"} 1.0",
                            "rendezvous_messages_relayed_total{type=\"candidate\"} 1.0",
                            "rendezvous_errors_total{code=\"invalid_json\"} 1.0",
                            "rendezvous_relay_seconds_count ", // sampled: one relay in 16 is timed
                            "rendezvous_relay_seconds_bucket{le=",
                            "jvm_memory_used_bytes",
                            "jvm_gc_",
                            "process_uptime_seconds");
        }
    }

    @Test
    void gaugesFallBackWhenClientsLeaveAndRoomsEmpty() throws Exception {
        try (OpsServer server = OpsServer.start(Map.of())) {
            try (WsRecorder member = WsRecorder.admitted(server.server().roomUri("standup"))) {
                assertThat(server.get("/metrics", null).body())
                        .contains("rendezvous_rooms 1.0", "rendezvous_clients 1.0");
            }
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(server.get("/metrics", null).body())
                            .contains("rendezvous_rooms 0.0", "rendezvous_clients 0.0", "rendezvous_connections 0.0"));
        }
    }

    @Test
    void countsAuthFailures() throws Exception {
        try (OpsServer server = OpsServer.start(Map.of(ServeSettings.JWT_SECRET.key(), JWT_SECRET));
                WsRecorder client = WsRecorder.connect(server.lobbyUri())) {
            client.next(Message.AuthRequired.class);
            client.send(new Message.AuthToken(
                    IceServersWiringTest.token("another-secret-of-32-bytes-or-more!!", "x"), null));
            client.nextError(ErrorCode.AUTH_FAILED);
            assertThat(client.awaitClose()).isEqualTo(CloseCode.AUTH_FAILED.code());

            assertThat(server.get("/metrics", null).body())
                    .contains(
                            "rendezvous_auth_failures_total 1.0", "rendezvous_errors_total{code=\"auth_failed\"} 1.0");
        }
    }

    @Test
    void canBeTurnedOff() throws Exception {
        try (OpsServer server = OpsServer.start(Map.of(ServeSettings.METRICS.key(), "false"))) {
            assertThat(server.get("/metrics", null).statusCode()).isEqualTo(404);
        }
    }
}
