package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerListener;
import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.rtc.RtcRuntime;
import dev.rendezvous.client.rtc.SendPolicy;
import dev.rendezvous.client.rtc.SessionConfig;
import dev.rendezvous.client.signaling.SignalingOptions;
import dev.rendezvous.testing.coturn.Coturn;
import dev.rendezvous.testing.coturn.CoturnExtension;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Java peers with {@code iceTransportPolicy = relay} connect through a real coturn on 127.0.0.1,
 * using only the TURN credentials the server minted for each of them in {@code your_id}.
 */
@ExtendWith(CoturnExtension.class)
class RelayOnlyPeersTest {

    /** Relay only; loopback mode keeps the peers' own sockets on the wildcard address, so every packet goes over lo. */
    private static final SessionConfig RELAY_ONLY = new SessionConfig(List.of(), true, true, true, SendPolicy.DEFAULT);

    @Test
    void twoJavaPeersConnectRelayOnlyWithMintedCredentials(Coturn turn) throws Exception {
        try (OpsServer server = OpsServer.start(Map.of(
                        ServeSettings.ICE_SERVERS.key(), List.of(turn.turnUrl()),
                        ServeSettings.TURN_SECRET.key(), turn.secret()));
                RtcRuntime runtime = RtcRuntime.create()) {
            URI lobby = URI.create("ws://127.0.0.1:" + server.server().port() + "/ws");
            Events a = new Events();
            Events b = new Events();
            // keepIceServers=false: the ICE servers (with the minted credential) come from your_id.
            PeerOptions options = new PeerOptions(SignalingOptions.of(lobby), null, RELAY_ONLY, false, runtime);
            try (Peer alice = Peer.connect(options, a).get(10, TimeUnit.SECONDS);
                    Peer bob = Peer.connect(options, b).get(10, TimeUnit.SECONDS)) {
                b.self = bob;

                alice.pair(bob.id()).get(10, TimeUnit.SECONDS);

                a.open.get(20, TimeUnit.SECONDS);
                b.open.get(20, TimeUnit.SECONDS);
                alice.send("hello through the relay");
                assertThat(b.received.get(10, TimeUnit.SECONDS)).isEqualTo("hello through the relay");
                assertThat(a.received.get(10, TimeUnit.SECONDS)).isEqualTo("echo: hello through the relay");

                // coturn granted each peer an allocation under its own minted user name ("<expiry>:<client id>")
                // and bound a channel for the data: the data went through the relay.
                String log = Files.readString(turn.logFile());
                for (String id : List.of(alice.id(), bob.id())) {
                    assertThat(log)
                            .as("coturn log")
                            .containsPattern("user <\\d+:" + id + ">: incoming packet ALLOCATE processed, success");
                    assertThat(log)
                            .as("coturn log")
                            .containsPattern(
                                    "user <\\d+:" + id + ">: incoming packet (CHANNEL_BIND|SEND) processed, success");
                }
            }
        }
    }

    private static final class Events implements PeerListener {
        final CompletableFuture<Void> open = new CompletableFuture<>();
        final CompletableFuture<String> received = new CompletableFuture<>();
        volatile Peer self;

        @Override
        public void onChannelOpen(String peerId) {
            open.complete(null);
        }

        @Override
        public void onMessage(String peerId, String text) {
            received.complete(text);
            Peer me = self;
            if (me != null && !text.startsWith("echo: ")) {
                me.send("echo: " + text);
            }
        }

        @Override
        public void onError(String code, String message) {
            open.completeExceptionally(new AssertionError(code + ": " + message));
        }
    }
}
