package dev.rendezvous.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.rendezvous.client.rtc.RtcRuntime;
import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.TcpProxy;
import dev.rendezvous.testing.browser.BrowserExtension;
import dev.rendezvous.testing.coturn.Coturn;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a browser test class stands on, declared as one static field: one Chromium for the class
 * ({@link BrowserExtension}: the contexts a test opens are closed as soon as it returns), a fresh server on
 * 127.0.0.1 port 0 for each test ({@link ServerExtension}, whose leak check runs after the pages are gone)
 * and, where the class asks for them, one webrtc-java runtime for its Java peers (libwebrtc starts once per
 * class) and one coturn on 127.0.0.1. Set up in that order, torn down in reverse; a skipped browser (no
 * Chromium, no loopback-only network namespace) skips the rest.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(15)).withJavaPeers();
 *
 * @Test void chats() throws Exception {
 *     try (JavaPeer java = e2e.javaPeer("java")) {
 *         ChatPage page = e2e.openChat("");
 *     }
 * }
 * }</pre>
 *
 * <p>Threading: JUnit's thread only, as for the extensions it holds.
 */
public final class E2eFixture
        implements BeforeAllCallback,
                BeforeEachCallback,
                AfterTestExecutionCallback,
                AfterEachCallback,
                AfterAllCallback {

    /** Whether the class runs a coturn, and whether its server hands that coturn to every client in {@code your_id}. */
    private enum Turn {
        NONE,
        RUNNING,
        ANNOUNCED
    }

    private final BrowserExtension browser;
    private final Consumer<ServerConfig.Builder> serverConfig;
    private final boolean javaPeers;
    private final Turn turn;
    private RtcRuntime rtc;
    private Coturn coturn;
    private ServerExtension server;

    private E2eFixture(
            BrowserExtension browser, Consumer<ServerConfig.Builder> serverConfig, boolean javaPeers, Turn turn) {
        this.browser = browser;
        this.serverConfig = serverConfig;
        this.javaPeers = javaPeers;
        this.turn = turn;
    }

    /** Chromium with the default assertion timeout, and a server with the default configuration. */
    public static E2eFixture chromium() {
        return on(BrowserExtension.chromium());
    }

    /** The same, with Playwright's assertions waiting up to {@code assertionTimeout}. */
    public static E2eFixture chromium(Duration assertionTimeout) {
        return on(BrowserExtension.chromium(assertionTimeout));
    }

    /** This browser (e.g. one launched {@link BrowserExtension#without without} a flag) and a default server. */
    public static E2eFixture on(BrowserExtension browser) {
        return new E2eFixture(browser, config -> {}, false, Turn.NONE);
    }

    /** Each test's server configured by {@code config} (host and port stay 127.0.0.1:0). */
    public E2eFixture server(Consumer<ServerConfig.Builder> config) {
        return new E2eFixture(browser, config, javaPeers, turn);
    }

    /** One webrtc-java runtime for the class's Java peers ({@link #rtc()}, {@link #javaPeer}). */
    public E2eFixture withJavaPeers() {
        return new E2eFixture(browser, serverConfig, true, turn);
    }

    /** One coturn on 127.0.0.1 for the class ({@link #turn()}); the class is skipped where coturn is not installed. */
    public E2eFixture withTurn() {
        return new E2eFixture(browser, serverConfig, javaPeers, Turn.RUNNING);
    }

    /**
     * The same coturn, and the server announces it: every client's {@code your_id} carries its relay with a
     * time-limited credential minted for that client's id.
     */
    public E2eFixture withTurnAnnounced() {
        return new E2eFixture(browser, serverConfig, javaPeers, Turn.ANNOUNCED);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        browser.beforeAll(context);
        if (turn != Turn.NONE) {
            assumeTrue(Coturn.isInstalled(), "coturn (turnserver) is not installed: apt-get install coturn");
            coturn = Coturn.start();
        }
        if (javaPeers) rtc = RtcRuntime.create();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server = ServerExtension.create(config -> {
            serverConfig.accept(config);
            if (turn == Turn.ANNOUNCED)
                config.iceServers(id -> coturn.iceConfig().serversFor(id));
        });
        server.beforeEach(context);
    }

    /** The pages go before the server's leak check (which runs in {@link #afterEach}). */
    @Override
    public void afterTestExecution(ExtensionContext context) {
        browser.afterTestExecution(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (server == null) return; // its before-each never ran
        try {
            server.afterEach(context);
        } finally {
            server = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (rtc != null) rtc.close();
            if (coturn != null) coturn.close();
        } finally {
            rtc = null;
            coturn = null;
            browser.afterAll(context);
        }
    }

    /** This test's server. */
    public ServerExtension server() {
        if (server == null) throw new IllegalStateException("no test is running: the server lives for one test");
        return server;
    }

    public RtcRuntime rtc() {
        if (rtc == null) throw new IllegalStateException("no runtime: declare the fixture withJavaPeers()");
        return rtc;
    }

    public Coturn turn() {
        if (coturn == null) throw new IllegalStateException("no coturn: declare the fixture withTurn()");
        return coturn;
    }

    /** A fresh desktop context, closed after the test. */
    public BrowserContext newContext() {
        return browser.newContext();
    }

    /** A fresh context with this viewport (e.g. 390×844 for a phone), closed after the test. */
    public BrowserContext newContext(int width, int height) {
        return browser.newContext(width, height);
    }

    /** A page in a fresh desktop context. */
    public Page newPage() {
        return browser.newPage();
    }

    /**
     * A page in a fresh desktop context, at {@code pathAndQuery} of this test's server: any document the
     * server serves gives the page its origin, from which it may reach 127.0.0.1 (a page elsewhere may not).
     */
    public Page openPage(String pathAndQuery) {
        return navigate(newPage(), pathAndQuery);
    }

    /** The same, in a context with this viewport. */
    public Page openPage(int width, int height, String pathAndQuery) {
        return navigate(newContext(width, height).newPage(), pathAndQuery);
    }

    private Page navigate(Page page, String pathAndQuery) {
        page.navigate(server().httpUri(pathAndQuery).toString());
        return page;
    }

    /** The chat page in a fresh context, in loopback mode, with extra query parameters (e.g. {@code room=x}). */
    ChatPage openChat(String extraQuery) {
        return openChat(newContext(), extraQuery);
    }

    /** The same in {@code context} (one a test prepared, e.g. with an init script or permissions). */
    ChatPage openChat(BrowserContext context, String extraQuery) {
        return ChatPage.open(context, server().httpUri("/"), extraQuery);
    }

    /** A test of a lobby pair whose alice reaches the server through {@code proxy} ({@link #withPairThroughProxy}). */
    @FunctionalInterface
    interface PairThroughProxyTest {
        void run(TcpProxy proxy, ChatPage.Pair pair) throws Exception;
    }

    /**
     * Runs {@code test} on two chat pages paired in the lobby as {@link #connectedPair}, a first line from
     * alice already through: alice's page served through a fresh {@link TcpProxy} to this test's server (and
     * so her signaling WebSocket going through it), bob's straight from the server. Afterwards alice leaves
     * with a close frame (page unload) on her live connection and the server lets her go, before the proxy
     * goes: a connection the proxy reset instead would leave her session detached for the grace.
     */
    void withPairThroughProxy(PairThroughProxyTest test) throws Exception {
        try (TcpProxy proxy = TcpProxy.to(server().port())) {
            ChatPage alice = ChatPage.open(newContext(), URI.create("http://127.0.0.1:" + proxy.port() + "/"), "");
            ChatPage.Pair pair = ChatPage.connect(alice, openChat(""));
            pair.aliceSays("before the fault");
            test.run(proxy, pair);
            alice.close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server().hubState().sessions() == 1);
        }
    }

    /** Two chat pages (with {@code extraQuery}) paired in the lobby, alice offering, both connected. */
    ChatPage.Pair connectedPair(String extraQuery) {
        return ChatPage.connect(openChat(extraQuery), openChat(extraQuery));
    }

    /** A Java SDK peer in the lobby, in loopback ICE mode. */
    JavaPeer javaPeer(String name) throws Exception {
        return JavaPeer.lobby(server().lobbyUri(), rtc(), name);
    }

    /** A Java SDK peer in {@code room}. */
    JavaPeer javaPeerInRoom(String room, String name) throws Exception {
        return JavaPeer.room(server().lobbyUri(), rtc(), room, name);
    }

    /** A lobby Java peer that may only relay, through the ICE servers the server announces in {@code your_id}. */
    JavaPeer relayOnlyJavaPeer(String name) throws Exception {
        return JavaPeer.relayOnly(server().lobbyUri(), rtc(), name);
    }
}
