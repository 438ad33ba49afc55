package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.logging.LogBudget;
import dev.rendezvous.server.transport.WebSocketOpcodes;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The attacks of issue 16, replayed on real sockets: each one refused, while a normal pair next to the
 * attacker keeps chatting.
 */
class HostileClientsTest {
    /** The default settings; a test that needs its own sets them with {@code restartWith}. */
    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    @Test
    void aNewlineInAClientStringCannotForgeALogLine() {
        try (LogLines log = new LogLines()) {
            Neighbours pair = new Neighbours(server);
            WsRecorder attacker = server.admittedClient();
            String forged = "x\nadmit client=admin user=root\r\u2028" + "y".repeat(3000);
            attacker.sendText("{\"type\":\"" + forged.replace("\n", "\\n").replace("\r", "\\r") + "\"}");
            Message.Error error = attacker.nextError(ErrorCode.UNKNOWN_TYPE);
            // the reply echoes a short prefix only
            assertThat(error.ref()).hasSizeLessThanOrEqualTo(65).startsWith("x\nadmit");
            assertThat(error.message()).hasSizeLessThan(200);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> log.lines().stream().anyMatch(l -> l.contains("code=unknown_type")));
            String line = log.lines().stream()
                    .filter(l -> l.contains("code=unknown_type"))
                    .findFirst()
                    .orElseThrow();
            assertThat(line)
                    .doesNotContain("\n")
                    .doesNotContain("\r")
                    .doesNotContain("\u2028")
                    .contains("ref=x\\nadmit client=admin user=root\\r\\u2028")
                    .endsWith("…")
                    .hasSizeLessThan(200);
            assertThat(log.lines()).noneMatch(l -> l.startsWith("admit client=admin"));
            pair.chat();
        }
    }

    @Test
    void clientsSendingBadFramesWriteOnlyABoundedTrickle() throws Exception {
        try (LogLines log = new LogLines()) {
            Neighbours pair = new Neighbours(server);
            long floodNanos = Duration.ofSeconds(3).toNanos();
            AtomicLong errors = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            Thread[] attackers = new Thread[2];
            for (int t = 0; t < attackers.length; t++) {
                attackers[t] = Thread.ofPlatform().start(() -> {
                    long end = System.nanoTime() + floodNanos;
                    // Bad frames at the rate limit (reconnecting when kicked), each one answered by an error.
                    while (System.nanoTime() < end && !stop.get()) {
                        try (RawWebSocket ws = RawWebSocket.connect(server.lobbyUri())) {
                            ws.readText(); // your_id
                            for (int i = 0; i < 200 && System.nanoTime() < end; i++) {
                                ws.sendText("{\"type\":\"bogus-" + i + "\"}");
                                if (ws.readFrame().opcode() != WebSocketOpcodes.TEXT) {
                                    break;
                                }
                                errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            // kicked: reconnect
                        }
                    }
                });
            }
            long deadline = System.nanoTime() + floodNanos;
            // The neighbours chat while the attackers flood, at most 2 000 offers: a tight loop of round trips on a
            // quiet machine outruns the neighbour's own rate limit (5 000 burst + 1 000/s) and would test that instead.
            while (System.nanoTime() < deadline && pair.sent < 2_000) {
                pair.chat();
            }
            stop.set(true);
            for (Thread t : attackers) {
                t.join(Duration.ofSeconds(15));
            }
            long refuseLines =
                    log.lines().stream().filter(l -> l.startsWith("refuse")).count();
            assertThat(errors.get()).as("errors sent to the attackers").isGreaterThan(1_000);
            // 100 lines of burst + 20 a second over ~3 s (with slack for the test's own timing)
            assertThat(refuseLines).as("refusal lines logged").isLessThanOrEqualTo(100 + 20 * 5);
            assertThat(LogBudget.CLIENTS.suppressed())
                    .as("lines counted instead of written")
                    .isPositive();
            pair.chat();
        }
    }

    @Test
    void aPingFlooderThatNeverReadsIsClosedAndQueuesABoundedAmount() throws Exception {
        Neighbours pair = new Neighbours(server);
        long baseline = usedDirectMemory();
        RawWebSocket flooder = server.trackCloseable(RawWebSocket.connect(server.lobbyUri(), 4096));
        byte[] ping = RawWebSocket.frame(0x80 | WebSocketOpcodes.PING, new byte[125], true);
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            batch.write(ping);
        }
        byte[] pings = batch.toByteArray();
        long peak = 0;
        long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        boolean cutOff = false;
        // The flooder reads nothing and pings as fast as it can, until the server drops it (bounded in time).
        while (System.nanoTime() < end) {
            try {
                flooder.sendRaw(pings);
            } catch (IOException e) {
                cutOff = true;
                break;
            }
            peak = Math.max(peak, usedDirectMemory() - baseline);
        }
        assertThat(cutOff).as("the server dropped the flooder").isTrue();
        assertThat(peak).as("server buffers grown by the flood").isLessThan(32L << 20);
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> server.hubState().sessions() == 2);
        pair.chat();
    }

    private static long usedDirectMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT)
                .metric()
                .usedDirectMemory();
    }

    @Test
    void errorsEchoOnlyAShortPrefixOfTheInput() {
        Neighbours pair = new Neighbours(server);
        WsRecorder attacker = server.admittedClient();
        String target = "t".repeat(5_000);
        attacker.send(new Message.PairRequest(target));
        Message.Error error = attacker.nextError(ErrorCode.PEER_NOT_FOUND);
        assertThat(error.message()).hasSizeLessThan(150);
        attacker.sendText("{\"type\":\"" + "u".repeat(5_000) + "\"}");
        Message.Error unknown = attacker.nextError(ErrorCode.UNKNOWN_TYPE);
        assertThat(unknown.ref()).hasSize(65);
        assertThat(unknown.message()).hasSizeLessThan(150);
        pair.chat();
    }

    @Test
    void aSenderOfLargeBroadcastsIsThrottledNotItsReceivers() throws Exception {
        Neighbours pair = new Neighbours(server);
        WsRecorder r1 = server.admittedClient("big");
        WsRecorder r2 = server.admittedClient("big");
        RawWebSocket sender = server.trackCloseable(RawWebSocket.connect(server.roomUri("big")));
        sender.readText(); // your_id
        byte[] frame = RawWebSocket.frame(
                0x80 | WebSocketOpcodes.TEXT,
                ("{\"type\":\"candidate\",\"pad\":\"" + "x".repeat(60_000) + "\"}").getBytes(StandardCharsets.UTF_8),
                true);
        // 2 000 frames of 60 KB as fast as the socket takes them: far over the byte rate, under the frame rate.
        for (int i = 0; i < 2_000; i++) {
            try {
                sender.sendRaw(frame);
            } catch (IOException e) {
                break; // closed by the server
            }
        }
        boolean limited = false;
        int code;
        while (true) {
            RawWebSocket.Frame f = sender.readFrame();
            if (f.opcode() == WebSocketOpcodes.CLOSE) {
                code = f.closeCode();
                break;
            }
            limited |= f.text().contains("\"rate_limited\"");
        }
        assertThat(limited).as("the sender was told rate_limited").isTrue();
        assertThat(code).as("the sender's close code").isEqualTo(4029);
        // the receivers were never closed: they still talk to each other
        assertThat(r1.isClosed())
                .as("receiver 1 closed, code %s", r1.isClosed() ? r1.awaitClose() : 0)
                .isFalse();
        r1.sendText("{\"type\":\"offer\",\"to\":\"" + r2.id() + "\",\"sdp\":\"after\"}");
        assertThat(r2.await(Message.Offer.class).payload().get("sdp").asText()).isEqualTo("after");
        assertThat(r1.isClosed()).isFalse();
        assertThat(r2.isClosed()).isFalse();
        pair.chat();
    }

    /** Sends a raw HTTP request head to the server; returns the status line and headers. */
    static String exchange(ServerExtension server, String head) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) WsRecorder.TIMEOUT.toMillis());
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            java.io.InputStream in = s.getInputStream();
            StringBuilder response = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                response.append((char) b);
                if (response.toString().endsWith("\r\n\r\n")) {
                    break;
                }
            }
            return response.toString();
        }
    }

    static String upgrade(ServerExtension server, String path, String host, String origin) throws IOException {
        return exchange(
                server,
                "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                        + (origin == null ? "" : "Origin: " + origin + "\r\n")
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n");
    }

    static String get(ServerExtension server, String path, String host, String origin) throws IOException {
        return exchange(
                server,
                "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                        + (origin == null ? "" : "Origin: " + origin + "\r\n") + "Connection: close\r\n\r\n");
    }

    @Test
    void foreignPagesAndReboundNamesAreRefusedByDefault() throws Exception {
        Neighbours pair = new Neighbours(server);
        String self = "127.0.0.1:" + server.port();
        assertThat(upgrade(server, "/ws", self, "http://evil.example")).startsWith("HTTP/1.1 403");
        assertThat(upgrade(server, "/ws", self, "null")).startsWith("HTTP/1.1 403");
        assertThat(upgrade(server, "/ws", self, "https://127.0.0.1:" + server.port()))
                .startsWith("HTTP/1.1 403");
        assertThat(upgrade(server, "/ws", self, null)).startsWith("HTTP/1.1 101");
        assertThat(upgrade(server, "/ws", self, "http://" + self)).startsWith("HTTP/1.1 101");
        assertThat(upgrade(server, "/ws", self, "http://localhost:3000"))
                .startsWith("HTTP/1.1 101"); // loopback dev page
        // DNS rebinding: evil.example now resolves to 127.0.0.1, its page is "same origin" with its own name
        String rebound = "evil.example:" + server.port();
        assertThat(upgrade(server, "/ws", rebound, "http://" + rebound)).startsWith("HTTP/1.1 403");
        assertThat(get(server, "/healthz", rebound, null)).startsWith("HTTP/1.1 403");
        assertThat(get(server, "/healthz", "127.0.0.1.evil.example", null)).startsWith("HTTP/1.1 403");
        // the API: 403 for a foreign page, no CORS header for anyone not allowed
        assertThat(get(server, "/healthz", self, "http://evil.example")).startsWith("HTTP/1.1 403");
        String own = get(server, "/healthz", self, "http://" + self);
        assertThat(own).startsWith("HTTP/1.1 200").containsIgnoringCase("access-control-allow-origin: http://" + self);
        assertThat(get(server, "/healthz", self, null))
                .startsWith("HTTP/1.1 200")
                .doesNotContainIgnoringCase("access-control");
        pair.chat();
    }

    @Test
    void onlyConfiguredOriginsAndHostsAreServed() throws Exception {
        server.restartWith(c -> c.allowedOrigins(List.of("https://*.example.com", "http://app.test:8080"))
                .allowedHosts(List.of("127.0.0.1", "signal.example.com")));
        Neighbours pair = new Neighbours(server);
        String self = "127.0.0.1:" + server.port();
        assertThat(upgrade(server, "/ws", self, "https://app.example.com")).startsWith("HTTP/1.1 101");
        assertThat(upgrade(server, "/ws", self, "https://a.b.example.com")).startsWith("HTTP/1.1 101");
        assertThat(upgrade(server, "/ws", self, "https://example.com")).startsWith("HTTP/1.1 403");
        assertThat(upgrade(server, "/ws", self, "http://app.example.com")).startsWith("HTTP/1.1 403");
        assertThat(upgrade(server, "/ws", self, "https://evilexample.com")).startsWith("HTTP/1.1 403");
        assertThat(upgrade(server, "/ws", self, "http://app.test:8080")).startsWith("HTTP/1.1 101");
        assertThat(upgrade(server, "/ws", self, "http://app.test:8081")).startsWith("HTTP/1.1 403");
        assertThat(get(server, "/healthz", "signal.example.com", null)).startsWith("HTTP/1.1 200");
        assertThat(get(server, "/healthz", "localhost:" + server.port(), null)).startsWith("HTTP/1.1 403");
        pair.chat();
    }

    @Test
    void aRequestHeadTricklingInIsCutAtAnAbsoluteDeadline() throws Exception {
        Neighbours pair = new Neighbours(server);
        java.net.Socket slow = server.trackCloseable(new java.net.Socket("127.0.0.1", server.port()));
        slow.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        long start = System.nanoTime();
        // One header byte every 500 ms: each byte would reset a read timeout; the deadline does not move.
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    try {
                        slow.getOutputStream().write('x');
                        slow.getOutputStream().flush();
                        return false;
                    } catch (IOException e) {
                        return true; // the server closed it
                    }
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        pair.chat();
    }

    @Test
    void anOversizedHeadGetsA400AndTheConnectionClosesAtOnce() throws Exception {
        Neighbours pair = new Neighbours(server);
        String response =
                exchange(server, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 4").containsIgnoringCase("connection: close");
        pair.chat();
    }

    private String upgradeWithKey(String keyHeader) throws IOException {
        return exchange(
                server,
                "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\n" + keyHeader
                        + "Sec-WebSocket-Version: 13\r\n\r\n");
    }

    @Test
    void badWebSocketKeysAndUnknownHttpVersionsAreAnsweredAsTheRfcsSay() throws Exception {
        Neighbours pair = new Neighbours(server);
        assertThat(upgradeWithKey("")).startsWith("HTTP/1.1 400");
        assertThat(upgradeWithKey("Sec-WebSocket-Key: \r\n")).startsWith("HTTP/1.1 400");
        assertThat(upgradeWithKey("Sec-WebSocket-Key: not base64 at all!!!!!\r\n"))
                .startsWith("HTTP/1.1 400");
        assertThat(upgradeWithKey("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"))
                .startsWith("HTTP/1.1 101");
        assertThat(exchange(server, "GET / HTTP/9.9\r\nHost: 127.0.0.1:" + server.port() + "\r\n\r\n"))
                .startsWith("HTTP/1.1 505");
        pair.chat();
    }

    @Test
    void theUpgradeAnswersTheRfcAcceptThenYourIdAsTheFirstFrame() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) WsRecorder.TIMEOUT.toMillis());
            s.getOutputStream()
                    .write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"
                                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                    + "Sec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            // RFC 6455 §1.3's own example key and answer
            assertThat(head.toString())
                    .startsWith("HTTP/1.1 101 ")
                    .containsIgnoringCase("upgrade: websocket\r\n")
                    .containsIgnoringCase("connection: upgrade\r\n")
                    .containsIgnoringCase("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
            assertThat(in.readUnsignedByte()).as("FIN + text").isEqualTo(0x81);
            int length = in.readUnsignedByte();
            assertThat(length).as("unmasked, at most 16 bits of length").isLessThanOrEqualTo(126);
            if (length == 126) {
                length = in.readUnsignedShort();
            }
            byte[] json = new byte[length];
            in.readFully(json);
            assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"your_id\"");
        }
    }
}
