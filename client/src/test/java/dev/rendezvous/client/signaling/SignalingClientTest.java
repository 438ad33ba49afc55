package dev.rendezvous.client.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.client.ServerFixture;
import dev.rendezvous.server.auth.AuthResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The signaling client against the real server on 127.0.0.1. */
class SignalingClientTest {
    private static ServerFixture server;

    @BeforeAll
    static void startServer() throws Exception {
        // Short keepalive: a client that did not answer pings would be closed within a second.
        server = ServerFixture.start(b -> b.pingInterval(Duration.ofMillis(150)).pingTimeout(Duration.ofMillis(400)));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static SignalingClient connect(String id, SignalingListener listener) throws Exception {
        return SignalingClient.connect(SignalingOptions.of(server.lobby()).withClientId(id), listener).get(10, TimeUnit.SECONDS);
    }

    @Test
    void admittedWithTheRequestedIdAndAnsweringPingsStaysConnected() throws Exception {
        SignalingRecorder events = new SignalingRecorder();
        SignalingClient client = connect("sig-ping", events);
        try {
            assertThat(client.id()).isEqualTo("sig-ping");
            assertThat(client.iceServers()).isEmpty();
            // Five ping timeouts later the server has not closed us: our pongs kept us alive.
            CompletableFuture<Void> closed = client.closedFuture();
            assertThatThrownBy(() -> closed.get(2, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(client.isOpen()).isTrue();
        } finally {
            client.close();
        }
        assertThat(client.closedFuture()).isDone();
    }

    @Test
    void anIdInUseIsRefused() throws Exception {
        SignalingClient first = connect("sig-taken", new SignalingRecorder());
        try {
            CompletableFuture<SignalingClient> second =
                    SignalingClient.connect(SignalingOptions.of(server.lobby()).withClientId("sig-taken"), new SignalingRecorder());
            assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("id_taken");
        } finally {
            first.close();
        }
    }

    @Test
    void relaysReadBothDialectsAndIgnoreEndOfCandidates() throws Exception {
        SignalingRecorder a = new SignalingRecorder();
        SignalingRecorder b = new SignalingRecorder();
        SignalingClient alice = connect("sig-a", a);
        SignalingClient bob = connect("sig-b", b);
        try {
            alice.pairRequest("sig-b");
            a.await("paired sig-b true");
            b.await("paired sig-a false");

            alice.sendOffer(null, "v=0 stage");
            b.await("offer sig-a v=0 stage");
            alice.sendText("{\"type\":\"offer\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0 seed\"}}");
            b.await("offer sig-a v=0 seed");
            bob.sendAnswer(null, "v=0 answer");
            a.await("answer sig-b v=0 answer");

            alice.sendCandidate(null, "candidate:1 1 udp 1 127.0.0.1 9 typ host", "0", 0);
            alice.sendText("{\"type\":\"candidate\",\"candidate\":null}");
            alice.sendText("{\"type\":\"ice_candidate\",\"candidate\":{\"candidate\":\"\",\"sdpMid\":\"0\"}}");
            alice.sendText("{\"type\":\"ice_candidate\",\"candidate\":\"candidate:2 1 udp 1 127.0.0.1 10 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
            assertThat(b.next()).isEqualTo("candidate sig-a candidate:1 1 udp 1 127.0.0.1 9 typ host 0 0");
            assertThat(b.next()).as("end-of-candidates markers are not reported")
                    .isEqualTo("candidate sig-a candidate:2 1 udp 1 127.0.0.1 10 typ host 0 0");
        } finally {
            alice.close();
            bob.close();
        }
        b.await("closed 1000");
    }

    @Test
    void concurrentSendsFromManyThreadsAllArriveInOrderPerThread() throws Exception {
        SignalingRecorder a = new SignalingRecorder();
        SignalingRecorder b = new SignalingRecorder();
        SignalingClient alice = connect("sig-many-a", a);
        SignalingClient bob = connect("sig-many-b", b);
        try {
            alice.pairRequest("sig-many-b");
            b.await("paired sig-many-a false");
            int threads = 4;
            int perThread = 100; // 400 frames: within the server's rate limit
            List<Thread> senders = new ArrayList<>();
            List<CompletableFuture<Void>> sends = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int thread = t;
                senders.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        sends.add(alice.sendCandidate(null, "candidate:" + thread + " 1 udp " + i + " 127.0.0.1 9 typ host", "0", 0));
                    }
                }));
            }
            for (Thread sender : senders) {
                sender.join(10_000);
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            Map<String, Integer> nextPerThread = new HashMap<>();
            for (int n = 0; n < threads * perThread; n++) {
                String[] fields = b.next().split(" ");
                String thread = fields[2].substring("candidate:".length());
                int index = Integer.parseInt(fields[5]);
                assertThat(index).isEqualTo(nextPerThread.getOrDefault(thread, 0));
                nextPerThread.put(thread, index + 1);
            }
            assertThat(nextPerThread).hasSize(threads).allSatisfy((thread, count) -> assertThat(count).isEqualTo(perThread));
        } finally {
            alice.close();
            bob.close();
        }
    }

    @Test
    void gracefulCloseAndAbruptCancelBothFreeThePeer() throws Exception {
        SignalingRecorder b = new SignalingRecorder();
        SignalingClient bob = connect("sig-stay", b);
        try {
            SignalingClient graceful = connect("sig-graceful", new SignalingRecorder());
            graceful.pairRequest("sig-stay");
            b.await("paired sig-graceful false");
            graceful.close();
            b.await("peer_disconnected sig-graceful");

            SignalingRecorder abruptEvents = new SignalingRecorder();
            SignalingClient abrupt = connect("sig-abrupt", abruptEvents);
            abrupt.pairRequest("sig-stay");
            b.await("paired sig-abrupt false");
            abrupt.cancel();
            abruptEvents.await("closed 1006");
            b.await("peer_disconnected sig-abrupt");
        } finally {
            bob.close();
        }
    }

    @Test
    void roomPresenceEvents() throws Exception {
        SignalingRecorder first = new SignalingRecorder();
        SignalingRecorder second = new SignalingRecorder();
        var room = SignalingOptions.roomUri(server.lobby(), "sig-room");
        SignalingClient one = SignalingClient.connect(SignalingOptions.of(room).withClientId("r-one"), first).get(10, TimeUnit.SECONDS);
        try {
            first.await("users_in_room []");
            SignalingClient two = SignalingClient.connect(SignalingOptions.of(room).withClientId("r-two"), second).get(10, TimeUnit.SECONDS);
            second.await("users_in_room [r-one]");
            first.await("user_joined r-two");
            two.sendOffer("r-one", "v=0 to one");
            first.await("offer r-two v=0 to one");
            two.close();
            first.await("user_left r-two");
        } finally {
            one.close();
        }
    }

    @Test
    void answersAuthRequiredWithItsToken() throws Exception {
        try (ServerFixture authServer = ServerFixture.start(b -> b.authenticator(token -> token.equals("good-token")
                ? new AuthResult.Admitted("tester", Optional.empty())
                : new AuthResult.Refused("bad token")))) {
            SignalingRecorder events = new SignalingRecorder();
            SignalingClient client = SignalingClient.connect(
                            SignalingOptions.of(authServer.lobby()).withToken("good-token").withClientId("sig-auth"), events)
                    .get(10, TimeUnit.SECONDS);
            try {
                assertThat(events.next()).isEqualTo("auth_required");
                assertThat(events.next()).isEqualTo("auth_success tester");
                assertThat(client.id()).isEqualTo("sig-auth");
            } finally {
                client.close();
            }
            CompletableFuture<SignalingClient> refused = SignalingClient.connect(
                    SignalingOptions.of(authServer.lobby()).withToken("bad-token"), new SignalingRecorder());
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).hasMessageContaining("auth_failed");
        }
    }
}
