package dev.rendezvous.testing;

import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.SignalingServer;
import java.net.URI;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real signaling server on 127.0.0.1, port 0, shared by the tests of one class: registered as a
 * static extension ({@link #perClass}) it starts before the class's first test and stops after its last;
 * {@link #start} gives one the caller closes (try-with-resources). Unlike {@link ServerExtension} (a
 * server per test, leak-checked after it) it suits tests whose clients are costly to start: SDK peers
 * with libwebrtc, CLI processes.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServerFixture server = ServerFixture.perClass(b -> b.resumeGrace(Duration.ofSeconds(5)));
 * }</pre>
 *
 * <p>Threading: started and closed on the test thread; the accessors may be read from any thread.
 */
public final class ServerFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private final UnaryOperator<ServerConfig.Builder> settings;
    private volatile SignalingServer server;

    private ServerFixture(UnaryOperator<ServerConfig.Builder> settings) {
        this.settings = settings;
    }

    /** A running server with the defaults; the caller closes it. */
    public static ServerFixture start() throws InterruptedException {
        return start(UnaryOperator.identity());
    }

    /** A running server with the defaults adjusted by {@code settings} (auth, ping timing...); the caller closes it. */
    public static ServerFixture start(UnaryOperator<ServerConfig.Builder> settings) throws InterruptedException {
        ServerFixture fixture = new ServerFixture(settings);
        fixture.startServer();
        return fixture;
    }

    /** For a static {@code @RegisterExtension} field: one server with the defaults for the whole class. */
    public static ServerFixture perClass() {
        return perClass(UnaryOperator.identity());
    }

    /** For a static {@code @RegisterExtension} field: one server, adjusted by {@code settings}, for the whole class. */
    public static ServerFixture perClass(UnaryOperator<ServerConfig.Builder> settings) {
        return new ServerFixture(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        startServer();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void startServer() throws InterruptedException {
        ServerConfig config =
                settings.apply(ServerConfig.builder().host("127.0.0.1").port(0)).build();
        server = SignalingServer.start(config);
    }

    /** {@code ws://127.0.0.1:<port>/ws} */
    public URI lobby() {
        return server().lobbyUri();
    }

    public SignalingServer server() {
        SignalingServer running = server;
        if (running == null) {
            throw new IllegalStateException(
                    "server not started: register the fixture in a static field, or use start()");
        }
        return running;
    }

    /** Stops the server; idempotent. */
    @Override
    public void close() {
        SignalingServer running = server;
        server = null;
        if (running != null) {
            running.close();
        }
    }
}
