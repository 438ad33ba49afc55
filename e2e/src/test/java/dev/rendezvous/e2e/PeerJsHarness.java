package dev.rendezvous.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The unmodified {@code peerjs} 1.5 npm client (pinned in {@code e2e/peerjs-npm}, installed by the e2e
 * build's {@code npm ci}) and its test harness ({@code peerjs/harness.js}: {@code startPeer},
 * {@code connectTo}, and what each page saw in {@code window.log} and {@code window.received}), loaded into
 * pages served by a server on 127.0.0.1, and the waits on what those pages saw, with a deadline.
 */
final class PeerJsHarness {
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path BUNDLE = Path.of("peerjs-npm/node_modules/peerjs/dist/peerjs.min.js");

    private static String bundle;
    private static String harness;

    private PeerJsHarness() {}

    /** Reads the client and the harness once (from a {@code @BeforeAll}); skips the class where npm ci did not run. */
    static void load() throws IOException {
        assumeTrue(
                Files.isRegularFile(BUNDLE),
                "the peerjs npm client is not installed at e2e/" + BUNDLE + " (the e2e build runs npm ci there)");
        bundle = Files.readString(BUNDLE);
        try (InputStream in = PeerJsHarness.class.getResourceAsStream("/peerjs/harness.js")) {
            harness = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Loads peerjs and the harness into {@code page}, first navigated to a file of the server on {@code port}
     * (so that the page may reach 127.0.0.1).
     */
    static Page open(Page page, int port) {
        page.navigate("http://127.0.0.1:" + port + "/css/rendezvous.css");
        page.addScriptTag(new Page.AddScriptTagOptions().setContent(bundle));
        page.addScriptTag(new Page.AddScriptTagOptions().setContent(harness));
        return page;
    }

    /** The options of {@code startPeer}: peerjs-server's defaults (path {@code /}, key {@code peerjs}); id "" lets the server pick one. */
    static Map<String, Object> options(int port, String id) {
        return Map.of("id", id, "port", port, "path", "/", "key", "peerjs");
    }

    /** Starts the page's Peer; returns the id it opened with, or {@code error:<type>}. */
    static String start(Page page, int port, String id) {
        return (String) page.evaluate("(o) => startPeer(o)", options(port, id));
    }

    static void awaitLog(Page page, String entry) {
        try {
            page.waitForFunction(
                    "(e) => window.log.includes(e)",
                    entry,
                    new Page.WaitForFunctionOptions().setTimeout(WAIT.toMillis()));
        } catch (RuntimeException e) {
            throw new AssertionError("page never logged " + entry + "; log: " + page.evaluate("() => window.log"), e);
        }
    }

    /** Waits until the page received at least {@code count} messages. */
    static void awaitReceived(Page page, int count) {
        awaitTrue(page, "(n) => window.received.length >= n", count);
    }

    /** Waits until {@code predicate}, run in the page with {@code arg}, is true. */
    static void awaitTrue(Page page, String predicate, Object arg) {
        page.waitForFunction(predicate, arg, new Page.WaitForFunctionOptions().setTimeout(WAIT.toMillis()));
    }
}
