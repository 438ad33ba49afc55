package dev.rendezvous.cli;

import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.signaling.SignalingOptions;
import picocli.CommandLine.Option;

/**
 * The options every peer command ({@code chat}, {@code send}, {@code receive}) shares: which signaling server,
 * the token for it, and loopback ICE; and the {@link PeerOptions} they make.
 */
class PeerFlags {

    @Option(
            names = "--server",
            paramLabel = "URL",
            defaultValue = "ws://127.0.0.1:8765/ws",
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
}
