package dev.rendezvous.e2e;

import static dev.rendezvous.e2e.PeerJsHarness.awaitLog;
import static dev.rendezvous.e2e.PeerJsHarness.awaitReceived;
import static dev.rendezvous.e2e.PeerJsHarness.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The unmodified {@code peerjs} 1.5 npm client (pinned in {@code e2e/peerjs-npm}, installed by
 * the e2e build's {@code npm ci}) in real Chromium against the server's PeerJS endpoint, with peerjs-server's
 * defaults (path {@code /}, key {@code peerjs}, expire timeout 5 s). Each page loads the library's own
 * bundle and a small harness ({@code peerjs/harness.js}); everything stays on loopback.
 */
class PeerJsInBrowserTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium();

    @BeforeAll
    static void loadPeerJs() throws IOException {
        PeerJsHarness.load();
    }

    /** A page of its own (own context, closed after the test), served from the server, with peerjs loaded. */
    private static Page page() {
        return PeerJsHarness.open(e2e.newPage(), e2e.server().port());
    }

    /** A page whose Peer opened under {@code id}. */
    private static Page peer(String id) {
        Page page = page();
        assertThat(start(page, id)).isEqualTo(id);
        return page;
    }

    private static String start(Page page, String id) {
        return PeerJsHarness.start(page, e2e.server().port(), id == null ? "" : id);
    }

    private static final String SEND_ALL = """
            (other) => {
              const c = window.conns[other];
              c.send('hello from ' + window.peer.id);
              c.send({ n: 1, list: [true, null, 'x'], nested: { ok: 'yes' } });
              c.send(new Uint8Array([0, 1, 2, 254, 255]).buffer);
            }
            """;

    @Test
    void twoPagesConnectByIdAndADataConnectionCarriesStringJsonAndArrayBufferBothWays() {
        Page alice = peer("alice");
        Page bob = peer("bob");
        alice.evaluate("() => connectTo('bob')");
        awaitLog(alice, "conn-open:bob");
        awaitLog(bob, "conn-open:alice");

        alice.evaluate(SEND_ALL, "bob");
        awaitReceived(bob, 3);
        bob.evaluate(SEND_ALL, "alice");
        awaitReceived(alice, 3);

        assertThat(alice.evaluate("() => window.received")).isEqualTo(expected("bob"));
        assertThat(bob.evaluate("() => window.received")).isEqualTo(expected("alice"));
    }

    private static List<Object> expected(String from) {
        return List.of(
                Map.of("kind", "string", "value", "hello from " + from),
                Map.of(
                        "kind",
                        "object",
                        "value",
                        Map.of(
                                "n",
                                1,
                                "list",
                                java.util.Arrays.asList(true, null, "x"),
                                "nested",
                                Map.of("ok", "yes"))),
                Map.of("kind", "ArrayBuffer", "bytes", List.of(0, 1, 2, 254, 255)));
    }

    @Test
    void aPeerWithoutAnIdGetsOneFromTheServer() {
        Page page = page();
        assertThat(start(page, null)).matches("[0-9a-f]{8}-[0-9a-f-]{27}");
    }

    @Test
    void anIdInUseIsUnavailable() {
        Page first = page();
        Page second = page();
        assertThat(start(first, "taken")).isEqualTo("taken");
        assertThat(start(second, "taken")).isEqualTo("error:unavailable-id");
    }

    @Test
    void anUnknownIdIsPeerUnavailableAfterTheExpireTimeout() {
        Page alice = peer("alice");
        long t0 = System.nanoTime();
        alice.evaluate("() => connectTo('nobody')");
        awaitLog(alice, "error:peer-unavailable");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(4_500));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPeerThatComesUpAfterItWasCalledStillGetsTheQueuedOffer() {
        Page alice = peer("alice");
        Page late = page();
        alice.evaluate("() => connectTo('late')");
        // The scenario itself: the callee's page starts 1.5 s after the call (within the 5 s expire timeout).
        // This delay is the stimulus under test, not a wait for something to happen.
        Object id = late.evaluate(
                "(o) => new Promise(r => setTimeout(r, 1500)).then(() => startPeer(o))",
                PeerJsHarness.options(e2e.server().port(), "late"));
        assertThat(id).isEqualTo("late");
        awaitLog(late, "connection:alice");
        awaitLog(alice, "conn-open:late");
        awaitLog(late, "conn-open:alice");
        assertThat((List<Object>) alice.evaluate("() => window.log")).doesNotContain("error:peer-unavailable");
    }

    @Test
    void destroyClosesTheOtherSide() {
        Page alice = peer("alice");
        Page bob = peer("bob");
        alice.evaluate("() => connectTo('bob')");
        awaitLog(bob, "conn-open:alice");
        alice.evaluate("() => window.peer.destroy()");
        awaitLog(bob, "conn-close:alice");
    }

    @Test
    void reconnectGetsTheSameIdBack() {
        Page alice = peer("alice");
        Page bob = peer("bob");
        alice.evaluate("() => window.peer.disconnect()");
        awaitLog(alice, "disconnected");
        alice.evaluate("() => window.peer.reconnect()");
        awaitTrue(alice, "() => window.log.filter(e => e === 'open:alice').length === 2", null);
        assertThat(alice.evaluate("() => window.peer.id")).isEqualTo("alice");
        bob.evaluate("() => connectTo('alice')"); // reachable under that id again
        awaitLog(bob, "conn-open:alice");
    }

    @Test
    void aMediaCallWithTheFakeCameraDeliversDecodedFrames() {
        Page caller = peer("caller");
        Page callee = peer("callee");
        caller.evaluate("() => callWithCamera('callee')");
        awaitLog(callee, "call:caller");
        awaitLog(callee, "stream:caller");
        awaitTrue(callee, "() => window.frames >= 10", null);
        assertThat((List<?>) callee.evaluate("() => window.videoSize"))
                .allSatisfy(size -> assertThat(((Number) size).intValue()).isPositive());
    }
}
