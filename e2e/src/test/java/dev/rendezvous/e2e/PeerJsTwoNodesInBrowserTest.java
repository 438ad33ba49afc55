package dev.rendezvous.e2e;

import static dev.rendezvous.e2e.PeerJsHarness.awaitLog;
import static dev.rendezvous.e2e.PeerJsHarness.awaitReceived;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Page;
import dev.rendezvous.cluster.redis.RedisHub;
import dev.rendezvous.cluster.redis.RedisHubConfig;
import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.SignalingServer;
import dev.rendezvous.testing.browser.BrowserExtension;
import dev.rendezvous.testing.redis.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The unmodified {@code peerjs} 1.5 client in real Chromium, two pages on two server nodes of one real Redis:
 * they connect by id across the nodes (the offer, answer and candidates go through the backplane), and a
 * page that comes up on the other node after it was called still gets the queued offer.
 */
class PeerJsTwoNodesInBrowserTest {
    private static RedisServer redis;

    @RegisterExtension
    static final BrowserExtension browser = BrowserExtension.chromium();

    private SignalingServer node0;
    private SignalingServer node1;

    @BeforeAll
    static void setUp() throws IOException {
        PeerJsHarness.load();
        assumeTrue(RedisServer.available(), "no redis-server installed");
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.stop();
        }
    }

    @BeforeEach
    void startNodes() throws InterruptedException {
        node0 = node("e2e-n0");
        node1 = node("e2e-n1");
    }

    private static SignalingServer node(String id) throws InterruptedException {
        RedisHubConfig cluster = RedisHubConfig.of(redis.uri()).withNodeId(id).withNodeTtl(Duration.ofMillis(1500));
        return SignalingServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .hubFactory(RedisHub.factory(cluster))
                .build());
    }

    @AfterEach
    void stopNodes() {
        if (node1 != null) {
            node1.close();
        }
        if (node0 != null) {
            node0.close();
        }
    }

    /** A page served by {@code node} (so it may reach it), with peerjs loaded. */
    private Page page(SignalingServer node) {
        return PeerJsHarness.open(browser.newPage(), node.port());
    }

    private static Map<String, Object> options(SignalingServer node, String id) {
        return PeerJsHarness.options(node.port(), id);
    }

    @Test
    void twoPagesOnTwoRedisNodesConnectAndADataConnectionCarriesDataBothWays() {
        Page alice = page(node0);
        Page bob = page(node1);
        assertThat(alice.evaluate("(o) => startPeer(o)", options(node0, "alice")))
                .isEqualTo("alice");
        assertThat(bob.evaluate("(o) => startPeer(o)", options(node1, "bob"))).isEqualTo("bob");
        alice.evaluate("() => connectTo('bob')");
        awaitLog(alice, "conn-open:bob");
        awaitLog(bob, "conn-open:alice");

        alice.evaluate("() => window.conns['bob'].send({ from: 'alice', n: 1 })");
        awaitReceived(bob, 1);
        bob.evaluate("() => window.conns['alice'].send('hello from bob')");
        awaitReceived(alice, 1);
        assertThat(bob.evaluate("() => window.received"))
                .isEqualTo(List.of(Map.of("kind", "object", "value", Map.of("from", "alice", "n", 1))));
        assertThat(alice.evaluate("() => window.received"))
                .isEqualTo(List.of(Map.of("kind", "string", "value", "hello from bob")));

        // The same id is taken on the other node too.
        Page twin = page(node0);
        assertThat(twin.evaluate("(o) => startPeer(o)", options(node0, "bob"))).isEqualTo("error:unavailable-id");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPeerThatComesUpOnTheOtherNodeAfterItWasCalledStillGetsTheQueuedOffer() {
        Page alice = page(node0);
        Page late = page(node1);
        alice.evaluate("(o) => startPeer(o)", options(node0, "alice"));
        alice.evaluate("() => connectTo('late')");
        // The scenario itself: the callee starts 1.5 s after the call, on the other node (within the 5 s expire
        // timeout). This delay is the stimulus under test, not a wait for something to happen.
        Object id = late.evaluate(
                "(o) => new Promise(r => setTimeout(r, 1500)).then(() => startPeer(o))", options(node1, "late"));
        assertThat(id).isEqualTo("late");
        awaitLog(late, "connection:alice");
        awaitLog(alice, "conn-open:late");
        awaitLog(late, "conn-open:alice");
        assertThat((List<Object>) alice.evaluate("() => window.log")).doesNotContain("error:peer-unavailable");
    }
}
