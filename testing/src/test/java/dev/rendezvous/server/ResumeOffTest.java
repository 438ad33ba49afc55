package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code resume-grace} 0, {@code resumable=1} and {@code resume=1} are ignored: plain v1. */
class ResumeOffTest {

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(b -> b.resumeGrace(Duration.ZERO));

    @Test
    void resumableIsIgnored() {
        JsonNode yourId = server.client(server.uri("/ws?resumable=1")).nextJson();
        assertThat(yourId.get("type").asText()).isEqualTo("your_id");
        assertThat(yourId.has("resume_token")).isFalse();
    }

    @Test
    void resumeIsAnOrdinaryConnection() {
        WsRecorder c = server.client(server.uri("/ws?resume=1"));
        assertThat(c.nextJson().get("type").asText()).isEqualTo("your_id"); // sent first, as in v1
    }
}
