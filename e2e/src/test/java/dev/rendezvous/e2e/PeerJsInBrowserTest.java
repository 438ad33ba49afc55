package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Page;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.browser.BrowserExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final Path BUNDLE = Path.of("peerjs-npm/node_modules/peerjs/dist/peerjs.min.js");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static String bundle;
    private static String harness;

    @RegisterExtension
    static final BrowserExtension browser = BrowserExtension.chromium();

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    @BeforeAll
    static void loadPeerJs() throws IOException {
        assumeTrue(
                Files.isRegularFile(BUNDLE),
                "the peerjs npm client is not installed at e2e/" + BUNDLE + " (the e2e build runs npm ci there)");
        bundle = Files.readString(BUNDLE);
        try (var in = PeerJsInBrowserTest.class.getResourceAsStream("/peerjs/harness.js")) {
            harness = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A page of its own (own context, closed after the test), served from the server so it may reach 127.0.0.1, with peerjs loaded. */
    private Page page() {
        Page page = browser.newPage();
        page.navigate(server.httpUri("/css/rendezvous.css").toString());
        page.addScriptTag(new Page.AddScriptTagOptions().setContent(bundle));
        page.addScriptTag(new Page.AddScriptTagOptions().setContent(harness));
        return page;
    }

    private String start(Page page, String id) {
        return (String) page.evaluate(
                "(o) => startPeer(o)",
                Map.of("id", id == null ? "" : id, "port", server.port(), "path", "/", "key", "peerjs"));
    }

    private static void awaitLog(Page page, String entry) {
        try {
            page.waitForFunction(
                    "(e) => window.log.includes(e)",
                    entry,
                    new Page.WaitForFunctionOptions().setTimeout(WAIT.toMillis()));
        } catch (RuntimeException e) {
            throw new AssertionError("page never logged " + entry + "; log: " + page.evaluate("() => window.log"), e);
        }
    }

    private static void awaitReceived(Page page, int count) {
        page.waitForFunction(
                "(n) => window.received.length >= n",
                count,
                new Page.WaitForFunctionOptions().setTimeout(WAIT.toMillis()));
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
        Page alice = page();
        Page bob = page();
        assertThat(start(alice, "alice")).isEqualTo("alice");
        assertThat(start(bob, "bob")).isEqualTo("bob");
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
        Page alice = page();
        start(alice, "alice");
        long t0 = System.nanoTime();
        alice.evaluate("() => connectTo('nobody')");
        awaitLog(alice, "error:peer-unavailable");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(4_500));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPeerThatComesUpAfterItWasCalledStillGetsTheQueuedOffer() {
        Page alice = page();
        Page late = page();
        start(alice, "alice");
        alice.evaluate("() => connectTo('late')");
        // The scenario itself: the callee's page starts 1.5 s after the call (within the 5 s expire timeout).
        // This delay is the stimulus under test, not a wait for something to happen.
        Object id = late.evaluate(
                "(o) => new Promise(r => setTimeout(r, 1500)).then(() => startPeer(o))",
                Map.of("id", "late", "port", server.port(), "path", "/", "key", "peerjs"));
        assertThat(id).isEqualTo("late");
        awaitLog(late, "connection:alice");
        awaitLog(alice, "conn-open:late");
        awaitLog(late, "conn-open:alice");
        assertThat((List<Object>) alice.evaluate("() => window.log")).doesNotContain("error:peer-unavailable");
    }

    @Test
    void destroyClosesTheOtherSide() {
        Page alice = page();
        Page bob = page();
        start(alice, "alice");
        start(bob, "bob");
        alice.evaluate("() => connectTo('bob')");
        awaitLog(bob, "conn-open:alice");
        alice.evaluate("() => window.peer.destroy()");
        awaitLog(bob, "conn-close:alice");
    }

    @Test
    void reconnectGetsTheSameIdBack() {
        Page alice = page();
        Page bob = page();
        start(alice, "alice");
        start(bob, "bob");
        alice.evaluate("() => window.peer.disconnect()");
        awaitLog(alice, "disconnected");
        alice.evaluate("() => window.peer.reconnect()");
        alice.waitForFunction(
                "() => window.log.filter(e => e === 'open:alice').length === 2",
                null,
                new Page.WaitForFunctionOptions().setTimeout(WAIT.toMillis()));
        assertThat(alice.evaluate("() => window.peer.id")).isEqualTo("alice");
        bob.evaluate("() => connectTo('alice')"); // reachable under that id again
        awaitLog(bob, "conn-open:alice");
    }

    @Test
    void aMediaCallWithTheFakeCameraDeliversDecodedFrames() {
        Page caller = page();
        Page callee = page();
        start(caller, "caller");
        start(callee, "callee");
        caller.evaluate("() => callWithCamera('callee')");
        awaitLog(callee, "call:caller");
        awaitLog(callee, "stream:caller");
        callee.waitForFunction(
                "() => window.frames >= 10", null, new Page.WaitForFunctionOptions().setTimeout(WAIT.toMillis()));
        assertThat((List<?>) callee.evaluate("() => window.videoSize"))
                .allSatisfy(size -> assertThat(((Number) size).intValue()).isPositive());
    }
}
