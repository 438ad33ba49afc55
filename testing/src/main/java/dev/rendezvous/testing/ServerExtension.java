package dev.rendezvous.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.SignalingServer;
import dev.rendezvous.server.hub.Hub;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@link SignalingServer} on 127.0.0.1, port 0, started before each test and stopped after it.
 * After each test it drops every client made through it and checks that the server holds no session,
 * pairing or room any more (a leak fails the test).
 *
 * <pre>{@code
 * @RegisterExtension
 * final ServerExtension server = ServerExtension.create(c -> c.pingInterval(Duration.ofMillis(100)));
 *
 * @Test void pairs() {
 *     WsRecorder alice = server.admittedClient();
 * }
 * }</pre>
 */
public final class ServerExtension implements BeforeEachCallback, AfterEachCallback {
    private final Consumer<ServerConfig.Builder> customizer;
    private final List<WsRecorder> clients = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private SignalingServer server;
    private boolean leakCheck = true;

    private ServerExtension(Consumer<ServerConfig.Builder> customizer) {
        this.customizer = customizer;
    }

    /** A server with the default configuration (host and port forced to 127.0.0.1:0). */
    public static ServerExtension create() {
        return new ServerExtension(b -> {});
    }

    /** A server configured by {@code customizer} (host and port are then forced to 127.0.0.1:0). */
    public static ServerExtension create(Consumer<ServerConfig.Builder> customizer) {
        return new ServerExtension(customizer);
    }

    /** Skips the after-test leak check (for tests that inspect a server they stopped themselves). */
    public ServerExtension withoutLeakCheck() {
        this.leakCheck = false;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        ServerConfig.Builder b = ServerConfig.builder();
        customizer.accept(b);
        b.host("127.0.0.1").port(0);
        server = SignalingServer.start(b.build());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            synchronized (clients) {
                clients.forEach(WsRecorder::close);
            }
            for (AutoCloseable c : closeables) {
                c.close();
            }
            if (leakCheck && context.getExecutionException().isEmpty()) {
                assertNoLeaks();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Waits (bounded) until the hub holds no session, pairing or room, and no connection is open. */
    public void assertNoLeaks() {
        Awaitility.await("server state empty").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> {
                    assertThat(server.hub().state()).as("hub state").isEqualTo(new Hub.HubState(0, 0, 0, 0));
                    assertThat(server.connections()).as("open connections").isZero();
                });
    }

    public SignalingServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public Hub.HubState hubState() {
        return server.hub().state();
    }

    /** {@code ws://127.0.0.1:port/ws} */
    public URI lobbyUri() {
        return uri("/ws");
    }

    /** {@code ws://127.0.0.1:port/ws/{room}} */
    public URI roomUri(String room) {
        return uri("/ws/" + room);
    }

    /** {@code ws://127.0.0.1:port} + {@code pathAndQuery}. */
    public URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
    }

    /** {@code http://127.0.0.1:port} + {@code pathAndQuery}. */
    public URI httpUri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** A connected client (not yet past {@code your_id}), dropped after the test. */
    public WsRecorder client(URI uri) {
        return track(WsRecorder.connect(uri));
    }

    /** A lobby client that has read its {@code your_id} (auth off). */
    public WsRecorder admittedClient() {
        return track(WsRecorder.admitted(lobbyUri()));
    }

    /** A room client that has read its {@code your_id} (auth off); {@code users_in_room} is next. */
    public WsRecorder admittedClient(String room) {
        return track(WsRecorder.admitted(roomUri(room)));
    }

    /** Registers a client made elsewhere, so it is dropped after the test. */
    public WsRecorder track(WsRecorder client) {
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    /** Registers anything to close after the test (before the leak check). */
    public <T extends AutoCloseable> T trackCloseable(T closeable) {
        closeables.add(closeable);
        return closeable;
    }
}
