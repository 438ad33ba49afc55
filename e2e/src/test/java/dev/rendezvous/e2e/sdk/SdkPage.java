package dev.rendezvous.e2e.sdk;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import dev.rendezvous.e2e.E2eFixture;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A blank page on the server's origin that imports the SDK from {@code /sdk/rendezvous.js} and drives one
 * {@code Rendezvous} through a few globals (what a web developer's own page would do). The module, the
 * WebSocket and every WebRTC packet are real. Waits poll the page with a deadline; nothing sleeps.
 */
final class SdkPage {
    static final Duration WAIT = Duration.ofSeconds(30);

    /** Installs the SDK and the recording globals: `rv`, `received`, `kinds` (the log), `camera()`. */
    private static final String HARNESS = """
            async (options) => {
              const sdk = await import('/sdk/rendezvous.js');
              window.sdk = sdk;
              window.received = [];
              window.kinds = [];
              window.logger = { add: (scope, kind, detail, level) => window.kinds.push(`${scope} ${kind}`) };
              const rv = new sdk.Rendezvous({ ...options, loopback: true, logger: window.logger });
              window.rv = rv;
              rv.addEventListener('connection', ({ detail: c }) => {
                c.addEventListener('data', (e) => window.received.push(`${c.peerId}: ${e.detail}`));
              });
              window.camera = async () => {
                const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
                rv.addStream(stream);
                window.localStream = stream;
                return stream.getTracks().length;
              };
              window.inbound = async (peerId) => {
                const stats = await rv.connection(peerId)?.mediaStats();
                return {
                  framesDecoded: stats?.inbound.video?.framesDecoded ?? 0,
                  audioPackets: stats?.inbound.audio?.packets ?? 0,
                  width: stats?.inbound.video?.width ?? 0,
                };
              };
              return await new Promise((resolve, reject) => {
                rv.addEventListener('open', (e) => resolve(e.detail.id), { once: true });
                rv.addEventListener('close', (e) => reject(new Error(`closed ${e.detail.code}`)), { once: true });
              });
            }
            """;

    private final Page page;
    private final String id;
    /** Console errors and uncaught exceptions since the SDK was loaded (filled by Playwright's callbacks). */
    private final List<String> consoleErrors;

    private SdkPage(Page page, String id, List<String> consoleErrors) {
        this.page = page;
        this.id = id;
        this.consoleErrors = consoleErrors;
    }

    /**
     * Opens the blank page in a fresh context on the fixture's server and starts a Rendezvous with these
     * options (`room`, `id`, `username`...).
     */
    static SdkPage open(E2eFixture e2e, Map<String, Object> options) {
        return open(e2e, options, page -> {});
    }

    /** The same, with {@code setup} run on the page before it loads (e.g. routing its WebSocket). */
    static SdkPage open(E2eFixture e2e, Map<String, Object> options, Consumer<Page> setup) {
        URI server = e2e.server().httpUri("/");
        Page page = e2e.newPage();
        setup.accept(page);
        // Any document the server serves gives the page the server's origin (a document Playwright made
        // up would count as a public address, and Chromium's Local Network Access check would then block
        // the WebSocket to 127.0.0.1); its content is then replaced by an empty page.
        // The server has no favicon: answer Chromium's request for one here rather than log a 404 error.
        page.route("**/favicon.ico", route -> route.fulfill(new Route.FulfillOptions().setStatus(204)));
        page.navigate(server.resolve("/sdk/package.json").toString());
        page.setContent("<!doctype html><link rel=\"icon\" href=\"data:,\"><title>blank</title><body></body>");
        List<String> errors = new ArrayList<>();
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) errors.add(message.text());
        });
        page.onPageError(error -> errors.add("uncaught: " + error));
        String id = (String) page.evaluate(HARNESS, options);
        return new SdkPage(page, id, errors);
    }

    /** Playwright objects belong to the test thread: every poll runs on it. */
    static ConditionFactory await() {
        return Awaitility.await().pollInSameThread().atMost(WAIT);
    }

    String id() {
        return id;
    }

    Page page() {
        return page;
    }

    Object eval(String script, Object arg) {
        return page.evaluate(script, arg);
    }

    Object eval(String script) {
        return page.evaluate(script);
    }

    /** Pairs with {@code peerId} (lobby) and waits for the chat channel to open. */
    void connect(String peerId) {
        page.evaluate("id => rv.connect(id).then(() => true)", peerId);
        awaitOpen(peerId);
    }

    void awaitOpen(String peerId) {
        awaitTrue("id => rv.connection(id)?.open === true", peerId);
    }

    String send(String peerId, String text) {
        return (String) page.evaluate("([id, text]) => rv.connection(id).send(text).outcome", List.of(peerId, text));
    }

    void awaitReceived(String line) {
        awaitTrue("line => received.includes(line)", line);
    }

    int startCamera() {
        return ((Number) page.evaluate("() => camera()")).intValue();
    }

    /** What this page receives from {@code peerId}: framesDecoded, audioPackets, width. */
    @SuppressWarnings("unchecked")
    Map<String, Object> inbound(String peerId) {
        return (Map<String, Object>) page.evaluate("id => inbound(id)", peerId);
    }

    long framesDecodedFrom(String peerId) {
        return ((Number) inbound(peerId).get("framesDecoded")).longValue();
    }

    /** Waits until video from {@code peerId} decodes and keeps decoding, and its audio packets arrive. */
    void awaitMediaFrom(String peerId) {
        await().until(() -> framesDecodedFrom(peerId) > 0);
        long first = framesDecodedFrom(peerId);
        await().until(() -> framesDecodedFrom(peerId) > first + 10);
        await().until(() -> ((Number) inbound(peerId).get("audioPackets")).longValue() > 10);
    }

    @SuppressWarnings("unchecked")
    List<String> logKinds() {
        return (List<String>) page.evaluate("() => [...kinds]");
    }

    void awaitTrue(String predicate, Object arg) {
        try {
            await().until(() -> Boolean.TRUE.equals(page.evaluate(predicate, arg)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "page " + id + ": not true within " + WAIT + ": " + predicate + " (" + arg + ")\n" + diagnostics(),
                    e);
        }
    }

    /** The page's connections and the end of its SDK log, for a failure message. */
    String diagnostics() {
        return (String) page.evaluate(
                "() => JSON.stringify({ connections: [...rv.connections.values()].map((c) => c.snapshot()),"
                        + " log: kinds.slice(-60) }, null, 1)");
    }

    List<String> consoleErrors() {
        return List.copyOf(consoleErrors);
    }

    void close() {
        page.close();
    }
}
