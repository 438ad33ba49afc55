package dev.rendezvous.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.transport.WebSocketOpcodes;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.TcpProxy;
import dev.rendezvous.testing.WsRecorder;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
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

    @RegisterExtension
    final ServerExtension survivors = ServerExtension.create(b -> b.resumeGrace(Duration.ofSeconds(15)));

    @RegisterExtension
    final ChildNode child = new ChildNode();

    private TcpProxy proxy;

    @AfterEach
    void closeProxy() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Starts a node process printing its detached count; returns its port. */
    private int startChildNode() throws Exception {
        return child.start("doomed-" + ProcessHandle.current().pid(), "print-detached");
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

    /** Bob on survivor 0, and Alice paired with him whose session is detached on a child node. */
    private record Detached(WsRecorder bob, Resumable alice) {}

    /** Alice, owned by a child node and paired with Bob (survivor 0), loses her connection: her session detaches. */
    private Detached aliceDetachedOnAChildNode() throws Exception {
        int doomed = startChildNode();
        WsRecorder bob = admittedAt(port(0), "/ws");
        Resumable alice = pairedAlice(doomed, bob);
        proxy.last().cut();
        assertThat(child.line("detached=", Duration.ofSeconds(5))).isEqualTo("detached=1");
        return new Detached(bob, alice);
    }

    @Test
    void anOwnerDyingWithADetachedSessionDepartsItOnceAndAResumeElsewhereFails() throws Exception {
        Detached detached = aliceDetachedOnAChildNode();
        WsRecorder bob = detached.bob();
        Resumable alice = detached.alice();
        child.kill();

        assertThat(bob.await(Message.PeerDisconnected.class).peerId()).isEqualTo(alice.id());
        bob.assertNothingBeforePong(); // once
        JsonNode[] answer = new JsonNode[1];
        RawWebSocket again = alice.resumeAt(port(1), 1, answer);
        assertThat(answer[0].get("code").asText()).isEqualTo("resume_failed");
        assertThat(JSON.readTree(again.readText()).get("type").asText()).isEqualTo("your_id"); // a fresh session
        again.sendFrame(WebSocketOpcodes.CLOSE, new byte[] {0x03, (byte) 0xE8}, true); // which ends at once
        again.awaitClose(Duration.ofSeconds(5));
        again.close();
        alice.ws().close();
    }

    @Test
    void anOwnerDyingWhileAnotherNodeCarriesItsSessionClosesThatConnection1001AndDepartsOnce() throws Exception {
        Detached detached = aliceDetachedOnAChildNode();
        WsRecorder bob = detached.bob();
        Resumable alice = detached.alice();
        JsonNode[] answer = new JsonNode[1];
        RawWebSocket tunnelled = alice.resumeAt(port(1), 1, answer);
        assertThat(answer[0].get("type").asText()).isEqualTo("resumed");
        assertThat(child.line("detached=", Duration.ofSeconds(5))).isEqualTo("detached=0");
        tunnelled.sendText("{\"type\":\"offer\",\"sdp\":\"through the tunnel\"}");
        assertThat(bob.nextJson().get("sdp").asText()).isEqualTo("through the tunnel");
        RedisHub carrier = (RedisHub) survivors.nodes().get(1).hub();
        assertThat(carrier.tunnels()).isEqualTo(1);

        long killedAt = System.nanoTime();
        child.kill();
        assertThat(tunnelled.awaitClose(ChildNode.DEATH_NOTICED.plusSeconds(5))).isEqualTo(1001);
        assertThat(bob.await(Message.PeerDisconnected.class).peerId()).isEqualTo(alice.id());
        bob.assertNothingBeforePong(); // once
        await("no tunnel left").atMost(Duration.ofSeconds(5)).until(() -> carrier.tunnels() == 0);
        Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
        assertThat(took).as("after %d ms", took.toMillis()).isLessThan(ChildNode.DEATH_NOTICED.plusSeconds(2));
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

        child.kill();
        await("the owner sees the client's node die")
                .atMost(ChildNode.DEATH_NOTICED.plusSeconds(2))
                .until(() -> survivors.nodes().get(0).detachedSessions() == 1);
        bob.sendText("{\"type\":\"offer\",\"sdp\":\"while away\"}");
        bob.assertNothingBeforePong();
        Resumable again = new Resumable(viaDoomed, alice.id(), token);
        RawWebSocket back = again.resumeAt(port(1), 1, answer);
        assertThat(answer[0].get("type").asText()).isEqualTo("resumed");
        assertThat(answer[0].get("replayed").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(back.readText()).get("sdp").asText()).isEqualTo("while away");
        back.sendFrame(WebSocketOpcodes.CLOSE, new byte[] {0x03, (byte) 0xE8}, true);
        back.awaitClose(Duration.ofSeconds(5));
        assertThat(bob.next(Message.PeerDisconnected.class).peerId()).isEqualTo(alice.id());
        back.close();
        viaDoomed.close();
        alice.ws().close();
    }
}
