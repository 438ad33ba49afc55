package dev.rendezvous.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.SignalingServer;
import dev.rendezvous.server.hub.Hub;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>A test that needs settings of its own among tests sharing the class's server calls
 * {@link #restartWith} first.
 *
 * <p>When the test classpath provides {@link ClusterNodes}, each test gets that many nodes of one
 * cluster instead, and {@link #uri} (so every client helper) picks them in turn — except a {@code resume=1}
 * URI, which goes to the node holding the fewest resumable sessions: in a test with one resumable
 * session, never the node that holds it, so the resume contract suite resumes on the other node.
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
    private final List<SignalingServer> nodes = new ArrayList<>();
    private final AtomicInteger nextNode = new AtomicInteger();
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
        start(customizer);
    }

    /**
     * Restarts the server with {@code settings} applied after this extension's own, for the one test of a
     * class that needs settings of its own: the test states them in its first line, beside what it checks.
     *
     * @throws IllegalStateException when a client or closeable was already made through this extension
     */
    public void restartWith(Consumer<ServerConfig.Builder> settings) throws InterruptedException {
        synchronized (clients) {
            if (!clients.isEmpty() || !closeables.isEmpty()) {
                throw new IllegalStateException("restartWith must come before the test makes any client");
            }
        }
        nodes.forEach(SignalingServer::close);
        start(customizer.andThen(settings));
    }

    private void start(Consumer<ServerConfig.Builder> settings) throws InterruptedException {
        nodes.clear();
        ClusterNodes cluster = ClusterNodes.fromClasspath();
        int count = cluster == null ? 1 : cluster.nodes();
        if (cluster != null) {
            cluster.beforeEach();
        }
        for (int i = 0; i < count; i++) {
            ServerConfig.Builder b = ServerConfig.builder();
            settings.accept(b);
            if (cluster != null) {
                cluster.configure(i, b);
            }
            b.host("127.0.0.1").port(0);
            nodes.add(SignalingServer.start(b.build()));
        }
        server = nodes.get(0);
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
            nodes.forEach(SignalingServer::close);
        }
    }

    /** Waits (bounded) until the hub holds no session, pairing or room, and no connection is open. */
    public void assertNoLeaks() {
        Awaitility.await("server state empty")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> {
                    for (SignalingServer node : nodes) {
                        assertThat(node.hub().state()).as("hub state").isEqualTo(new Hub.HubState(0, 0, 0, 0));
                        assertThat(node.connections()).as("open connections").isZero();
                    }
                });
    }

    public SignalingServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** The hub's counts; with several nodes, their sums (each node counts a shared pair or room once between them). */
    public Hub.HubState hubState() {
        int sessions = 0;
        int pairs = 0;
        int rooms = 0;
        int members = 0;
        for (SignalingServer node : nodes) {
            Hub.HubState s = node.hub().state();
            sessions += s.sessions();
            pairs += s.pairs();
            rooms += s.rooms();
            members += s.roomMembers();
        }
        return new Hub.HubState(sessions, pairs, rooms, members);
    }

    /** Every node (one unless {@link ClusterNodes} is provided). */
    public List<SignalingServer> nodes() {
        return List.copyOf(nodes);
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
        SignalingServer node = nodes.size() > 1 && asksToResume(pathAndQuery)
                ? nodes.stream()
                        .min(java.util.Comparator.comparingInt(SignalingServer::resumableSessions))
                        .orElseThrow()
                : nodes.get(Math.floorMod(nextNode.getAndIncrement(), nodes.size()));
        return URI.create("ws://127.0.0.1:" + node.port() + pathAndQuery);
    }

    /** {@code ws://127.0.0.1:port} of node {@code node} + {@code pathAndQuery}: a client placed on that node. */
    public URI uriAt(int node, String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + nodes.get(node).port() + pathAndQuery);
    }

    private static boolean asksToResume(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q >= 0
                && java.util.Arrays.asList(pathAndQuery.substring(q + 1).split("&"))
                        .contains("resume=1");
    }

    /** {@code http://127.0.0.1:port} + {@code pathAndQuery}. */
    public URI httpUri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** A connected client (not yet past {@code your_id}), dropped after the test. */
    public WsRecorder client(URI uri) {
        return track(WsRecorder.connect(uri));
    }

    /** A connected client on node {@code node} (not yet past {@code your_id}), dropped after the test. */
    public WsRecorder clientAt(int node, String pathAndQuery) {
        return client(uriAt(node, pathAndQuery));
    }

    /** A client on node {@code node} that has read its {@code your_id} (auth off), dropped after the test. */
    public WsRecorder admittedAt(int node, String pathAndQuery) {
        return track(WsRecorder.admitted(uriAt(node, pathAndQuery)));
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
