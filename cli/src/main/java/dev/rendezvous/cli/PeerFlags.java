package dev.rendezvous.cli;

import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerListener;
import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.signaling.SignalingOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The options every peer command ({@code chat}, {@code send}, {@code receive}) shares: which signaling server,
 * the token for it, and loopback ICE; the {@link PeerOptions} they make, and how they join.
 */
class PeerFlags {
    /** The server when {@code --server} is not given: this machine's {@code rendezvous serve} on its default port. */
    static final String DEFAULT_SERVER = "ws://127.0.0.1:8765/ws";

    @Option(
            names = "--server",
            paramLabel = "URL",
            defaultValue = DEFAULT_SERVER,
            converter = ServerAddress.Converter.class,
            description =
                    "The signaling server: ws://host:port/ws, wss://…, http://host:port, https://… or host:port (default: ${DEFAULT-VALUE}).")
    ServerAddress server;

    @Option(names = "--token", paramLabel = "JWT", description = "Token for a server with auth on.")
    String token;

    @Option(
            names = "--ice-loopback",
            description = "Loopback ICE mode: peer-to-peer traffic on 127.0.0.1 only (single host).")
    boolean iceLoopback;

    /** A peer in the lobby, or in {@code room} when not null; {@code clientId} and {@code username} may be null. */
    PeerOptions options(String clientId, String username, String room) {
        SignalingOptions signaling = SignalingOptions.of(server.lobby())
                .withToken(token)
                .withClientId(clientId)
                .withUsername(username);
        return PeerOptions.lobby(server.lobby())
                .withSignaling(signaling)
                .withLoopback(iceLoopback)
                .inRoom(room);
    }

    /**
     * Joins the server as {@code options} say, waiting at most 30 s: the peer, or null. When it could not
     * join, {@code refused} has been given why (for {@link JoinFailure#describe}); when interrupted, nothing
     * is said and the interrupt flag is set again.
     */
    static Peer join(PeerOptions options, PeerListener events, Consumer<Throwable> refused) {
        try {
            return Peer.connect(options, events).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            refused.accept(e instanceof ExecutionException ? e.getCause() : e);
            return null;
        }
    }
}
