package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.server.transport.WebSocketOpcodes;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connection-level attacks of issue 16, on real sockets: one address holding or churning connections,
 * a forged {@code X-Forwarded-For}, an unfinished fragmented message held open by pings, an oversized request
 * head. The attacker connects from 127.0.0.2 (another client host), the neighbours from 127.0.0.1; each
 * attack is refused while the neighbours keep chatting.
 */
class HostileConnectionsTest {
    private static final String ATTACKER = "127.0.0.2";
    /** A reverse proxy in front of the server, trusted by the tests that say so. */
    private static final String PROXY = "127.0.0.3";

    /** The default settings; a test that attacks a limit of its own sets it with {@link #neighboursUnder}. */
    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    /** The connections {@link #upgradeFrom} opened in this test, in order. */
    private final List<Socket> upgrades = new ArrayList<>();

    /**
     * Restarts the server with the {@code limits} a test attacks and connects the neighbours, who must keep
     * chatting through the attack.
     */
    private Neighbours neighboursUnder(Consumer<ServerConfig.Builder> limits) throws InterruptedException {
        server.restartWith(limits);
        return new Neighbours(server);
    }

    /** A TCP connection from {@code local} to the server, with a short read timeout. */
    private static Socket socketFrom(ServerExtension server, String local) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(local, 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        s.setSoTimeout(5_000);
        return s;
    }

    /** Whether the server closed {@code s} (end of stream) — false while it is open (nothing to read within 1 ms). */
    private static boolean closedByServer(Socket s) {
        try {
            s.setSoTimeout(1);
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static String upgradeHead(ServerExtension server, String extraHeaders) {
        return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders
                + "\r\n";
    }

    /** Sends {@code head} on {@code s} and returns the status line, or "closed" when the server closed first. */
    private static String statusLine(Socket s, String head) throws IOException {
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        int b;
        try {
            while ((b = in.read()) >= 0 && b != '\r') {
                line.append((char) b);
            }
        } catch (java.net.SocketException e) {
            return "closed";
        }
        return line.isEmpty() ? "closed" : line.toString();
    }

    /**
     * Opens a connection from {@code local} (added to {@link #upgrades}; the extension closes it after the test)
     * and sends an upgrade saying {@code X-Forwarded-For: forwardedFor}; returns the status line, or "closed".
     */
    private String upgradeFrom(String local, String forwardedFor) throws IOException {
        Socket s = server.trackCloseable(socketFrom(server, local));
        upgrades.add(s);
        return statusLine(s, upgradeHead(server, "X-Forwarded-For: " + forwardedFor + "\r\n"));
    }

    @Test
    void oneAddressHoldsAtMostAThousandHalfSentRequests() throws Exception {
        Neighbours pair = new Neighbours(server);
        List<Socket> held = new ArrayList<>();
        long start = System.nanoTime();
        try {
            // The attack: half-sent requests from one address, far more than one client needs.
            for (int i = 0; i < 1_050; i++) {
                Socket s = socketFrom(server, ATTACKER);
                held.add(s);
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(8))
                    .until(() -> held.stream()
                                    .filter(HostileConnectionsTest::closedByServer)
                                    .count()
                            >= 50);
            long refused =
                    held.stream().filter(HostileConnectionsTest::closedByServer).count();
            if (Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(9)) < 0) {
                // (later, the 10 s request deadline closes the held ones too)
                assertThat(refused)
                        .as("connections over the default cap of 1 000, closed unread")
                        .isEqualTo(50);
            } else {
                assertThat(refused).isGreaterThanOrEqualTo(50);
            }
            // another address is not affected: a new neighbour connects, the pair chats
            WsRecorder newcomer = server.admittedClient();
            assertThat(newcomer.id()).isNotBlank();
            pair.chat();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void anAddressAtItsCapIsRefusedUntilOneOfItsConnectionsCloses() throws Exception {
        Neighbours pair = neighboursUnder(c -> c.maxConnectionsPerAddress(5).connectionRate(0, 1));
        List<RawWebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sockets.add(server.trackCloseable(RawWebSocket.connectFrom(server.lobbyUri(), ATTACKER)));
        }
        assertThatThrownBy(() -> RawWebSocket.connectFrom(server.lobbyUri(), ATTACKER))
                .isInstanceOf(IOException.class);
        pair.chat();
        sockets.getFirst().close();
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .ignoreExceptions()
                .until(() -> server.trackCloseable(RawWebSocket.connectFrom(server.lobbyUri(), ATTACKER)) != null);
        // the neighbours' address has its own count
        for (int i = 0; i < 3; i++) {
            server.admittedClient();
        }
        pair.chat();
    }

    @Test
    void aReconnectLoopIsCutToTheConnectionRate() throws Exception {
        Neighbours pair = neighboursUnder(c -> c.maxConnectionsPerAddress(0).connectionRate(5, 10));
        int opened = 0;
        int refused = 0;
        long start = System.nanoTime();
        for (int i = 0; i < 40; i++) {
            try (RawWebSocket ws = RawWebSocket.connectFrom(server.lobbyUri(), ATTACKER)) {
                ws.readText(); // your_id
                opened++;
            } catch (IOException e) {
                refused++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(refused).as("connections refused for the rate").isPositive();
        assertThat(opened).as("opened in %.1f s", seconds).isLessThanOrEqualTo(10 + (int) Math.ceil(5 * seconds));
        pair.chat();
    }

    @Test
    void theForwardedAddressCountsOnlyFromATrustedProxy() throws Exception {
        Neighbours pair = neighboursUnder(
                c -> c.maxConnectionsPerAddress(2).connectionRate(0, 1).trustedProxies(List.of(PROXY + "/32")));
        // Through the proxy: client 203.0.113.7 gets two connections, the third a 429; another client is served.
        for (int i = 0; i < 2; i++) {
            assertThat(upgradeFrom(PROXY, "203.0.113.7")).startsWith("HTTP/1.1 101");
        }
        assertThat(upgradeFrom(PROXY, "203.0.113.7")).startsWith("HTTP/1.1 429");
        // a forged entry left of the proxy's own is not believed: the client is still 203.0.113.7
        assertThat(upgradeFrom(PROXY, "203.0.113.8, 203.0.113.7")).startsWith("HTTP/1.1 429");
        assertThat(upgradeFrom(PROXY, "203.0.113.9")).startsWith("HTTP/1.1 101");
        // From an untrusted peer the header is ignored: it counts against its own address, and is cut at two.
        for (int i = 0; i < 2; i++) {
            assertThat(upgradeFrom(ATTACKER, "203.0.113." + (20 + i))).startsWith("HTTP/1.1 101");
        }
        assertThat(upgradeFrom(ATTACKER, "203.0.113.30")).isEqualTo("closed");
        pair.chat();
    }

    @Test
    void logLinesNameTheForwardedClientOnlyFromATrustedProxy() throws Exception {
        // The per-address limits off: the forwarded address is believed for the log lines all the same.
        Neighbours pair = neighboursUnder(
                c -> c.maxConnectionsPerAddress(0).connectionRate(0, 1).trustedProxies(List.of(PROXY + "/32")));
        try (LogLines log = new LogLines()) {
            // 198.51.100.1, left of the proxy's own entry, is the client's own writing: not believed.
            assertThat(upgradeFrom(PROXY, "198.51.100.1, 203.0.113.7")).startsWith("HTTP/1.1 101");
            assertThat(upgradeFrom(ATTACKER, "203.0.113.20")).startsWith("HTTP/1.1 101");
            // An unmasked frame is a protocol violation: an error line for each, and the session ends.
            for (Socket s : upgrades) {
                s.getOutputStream().write(RawWebSocket.frame(0x81, new byte[] {'{', '}'}, false));
            }
            String proxiedClient =
                    "remote=203.0.113.7 via=127.0.0.3:" + upgrades.get(0).getLocalPort();
            String directPeer = "remote=/127.0.0.2:" + upgrades.get(1).getLocalPort();
            Awaitility.await() // the server waits out its close grace for the client's close frame
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> log.lines().stream()
                                    .filter(l -> l.startsWith("disconnect ")
                                            && (l.contains(proxiedClient + " ") || l.contains(directPeer + " ")))
                                    .count()
                            == 2);
            assertThat(log.lines())
                    .anyMatch(l -> l.startsWith("admit ") && l.endsWith(proxiedClient))
                    .anyMatch(l -> l.startsWith("admit ") && l.endsWith(directPeer))
                    .anyMatch(l -> l.startsWith("protocol violation " + proxiedClient + ":"))
                    .anyMatch(l -> l.startsWith("protocol violation " + directPeer + ":"))
                    .noneMatch(l -> l.contains("198.51.100.1") || l.contains("203.0.113.20"));
            pair.chat();
        }
    }

    /** The same deadline for a v1 session and a PeerJS socket (the one frame reader of every WebSocket). */
    @ParameterizedTest
    @ValueSource(strings = {"v1", "peerjs"})
    void aFragmentHeldOpenByPingsIsClosedAtTheDeadline(String protocol) throws Exception {
        Neighbours pair = neighboursUnder(c -> c.unfinishedMessageTimeout(Duration.ofMillis(500)));
        URI uri = protocol.equals("v1")
                ? server.lobbyUri()
                : server.uri("/peerjs?key=peerjs&id=attacker&token=t&version=1.5.5");
        RawWebSocket attacker = server.trackCloseable(RawWebSocket.connectFrom(uri, ATTACKER));
        attacker.readText(); // your_id, or PeerJS's OPEN
        long start = System.nanoTime();
        attacker.sendFrame(
                WebSocketOpcodes.TEXT,
                ("{\"type\":\"offer\",\"sdp\":\"" + "x".repeat(60_000)).getBytes(StandardCharsets.UTF_8),
                false);
        for (int i = 0; i < 5; i++) {
            attacker.sendFrame(WebSocketOpcodes.PING, new byte[] {1}, true); // liveness, so the keepalive never fires
        }
        assertThat(attacker.awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);
        // the default keepalive (45 s) would have let it live: the deadline closed it
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        pair.chat();
    }

    @Test
    void aFragmentedMessageFinishedInTimeIsDelivered() throws Exception {
        Neighbours pair = neighboursUnder(c -> c.unfinishedMessageTimeout(Duration.ofMillis(500)));
        RawWebSocket a = server.trackCloseable(RawWebSocket.connect(server.lobbyUri()));
        a.readText();
        a.sendFrame(WebSocketOpcodes.TEXT, "{\"type\":\"pi".getBytes(StandardCharsets.UTF_8), false);
        a.sendFrame(WebSocketOpcodes.CONTINUATION, "ng\"}".getBytes(StandardCharsets.UTF_8), true);
        assertThat(a.readText()).contains("pong");
        pair.chat();
    }

    @Test
    void theConnectionClosesRightAfterThe400() throws Exception {
        Neighbours pair = new Neighbours(server);
        try (Socket s = socketFrom(server, ATTACKER)) {
            long start = System.nanoTime();
            String status =
                    statusLine(s, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
            assertThat(status).startsWith("HTTP/1.1 4");
            s.setSoTimeout(5_000);
            InputStream in = s.getInputStream();
            try {
                while (in.read() >= 0) {
                    // the rest of the 400
                }
            } catch (java.net.SocketException reset) {
                // closed with unread bytes of ours: a reset is a close too
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("closed after the 400")
                    .isLessThan(Duration.ofSeconds(3));
        }
        pair.chat();
    }
}
