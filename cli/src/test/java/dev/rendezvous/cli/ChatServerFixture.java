package dev.rendezvous.cli;

import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.SignalingServer;
import dev.rendezvous.server.auth.JwtAuthenticator;
import java.nio.charset.StandardCharsets;
import java.net.URI;

/** The real signaling server on 127.0.0.1, port 0, for the chat command's process tests. */
final class ChatServerFixture implements AutoCloseable {
    private final SignalingServer server;

    private ChatServerFixture(SignalingServer server) {
        this.server = server;
    }

    static ChatServerFixture start() throws InterruptedException {
        return new ChatServerFixture(SignalingServer.start(ServerConfig.builder().host("127.0.0.1").port(0).build()));
    }

    /** With auth on: HS256 tokens signed with {@code secret}. */
    static ChatServerFixture withJwtSecret(String secret) throws InterruptedException {
        return new ChatServerFixture(SignalingServer.start(ServerConfig.builder().host("127.0.0.1").port(0)
                .authenticator(JwtAuthenticator.hmac(secret.getBytes(StandardCharsets.UTF_8), JwtAuthenticator.Options.defaults()))
                .build()));
    }

    URI lobby() {
        return server.lobbyUri();
    }

    @Override
    public void close() {
        server.close();
    }
}
