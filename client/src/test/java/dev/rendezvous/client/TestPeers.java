package dev.rendezvous.client;

import dev.rendezvous.client.signaling.SignalingOptions;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/** How a test peer connects: loopback ICE, an id of its choosing, the connect waited for with a deadline. */
public final class TestPeers {
    private TestPeers() {}

    /** A loopback peer asking for {@code clientId} in the lobby at {@code lobby}. */
    public static PeerOptions loopback(URI lobby, String clientId) {
        return PeerOptions.lobby(lobby)
                .withSignaling(SignalingOptions.of(lobby).withClientId(clientId))
                .withLoopback(true);
    }

    /** Connects, waiting at most 20 s for the server's {@code your_id}. */
    public static Peer connect(PeerOptions options, PeerListener events) throws Exception {
        return Peer.connect(options, events).get(20, TimeUnit.SECONDS);
    }
}
