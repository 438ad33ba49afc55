package dev.rendezvous.client;

import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.SignalingServer;
import java.net.URI;
import java.util.function.UnaryOperator;

/** The real signaling server on 127.0.0.1, port 0, for the SDK's integration tests and benchmark. */
public final class ServerFixture implements AutoCloseable {
    private final SignalingServer server;

    private ServerFixture(SignalingServer server) {
        this.server = server;
    }

    public static ServerFixture start() throws InterruptedException {
        return start(UnaryOperator.identity());
    }

    /** Starts with the defaults, adjusted by {@code settings} (auth, ping timing...). */
    public static ServerFixture start(UnaryOperator<ServerConfig.Builder> settings) throws InterruptedException {
        ServerConfig config = settings.apply(ServerConfig.builder().host("127.0.0.1").port(0)).build();
        return new ServerFixture(SignalingServer.start(config));
    }

    /** {@code ws://127.0.0.1:<port>/ws} */
    public URI lobby() {
        return server.lobbyUri();
    }

    public SignalingServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
