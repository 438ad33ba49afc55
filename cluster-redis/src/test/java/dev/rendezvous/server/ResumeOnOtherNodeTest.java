package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.metrics.ServerMetrics;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.TcpProxy;
import dev.rendezvous.testing.WsRecorder;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resume (v1.1) on the other node of a two-node cluster on a real Redis (this module's {@code
 * TwoNodesOnRedis}): the session stays on the node that admitted it and the node the client comes back
 * to carries it there (docs/cluster.md). Every client is placed explicitly; drops are cuts of a TCP proxy
 * (no close frame). In this package to share the contract suite's {@link ResumingClient}.
 */
class ResumeOnOtherNodeTest {
    static final int FRAMES = 10_000;
    static final int WINDOW = 100;

    /** One metrics registry per node, in node order. */
    private final List<ServerMetrics> metrics = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final ServerExtension cluster = ServerExtension.create(b -> {
        ServerMetrics m = new ServerMetrics(false);
        metrics.add(m);
        b.observer(m).resumeGrace(Duration.ofSeconds(10));
    });

    private final List<TcpProxy> proxies = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeProxies() throws IOException {
        for (TcpProxy p : proxies) {
            p.close();
        }
    }

    private TcpProxy proxyTo(int node) throws IOException {
        TcpProxy p = TcpProxy.to(cluster.nodes().get(node).port());
        proxies.add(p);
        return p;
    }

    private URI direct(int node, String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + cluster.nodes().get(node).port() + pathAndQuery);
    }

    private WsRecorder admittedAt(int node, String pathAndQuery) {
        WsRecorder c = cluster.track(WsRecorder.connect(direct(node, pathAndQuery)));
        c.rememberId(c.next(Message.YourId.class).id());
        return c;
    }

    private int detached() {
        return cluster.nodes().stream()
                .mapToInt(SignalingServer::detachedSessions)
                .sum();
    }

    private void awaitDetached(int n) {
        await("detached sessions")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(2))
                .until(() -> detached() == n);
    }

    private String scrape(int node) {
        return metrics.get(node).scrape();
    }

    @Test
    void tenThousandFramesEachWayWithDropsAndResumesOnTheOtherNodeArriveOnceInOrder() throws IOException {
        TcpProxy[] aliceVia = {proxyTo(0), proxyTo(1)};
        TcpProxy[] bobVia = {proxyTo(0), proxyTo(1)};
        int[] aliceOn = {0};
        int[] bobOn = {1};
        ResumingClient alice = ResumingClient.admit(aliceVia[0].uri("/ws?resumable=1"));
        ResumingClient bob = ResumingClient.admit(bobVia[1].uri("/ws?resumable=1"));
        bob.pairWith(alice);
        int aliceGot = 0;
        int bobGot = 0;
        int resumes = 0;
        for (int batch = 0; batch < FRAMES / WINDOW; batch++) {
            ResumingClient.exchangeNumbered(bob, alice, batch * WINDOW, WINDOW);
            if (batch % 10 == 3) { // a drop with frames in flight both ways; the resume goes to the other node
                boolean aliceDrops = batch % 20 == 3;
                ResumingClient dropped = aliceDrops ? alice : bob;
                TcpProxy[] via = aliceDrops ? aliceVia : bobVia;
                int[] on = aliceDrops ? aliceOn : bobOn;
                via[on[0]].last().cut();
                awaitDetached(1);
                on[0] = 1 - on[0];
                JsonNode resumed = dropped.resume(via[on[0]].uri("/ws?resume=1"));
                assertThat(resumed.get("type").asText())
                        .as("resume after batch %d on node %d", batch, on[0])
                        .isEqualTo("resumed");
                resumes++;
            }
            aliceGot = alice.readInOrderSkippingPings("offer", aliceGot, (batch + 1) * WINDOW);
            bobGot = bob.readInOrderSkippingPings("answer", bobGot, (batch + 1) * WINDOW);
        }
        assertThat(aliceGot).isEqualTo(FRAMES);
        assertThat(bobGot).isEqualTo(FRAMES);
        assertThat(resumes).isEqualTo(10);
        long ok = metrics.stream()
                .mapToLong(m -> (long) m.registry()
                        .get("rendezvous.resumes")
                        .tag("outcome", "ok")
                        .counter()
                        .count())
                .sum();
        assertThat(ok).isEqualTo(resumes);
        alice.closeCleanly();
        assertThat(bob.next().get("type").asText()).isEqualTo("peer_disconnected");
        bob.closeCleanly();
    }

    @Test
    void negotiationAndANewPairingCompleteAcrossAResumeOnTheOtherNodeAndNobodyNotices() throws IOException {
        TcpProxy toNode0 = proxyTo(0);
        ResumingClient alice = ResumingClient.admit(toNode0.uri("/ws?resumable=1"));
        WsRecorder bob = admittedAt(1, "/ws");
        WsRecorder carol = admittedAt(0, "/ws");
        alice.send("{\"type\":\"pair_request\",\"target_id\":\"" + bob.id() + "\"}");
        assertThat(alice.next().get("type").asText()).isEqualTo("paired");
        assertThat(bob.next(Message.Paired.class).peerId()).isEqualTo(alice.id);

        // mid-offer: the offer arrives, the candidates after it are lost with the connection
        alice.send("{\"type\":\"offer\",\"sdp\":\"v=0 offer\"}");
        assertThat(bob.nextJson().get("sdp").asText()).isEqualTo("v=0 offer");
        toNode0.last().cut();
        awaitDetached(1);
        alice.sendLost("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"a1\"}}");
        alice.sendLost("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"a2\"}}");
        // Bob answers while Alice is away; he hears of nothing
        bob.sendText("{\"type\":\"answer\",\"sdp\":\"v=0 answer\"}");
        bob.sendText("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"b1\"}}");
        bob.assertNothingBeforePong();

        TcpProxy toNode1 = proxyTo(1);
        JsonNode resumed = alice.resume(toNode1.uri("/ws?resume=1"));
        assertThat(resumed.get("type").asText()).isEqualTo("resumed");
        assertThat(resumed.get("id").asText()).isEqualTo(alice.id);
        assertThat(resumed.get("received").asLong()).isEqualTo(2); // the pair_request and the offer
        assertThat(resumed.get("replayed").asInt()).isEqualTo(2);
        assertThat(alice.next().get("sdp").asText()).isEqualTo("v=0 answer");
        assertThat(alice.next().at("/candidate/candidate").asText()).isEqualTo("b1");
        assertThat(bob.nextJson().at("/candidate/candidate").asText()).isEqualTo("a1");
        assertThat(bob.nextJson().at("/candidate/candidate").asText()).isEqualTo("a2");
        bob.assertNothingBeforePong();
        assertThat(detached()).isZero();
        assertThat(scrape(1))
                .contains("rendezvous_resumes_total{outcome=\"ok\"} 1.0")
                .contains("rendezvous_resume_frames_replayed_total 2.0");
        assertThat(scrape(0)).contains("rendezvous_sessions_detached 0.0");

        // the session still lives on node 0: unpair and a new pairing with Carol go through the tunnel
        alice.send("{\"type\":\"unpair\"}");
        assertThat(bob.next(Message.PeerDisconnected.class).peerId()).isEqualTo(alice.id);
        alice.send("{\"type\":\"pair_request\",\"target_id\":\"" + carol.id() + "\"}");
        JsonNode paired = alice.next();
        assertThat(paired.get("type").asText()).isEqualTo("paired");
        assertThat(paired.get("initiator").asBoolean()).isTrue();
        assertThat(carol.next(Message.Paired.class).peerId()).isEqualTo(alice.id);
        alice.send("{\"type\":\"offer\",\"sdp\":\"to carol\"}");
        assertThat(carol.nextJson().get("from").asText()).isEqualTo(alice.id);
        alice.closeCleanlySeenBy(carol);
    }

    @Test
    void aSecondDropAfterATunnelledResumeDetachesAgainAndResumesOnTheOwner() throws IOException {
        TcpProxy toNode0 = proxyTo(0);
        TcpProxy toNode1 = proxyTo(1);
        WsRecorder bob = admittedAt(1, "/ws");
        ResumingClient alice = ResumingClient.pairedWith(bob, toNode0.uri("/ws?resumable=1"));
        toNode0.last().cut();
        awaitDetached(1);
        assertThat(alice.resume(toNode1.uri("/ws?resume=1")).get("type").asText())
                .isEqualTo("resumed");
        toNode1.last().cut(); // the tunnel's client end is lost without a close frame: the owner detaches
        awaitDetached(1);
        assertThat(cluster.nodes().get(0).detachedSessions()).isEqualTo(1);
        bob.sendText("{\"type\":\"offer\",\"sdp\":\"while away\"}");
        bob.assertNothingBeforePong();
        JsonNode resumed = alice.resume(direct(0, "/ws?resume=1"));
        assertThat(resumed.get("type").asText()).isEqualTo("resumed");
        assertThat(resumed.get("replayed").asInt()).isEqualTo(1);
        assertThat(alice.next().get("sdp").asText()).isEqualTo("while away");
        alice.closeCleanlySeenBy(bob);
    }

    @Test
    void aResumeElsewhereClosesTheTunnelledConnectionStillOpenWith4009() throws IOException {
        TcpProxy toNode0 = proxyTo(0);
        ResumingClient alice = ResumingClient.admit(toNode0.uri("/ws?resumable=1"));
        toNode0.last().cut();
        awaitDetached(1);
        assertThat(alice.resume(direct(1, "/ws?resume=1")).get("type").asText()).isEqualTo("resumed");
        // the connection to node 1, which carries the session of node 0, is still open
        RawWebSocket stillOpen = alice.resumeReplacingOpenConnection(direct(0, "/ws?resume=1"));
        alice.send("{\"type\":\"ping\"}");
        assertThat(alice.nextNotPing().get("type").asText()).isEqualTo("pong");
        alice.closeCleanly();
        stillOpen.close();
    }

    @Test
    void twoResumesAtOnceOnTwoNodesResumeOnce() throws Exception {
        TcpProxy toNode0 = proxyTo(0);
        WsRecorder bob = admittedAt(1, "/ws");
        ResumingClient alice = ResumingClient.pairedWith(bob, toNode0.uri("/ws?resumable=1"));
        toNode0.last().cut();
        awaitDetached(1);
        String frame = "{\"type\":\"resume\",\"id\":\"" + alice.id + "\",\"resume_token\":\"" + alice.token
                + "\",\"received\":1}";
        RawWebSocket onNode0 = RawWebSocket.connect(direct(0, "/ws?resume=1"));
        RawWebSocket onNode1 = RawWebSocket.connect(direct(1, "/ws?resume=1"));
        CompletableFuture<String> a0 = CompletableFuture.supplyAsync(() -> sendAndRead(onNode0, frame));
        CompletableFuture<String> a1 = CompletableFuture.supplyAsync(() -> sendAndRead(onNode1, frame));
        List<String> answers = List.of(a0.get(), a1.get());
        long resumed =
                answers.stream().filter(a -> a.contains("\"type\":\"resumed\"")).count();
        long failed = answers.stream().filter(a -> a.contains("resume_failed")).count();
        assertThat(resumed).as("answers %s", answers).isEqualTo(1);
        assertThat(failed).as("answers %s", answers).isEqualTo(1);
        bob.assertNothingBeforePong();
        RawWebSocket winner = answers.get(0).contains("resumed") ? onNode0 : onNode1;
        RawWebSocket loser = winner == onNode0 ? onNode1 : onNode0;
        // the loser goes on as a fresh session: your_id with another id
        JsonNode fresh = ResumingClient.parse(loser.readText());
        assertThat(fresh.get("type").asText()).isEqualTo("your_id");
        assertThat(fresh.get("id").asText()).isNotEqualTo(alice.id);
        winner.sendText("{\"type\":\"offer\",\"sdp\":\"x\"}");
        assertThat(bob.nextJson().get("from").asText()).isEqualTo(alice.id);
        winner.closeCleanly();
        assertThat(bob.next(Message.PeerDisconnected.class).peerId()).isEqualTo(alice.id);
        loser.closeCleanly();
        winner.close();
        loser.close();
    }

    private static String sendAndRead(RawWebSocket ws, String frame) {
        try {
            ws.sendText(frame);
            return ws.readText();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aPeerLeavingWhileDetachedIsReplayedOnTheOtherNodeAndABadTokenThereLeavesTheSessionAsItWas()
            throws IOException {
        TcpProxy toNode0 = proxyTo(0);
        WsRecorder bob = admittedAt(1, "/ws");
        ResumingClient alice = ResumingClient.pairedWith(bob, toNode0.uri("/ws?resumable=1"));
        toNode0.last().cut();
        awaitDetached(1);
        bob.close(1000, "bye");
        bob.awaitClose();
        JsonNode resumed = alice.resume(direct(1, "/ws?resume=1"));
        assertThat(resumed.get("replayed").asInt()).isEqualTo(1);
        assertThat(alice.next().get("type").asText()).isEqualTo("peer_disconnected");

        // a bad token on the other node fails there and leaves the session as it was
        TcpProxy toNode1 = proxyTo(1);
        alice.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> detached() == 1);
        JsonNode wrong = alice.resume(toNode1.uri("/ws?resume=1"), "not-the-token", alice.received);
        assertThat(wrong.get("code").asText()).isEqualTo("resume_failed");
        assertThat(scrape(1)).contains("rendezvous_resumes_failed_total{reason=\"bad_token\"} 1.0");
        assertThat(detached()).isEqualTo(1);
        assertThat(ResumingClient.parse(alice.socket().readText()).get("type").asText())
                .isEqualTo("your_id"); // a fresh session
        alice.closeCleanly(); // which ends at once
        JsonNode right = alice.resume(direct(1, "/ws?resume=1"));
        assertThat(right.get("type").asText()).isEqualTo("resumed");
        alice.closeCleanly();
    }
}
