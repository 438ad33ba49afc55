package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Protocol v1 lobby: admission, pairing and its refusals, unpair, departure. Real sockets. */
class LobbyTest {

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    @Test
    void admissionSendsYourIdWithAServerMadeUuidAndTheKeepaliveTimings() {
        WsRecorder c = server.client(server.lobbyUri());
        JsonNode yourId = c.nextJson();
        assertThat(yourId.get("type").asText()).isEqualTo("your_id");
        assertThat(yourId.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(yourId.get("ice_servers").isArray()).isTrue();
        assertThat(yourId.get("ice_servers")).isEmpty();
        assertThat(yourId.get("ping_interval_ms").asLong()).isEqualTo(30_000);
        assertThat(yourId.get("ping_timeout_ms").asLong()).isEqualTo(45_000);
        c.assertNoMoreMessages();
    }

    @Test
    void rootPathIsAlsoTheLobby() {
        WsRecorder c = server.client(server.uri("/"));
        c.next(Message.YourId.class);
        WsRecorder other = server.admittedClient();
        c.send(new Message.PairRequest(other.id()));
        assertThat(c.next(Message.Paired.class).peerId()).isEqualTo(other.id());
    }

    @Test
    void pairingTellsBothAndTheRequesterInitiates() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = server.admittedClient();
        a.send(new Message.PairRequest(b.id()));
        assertThat(a.next(Message.Paired.class)).isEqualTo(new Message.Paired(b.id(), true));
        assertThat(b.next(Message.Paired.class)).isEqualTo(new Message.Paired(a.id(), false));
        a.assertNoMoreMessages();
        b.assertNoMoreMessages();
    }

    @Test
    void relayStampsFromAndRemovesTo() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = server.admittedClient();
        a.send(new Message.PairRequest(b.id()));
        a.next(Message.Paired.class);
        b.next(Message.Paired.class);
        a.sendText("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\",\"from\":\"liar\",\"to\":\"" + b.id() + "\"}");
        assertThat(b.nextText()).isEqualTo("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\",\"from\":\"" + a.id() + "\"}");
        a.assertNoMoreMessages();
    }

    @Test
    void unknownTypeIsRefusedWithRef() {
        WsRecorder a = server.admittedClient();
        a.sendText("{\"type\":\"dance\"}");
        Message.Error e = a.nextError(ErrorCode.UNKNOWN_TYPE);
        assertThat(e.ref()).isEqualTo("dance");
    }
}
