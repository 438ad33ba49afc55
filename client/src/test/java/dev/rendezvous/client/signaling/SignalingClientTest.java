package dev.rendezvous.client.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.server.auth.AuthResult;
import dev.rendezvous.testing.ServerFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The signaling client against the real server on 127.0.0.1. */
class SignalingClientTest {
    // Short keepalive: a client that did not answer pings would be closed within a second.
    @RegisterExtension
    static final ServerFixture server =
            ServerFixture.perClass(b -> b.pingInterval(Duration.ofMillis(150)).pingTimeout(Duration.ofMillis(400)));

    private static SignalingOptions lobby(String id) {
        return SignalingOptions.of(server.lobby()).withClientId(id);
    }

    private static SignalingClient connect(String id, SignalingListener listener) throws Exception {
        return SignalingPair.connect(lobby(id), listener);
    }

    @Test
    void admittedWithTheRequestedIdAndAnsweringPingsStaysConnected() throws Exception {
        SignalingRecorder events = new SignalingRecorder();
        SignalingClient client = connect("sig-ping", events);
        try (client) {
            assertThat(client.id()).isEqualTo("sig-ping");
            assertThat(client.iceServers()).isEmpty();
            // Five ping timeouts later the server has not closed us: our pongs kept us alive.
            CompletableFuture<Void> closed = client.closedFuture();
            assertThatThrownBy(() -> closed.get(2, TimeUnit.SECONDS))
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(client.isOpen()).isTrue();
        }
        assertThat(client.closedFuture()).isDone();
    }

    @Test
    void anIdInUseIsRefused() throws Exception {
        SignalingClient first = connect("sig-taken", new SignalingRecorder());
        try (first) {
            CompletableFuture<SignalingClient> second = SignalingClient.connect(
                    SignalingOptions.of(server.lobby()).withClientId("sig-taken"), new SignalingRecorder());
            assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("id_taken");
        }
    }

    @Test
    void relaysReadBothDialectsAndIgnoreEndOfCandidates() throws Exception {
        SignalingPair p = SignalingPair.connect(lobby("sig-a"), lobby("sig-b"));
        try (p) {
            p.alice().pairRequest("sig-b");
            p.a().await("paired sig-b true");
            p.b().await("paired sig-a false");

            p.alice().sendOffer(null, "v=0 stage");
            p.b().await("offer sig-a v=0 stage");
            p.alice().sendText("{\"type\":\"offer\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0 seed\"}}");
            p.b().await("offer sig-a v=0 seed");
            p.bob().sendAnswer(null, "v=0 answer");
            p.a().await("answer sig-b v=0 answer");

            p.alice().sendCandidate(null, "candidate:1 1 udp 1 127.0.0.1 9 typ host", "0", 0);
            p.alice().sendText("{\"type\":\"candidate\",\"candidate\":null}");
            p.alice().sendText("{\"type\":\"ice_candidate\",\"candidate\":{\"candidate\":\"\",\"sdpMid\":\"0\"}}");
            p.alice()
                    .sendText(
                            "{\"type\":\"ice_candidate\",\"candidate\":\"candidate:2 1 udp 1 127.0.0.1 10 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
            assertThat(p.b().next()).isEqualTo("candidate sig-a candidate:1 1 udp 1 127.0.0.1 9 typ host 0 0");
            assertThat(p.b().next())
                    .as("end-of-candidates markers are not reported")
                    .isEqualTo("candidate sig-a candidate:2 1 udp 1 127.0.0.1 10 typ host 0 0");
        }
        p.b().await("closed 1000");
    }

    @Test
    void concurrentSendsFromManyThreadsAllArriveInOrderPerThread() throws Exception {
        try (SignalingPair p = SignalingPair.connect(lobby("sig-many-a"), lobby("sig-many-b"))) {
            p.alice().pairRequest("sig-many-b");
            p.b().await("paired sig-many-a false");
            int threads = 4;
            int perThread = 100; // 400 frames: within the server's rate limit
            List<Thread> senders = new ArrayList<>();
            List<CompletableFuture<Void>> sends = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int thread = t;
                senders.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        sends.add(p.alice()
                                .sendCandidate(
                                        null, "candidate:" + thread + " 1 udp " + i + " 127.0.0.1 9 typ host", "0", 0));
                    }
                }));
            }
            for (Thread sender : senders) {
                sender.join(10_000);
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            Map<String, Integer> nextPerThread = new HashMap<>();
            for (int n = 0; n < threads * perThread; n++) {
                String[] fields = p.b().next().split(" ");
                String thread = fields[2].substring("candidate:".length());
                int index = Integer.parseInt(fields[5]);
                assertThat(index).isEqualTo(nextPerThread.getOrDefault(thread, 0));
                nextPerThread.put(thread, index + 1);
            }
            assertThat(nextPerThread)
                    .hasSize(threads)
                    .allSatisfy((thread, count) -> assertThat(count).isEqualTo(perThread));
        }
    }

    @Test
    void gracefulCloseAndAbruptCancelBothFreeThePeer() throws Exception {
        SignalingRecorder b = new SignalingRecorder();
        SignalingClient bob = connect("sig-stay", b);
        try (bob) {
            SignalingClient graceful = connect("sig-graceful", new SignalingRecorder());
            graceful.pairRequest("sig-stay");
            b.await("paired sig-graceful false");
            graceful.close();
            b.await("peer_disconnected sig-graceful");

            // A v1 (non-resumable) client: a resumable one that vanishes is detached for the server's
            // grace first (ResumeTest covers that).
            SignalingRecorder abruptEvents = new SignalingRecorder();
            SignalingClient abrupt = SignalingClient.connect(
                            SignalingOptions.of(server.lobby())
                                    .withClientId("sig-abrupt")
                                    .withResumable(false),
                            abruptEvents)
                    .get(10, TimeUnit.SECONDS);
            abrupt.pairRequest("sig-stay");
            b.await("paired sig-abrupt false");
            abrupt.cancel();
            abruptEvents.await("closed 1006");
            b.await("peer_disconnected sig-abrupt");
        }
    }

    @Test
    void roomPresenceEvents() throws Exception {
        SignalingRecorder first = new SignalingRecorder();
        SignalingRecorder second = new SignalingRecorder();
        var room = SignalingOptions.roomUri(server.lobby(), "sig-room");
        SignalingClient one = SignalingClient.connect(SignalingOptions.of(room).withClientId("r-one"), first)
                .get(10, TimeUnit.SECONDS);
        try (one) {
            first.await("users_in_room []");
            SignalingClient two = SignalingClient.connect(
                            SignalingOptions.of(room).withClientId("r-two"), second)
                    .get(10, TimeUnit.SECONDS);
            second.await("users_in_room [r-one]");
            first.await("user_joined r-two");
            two.sendOffer("r-one", "v=0 to one");
            first.await("offer r-two v=0 to one");
            two.close();
            first.await("user_left r-two");
        }
    }

    @Test
    void answersAuthRequiredWithItsToken() throws Exception {
        try (ServerFixture authServer = ServerFixture.start(b -> b.authenticator(token -> token.equals("good-token")
                ? new AuthResult.Admitted("tester", Optional.empty())
                : new AuthResult.Refused("bad token")))) {
            SignalingRecorder events = new SignalingRecorder();
            SignalingClient client = SignalingClient.connect(
                            SignalingOptions.of(authServer.lobby())
                                    .withToken("good-token")
                                    .withClientId("sig-auth"),
                            events)
                    .get(10, TimeUnit.SECONDS);
            try (client) {
                assertThat(events.next()).isEqualTo("auth_required");
                assertThat(events.next()).isEqualTo("auth_success tester");
                assertThat(client.id()).isEqualTo("sig-auth");
            }
            CompletableFuture<SignalingClient> refused = SignalingClient.connect(
                    SignalingOptions.of(authServer.lobby()).withToken("bad-token"), new SignalingRecorder());
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).hasMessageContaining("auth_failed");
        }
    }

    @Test
    void aServerThatStopsReadingGetsABoundedBacklogAndRefusedSends() throws Exception {
        try (StalledServer stalled = StalledServer.start()) {
            SignalingClient client = SignalingClient.connect(
                            SignalingOptions.of(stalled.uri()).withClientId("stalled"), new SignalingRecorder())
                    .get(10, TimeUnit.SECONDS);
            try {
                String chunk = "x".repeat(64 * 1024);
                CompletableFuture<Void> refused = null;
                // Bounded: 1000 x 64 KiB is far beyond socket buffers plus the 4 MiB allowance.
                for (int i = 0; i < 1000 && refused == null; i++) {
                    CompletableFuture<Void> sent = client.sendText(chunk);
                    if (sent.isCompletedExceptionally()) {
                        refused = sent;
                    }
                }
                assertThat(refused)
                        .as("a send is refused once the backlog is full")
                        .isNotNull();
                assertThatThrownBy(refused::join).hasCauseInstanceOf(SignalingClient.SendBacklogFullException.class);
                assertThat(client.unwrittenFrames()).isPositive().isLessThanOrEqualTo((int)
                        (SignalingClient.MAX_UNWRITTEN_CHARS / chunk.length()));
            } finally {
                client.cancel();
            }
        }
    }

    /**
     * A WebSocket server by hand on 127.0.0.1 that admits one client ({@code your_id}) and then never
     * reads again, with a tiny receive buffer, as a wedged server would.
     */
    private static final class StalledServer implements AutoCloseable {
        private final java.net.ServerSocket listener;
        private final java.util.List<java.net.Socket> accepted =
                java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread acceptor;

        private StalledServer(java.net.ServerSocket listener) {
            this.listener = listener;
            this.acceptor = Thread.ofPlatform().daemon().name("stalled-server").start(this::serveOne);
        }

        static StalledServer start() throws java.io.IOException {
            java.net.ServerSocket listener = new java.net.ServerSocket();
            listener.setReceiveBufferSize(4096);
            listener.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            return new StalledServer(listener);
        }

        java.net.URI uri() {
            return java.net.URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws");
        }

        private void serveOne() {
            try {
                java.net.Socket socket = listener.accept();
                accepted.add(socket);
                var in = socket.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    head.append((char) b);
                }
                String key = head.toString()
                        .lines()
                        .filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:"))
                        .map(line -> line.substring(line.indexOf(':') + 1).trim())
                        .findFirst()
                        .orElseThrow();
                String accept = java.util.Base64.getEncoder()
                        .encodeToString(java.security.MessageDigest.getInstance("SHA-1")
                                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                var out = socket.getOutputStream();
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                byte[] yourId = dev.rendezvous.protocol.MessageCodec.encode(
                                new dev.rendezvous.protocol.Message.YourId("stalled", List.of(), 0, 0))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (yourId.length > 125) {
                    throw new IllegalStateException("your_id frame too long for this tiny server");
                }
                out.write(new byte[] {(byte) 0x81, (byte) yourId.length});
                out.write(yourId);
                out.flush();
                // From here on nothing is read: the client's writes pile up.
            } catch (Exception e) {
                if (!listener.isClosed()) {
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public void close() throws Exception {
            listener.close();
            synchronized (accepted) {
                for (java.net.Socket socket : accepted) {
                    socket.close();
                }
            }
            acceptor.join(10_000);
        }
    }

    @Test
    void aFailedConnectIsReportedAsClosed1006AndReleasesTheHttpClient() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort(); // free again once closed: nothing listens there
        }
        SignalingRecorder events = new SignalingRecorder();
        AtomicReference<SignalingClient> failed = new AtomicReference<>();
        SignalingListener capturing = new SignalingListener() {
            @Override
            public void onFailure(SignalingClient client, Throwable error) {
                failed.set(client);
                events.events.add("failure");
            }

            @Override
            public void onClosed(SignalingClient client, int code, String reason) {
                events.onClosed(client, code, reason);
            }
        };
        CompletableFuture<SignalingClient> connecting = SignalingClient.connect(
                SignalingOptions.of(java.net.URI.create("ws://127.0.0.1:" + closedPort + "/ws")), capturing);
        assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(java.net.ConnectException.class);
        assertThat(events.next()).isEqualTo("failure");
        assertThat(events.next()).isEqualTo("closed 1006");
        // onClosed is called before closedFuture completes (listeners first): wait for it, do not race it.
        org.awaitility.Awaitility.await()
                .atMost(SignalingRecorder.WAIT)
                .until(failed.get().closedFuture()::isDone);
        org.awaitility.Awaitility.await().atMost(SignalingRecorder.WAIT).until(failed.get()::httpClientTerminated);
    }
}
