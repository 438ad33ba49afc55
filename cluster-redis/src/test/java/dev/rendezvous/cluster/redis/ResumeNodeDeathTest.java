package dev.rendezvous.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.TcpProxy;
import dev.rendezvous.testing.WsRecorder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resume (v1.1) when a node dies (SIGKILL of a child node process) while it holds a detached session,
 * carries one for a client on another node, or is the client's node of a tunnel: a session whose owner
 * died departs once, as every client of a dead node does (docs/cluster.md); a session whose client's node
 * died detaches on its owner and is resumed elsewhere.
 */
class ResumeNodeDeathTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Expiry of the dead node's key (TTL) + the survivors' next heartbeat (TTL/3) + delivery slack. */
    private static final Duration BOUND =
            TwoNodesOnRedis.NODE_TTL.plus(TwoNodesOnRedis.NODE_TTL.dividedBy(3)).plusMillis(1500);

    @RegisterExtension
    final ServerExtension survivors = ServerExtension.create(b -> b.resumeGrace(Duration.ofSeconds(15)));

    private Process child;
    private final LinkedBlockingQueue<String> childLines = new LinkedBlockingQueue<>();
    private TcpProxy proxy;

    @AfterEach
    void killChild() throws IOException {
        if (child != null) {
            child.destroyForcibly();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Starts a node process printing its detached count; returns its port. */
    private int startChildNode() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        child = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        NodeMain.class.getName(),
                        SharedRedis.get().uri(),
                        "doomed-" + ProcessHandle.current().pid(),
                        Long.toString(TwoNodesOnRedis.NODE_TTL.toMillis()),
                        "print-detached")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(
                () -> {
                    try {
                        for (String l; (l = out.readLine()) != null; ) {
                            childLines.add(l);
                        }
                    } catch (IOException e) {
                        // the child died: nothing more to read
                    }
                },
                "child-node-output");
        reader.setDaemon(true);
        reader.start();
        String port = childLine("port=", Duration.ofSeconds(30));
        return Integer.parseInt(port.substring("port=".length()));
    }

    /** The child's next output line starting with {@code prefix}, skipping others. */
    private String childLine(String prefix, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            String l = childLines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(l).as("a child line starting with %s", prefix).isNotNull();
            if (l.startsWith(prefix)) {
                return l;
            }
        }
    }

    private void kill() throws InterruptedException {
        child.destroyForcibly(); // SIGKILL: no goodbye from the node
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private WsRecorder admittedAt(int port, String pathAndQuery) {
        WsRecorder c = survivors.track(WsRecorder.connect(URI.create("ws://127.0.0.1:" + port + pathAndQuery)));
        c.rememberId(c.next(Message.YourId.class).id());
        return c;
    }

    private int port(int survivor) {
        return survivors.nodes().get(survivor).port();
    }

    /** A resumable client: its id and token from {@code your_id}. */
    private record Resumable(RawWebSocket ws, String id, String token) {
        static Resumable admit(URI uri) throws IOException {
            RawWebSocket ws = RawWebSocket.connect(uri);
            JsonNode yourId = JSON.readTree(ws.readText());
            return new Resumable(
                    ws, yourId.get("id").asText(), yourId.get("resume_token").asText());
        }

        /** Opens a resume connection on {@code port}; returns it and the server's first answer. */
        RawWebSocket resumeAt(int port, long received, JsonNode[] answer) throws IOException {
            RawWebSocket again = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws?resume=1"));
            again.sendText(JSON.createObjectNode()
                    .put("type", "resume")
                    .put("id", id)
                    .put("resume_token", token)
                    .put("received", received)
                    .toString());
            answer[0] = JSON.readTree(again.readText());
            return again;
        }
    }

    /** Alice (resumable, through the proxy to {@code port}) paired with Bob (v1, on {@code bobPort}). */
    private Resumable pairedAlice(int port, WsRecorder bob) throws IOException {
        proxy = TcpProxy.to(port);
        Resumable alice = Resumable.admit(proxy.uri("/ws?resumable=1"));
        bob.send(new Message.PairRequest(alice.id()));
        bob.next(Message.Paired.class);
        assertThat(JSON.readTree(alice.ws().readText()).get("type").asText()).isEqualTo("paired");
        return alice;
    }

    @Test
    void anOwnerDyingWithADetachedSessionDepartsItOnceAndAResumeElsewhereFails() throws Exception {
        int doomed = startChildNode();
        WsRecorder bob = admittedAt(port(0), "/ws");
        Resumable alice = pairedAlice(doomed, bob);
        proxy.last().cut();
        assertThat(childLine("detached=", Duration.ofSeconds(5))).isEqualTo("detached=1");
        kill();

        assertThat(bob.await(Message.PeerDisconnected.class).peerId()).isEqualTo(alice.id());
        bob.assertNothingBeforePong(); // once
        JsonNode[] answer = new JsonNode[1];
        RawWebSocket again = alice.resumeAt(port(1), 1, answer);
        assertThat(answer[0].get("code").asText()).isEqualTo("resume_failed");
        assertThat(JSON.readTree(again.readText()).get("type").asText()).isEqualTo("your_id"); // a fresh session
        again.sendFrame(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8}, true); // which ends at once
        again.awaitClose(Duration.ofSeconds(5));
        again.close();
        alice.ws().close();
    }

    @Test
    void anOwnerDyingWhileAnotherNodeCarriesItsSessionClosesThatConnection1001AndDepartsOnce() throws Exception {
        int doomed = startChildNode();
        WsRecorder bob = admittedAt(port(0), "/ws");
        Resumable alice = pairedAlice(doomed, bob);
        proxy.last().cut();
        assertThat(childLine("detached=", Duration.ofSeconds(5))).isEqualTo("detached=1");
        JsonNode[] answer = new JsonNode[1];
        RawWebSocket tunnelled = alice.resumeAt(port(1), 1, answer);
        assertThat(answer[0].get("type").asText()).isEqualTo("resumed");
        assertThat(childLine("detached=", Duration.ofSeconds(5))).isEqualTo("detached=0");
        tunnelled.sendText("{\"type\":\"offer\",\"sdp\":\"through the tunnel\"}");
        assertThat(bob.nextJson().get("sdp").asText()).isEqualTo("through the tunnel");
        RedisHub carrier = (RedisHub) survivors.nodes().get(1).hub();
        assertThat(carrier.tunnels()).isEqualTo(1);

        long killedAt = System.nanoTime();
        kill();
        assertThat(tunnelled.awaitClose(BOUND.plusSeconds(5))).isEqualTo(1001);
        assertThat(bob.await(Message.PeerDisconnected.class).peerId()).isEqualTo(alice.id());
        bob.assertNothingBeforePong(); // once
        await("no tunnel left").atMost(Duration.ofSeconds(5)).until(() -> carrier.tunnels() == 0);
        Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
        assertThat(took).as("after %d ms", took.toMillis()).isLessThan(BOUND.plusSeconds(2));
        tunnelled.close();
        alice.ws().close();
    }

    @Test
    void aClientsNodeDyingWhileItCarriesASessionDetachesItOnItsOwnerForAResumeElsewhere() throws Exception {
        int doomed = startChildNode();
        WsRecorder bob = admittedAt(port(1), "/ws");
        Resumable alice = pairedAlice(port(0), bob); // owned by survivor 0
        proxy.last().cut();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> survivors.nodes().get(0).detachedSessions() == 1);
        JsonNode[] answer = new JsonNode[1];
        RawWebSocket viaDoomed = alice.resumeAt(doomed, 1, answer);
        assertThat(answer[0].get("type").asText()).isEqualTo("resumed");
        String token = answer[0].get("resume_token").asText();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> survivors.nodes().get(0).detachedSessions() == 0);

        kill();
        await("the owner sees the client's node die")
                .atMost(BOUND.plusSeconds(2))
                .until(() -> survivors.nodes().get(0).detachedSessions() == 1);
        bob.sendText("{\"type\":\"offer\",\"sdp\":\"while away\"}");
        bob.assertNothingBeforePong();
        Resumable again = new Resumable(viaDoomed, alice.id(), token);
        RawWebSocket back = again.resumeAt(port(1), 1, answer);
        assertThat(answer[0].get("type").asText()).isEqualTo("resumed");
        assertThat(answer[0].get("replayed").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(back.readText()).get("sdp").asText()).isEqualTo("while away");
        back.sendFrame(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8}, true);
        back.awaitClose(Duration.ofSeconds(5));
        assertThat(bob.next(Message.PeerDisconnected.class).peerId()).isEqualTo(alice.id());
        back.close();
        viaDoomed.close();
        alice.ws().close();
    }
}
