package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;

/**
 * A lobby pair that must keep working while an attacker runs next to it (the attack tests of issue 16):
 * {@link #chat()} sends one offer a → b and checks it arrives.
 */
final class Neighbours {
    final WsRecorder a;
    final WsRecorder b;
    int sent;

    /** Two admitted clients of {@code server} (auth off), paired. */
    Neighbours(ServerExtension server) {
        this(server.admittedClient(), server.admittedClient());
    }

    /** Two admitted clients, paired here. */
    Neighbours(WsRecorder a, WsRecorder b) {
        this.a = a;
        this.b = b;
        a.pairWith(b);
    }

    /** One offer a → b, delivered. */
    void chat() {
        String sdp = "v=0 #" + (++sent);
        a.sendText("{\"type\":\"offer\",\"sdp\":\"" + sdp + "\"}");
        Message.Offer offer = b.await(Message.Offer.class);
        assertThat(offer.payload().get("sdp").asText()).isEqualTo(sdp);
    }
}
