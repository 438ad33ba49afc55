package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Rendezvous page as a user sees it: what it shows (id, members, messages, dashboard) and what a
 * user does (pair, join, type, export). Every wait is one of Playwright's auto-retrying assertions.
 */
final class ChatPage {

    private final Page page;
    private final List<String> consoleErrors = new ArrayList<>();

    private ChatPage(Page page) {
        this.page = page;
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) consoleErrors.add(message.text());
        });
        page.onPageError(error -> consoleErrors.add("uncaught: " + error));
    }

    /** Opens the page in its own context, in loopback mode, with extra query parameters (e.g. {@code room=x}). */
    static ChatPage open(BrowserContext context, URI server, String extraQuery) {
        ChatPage chat = new ChatPage(context.newPage());
        String query = "loopback=1" + (extraQuery.isEmpty() ? "" : "&" + extraQuery);
        chat.page.navigate(server.resolve("/?" + query).toString());
        return chat;
    }

    /** Opens exactly this address (e.g. {@code /debug.html?loopback=1}, or an invite link) in its own page. */
    static ChatPage openUrl(BrowserContext context, String url) {
        ChatPage chat = new ChatPage(context.newPage());
        chat.page.navigate(url);
        return chat;
    }

    Page page() {
        return page;
    }

    /** Waits until the server admitted the page, and returns the id it shows. */
    String awaitId() {
        Locator id = page.getByTestId("my-id");
        assertThat(id).hasText(Pattern.compile("^[A-Za-z0-9._-]{1,64}$"));
        return id.textContent().trim();
    }

    /** Two admitted pages, paired ({@code alice} offered) and both connected. */
    record Pair(ChatPage alice, String aliceId, ChatPage bob, String bobId) {
        /** Alice sends {@code text}; Bob's page shows it from her, exactly once. */
        void aliceSays(String text) {
            alice.send(text);
            bob.awaitIncoming(aliceId, text);
        }

        /** Bob sends {@code text}; Alice's page shows it from him, exactly once. */
        void bobSays(String text) {
            bob.send(text);
            alice.awaitIncoming(bobId, text);
        }
    }

    /** Waits for both ids, has {@code alice} pair with {@code bob}, and waits until both pages show "connected". */
    static Pair connect(ChatPage alice, ChatPage bob) {
        String aliceId = alice.awaitId();
        String bobId = bob.awaitId();
        alice.pairWith(bobId);
        alice.awaitChatState("connected");
        bob.awaitChatState("connected");
        return new Pair(alice, aliceId, bob, bobId);
    }

    void pairWith(String peerId) {
        page.getByLabel("Peer id").fill(peerId);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pair"))
                .click();
    }

    /** The chat header's state badge: waiting, connecting, connected, alone. */
    void awaitChatState(String state) {
        assertThat(page.getByTestId("chat-state")).hasText(state);
    }

    void send(String text) {
        page.getByLabel("Message").fill(text);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send"))
                .click();
    }

    /** Incoming messages from {@code peerId} whose text is exactly {@code text}. */
    Locator incoming(String peerId, String text) {
        return page.locator("li.message.incoming[data-from=\"" + peerId + "\"] .body")
                .filter(new Locator.FilterOptions().setHasText(exactly(text)));
    }

    /** Every incoming message with exactly this text, whoever sent it. */
    Locator incomingFromAnyone(String text) {
        return page.locator("li.message.incoming .body").filter(new Locator.FilterOptions().setHasText(exactly(text)));
    }

    /** Waits until the message from {@code peerId} is shown, exactly once. */
    void awaitIncoming(String peerId, String text) {
        assertThat(incoming(peerId, text)).hasCount(1);
    }

    Locator outgoing(String text) {
        return page.locator("li.message.outgoing")
                .filter(new Locator.FilterOptions()
                        .setHas(page.locator(".body").filter(new Locator.FilterOptions().setHasText(exactly(text)))));
    }

    Locator systemMessages() {
        return page.locator("li.message.system");
    }

    Locator member(String clientId) {
        return page.locator("#member-list li[data-client-id=\"" + clientId + "\"]");
    }

    Locator members() {
        return page.locator("#member-list li.member:not(.me)");
    }

    void openDashboard() {
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Dashboard"))
                .click();
        assertThat(page.locator("#view-dashboard")).isVisible();
    }

    void openChat() {
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Chat"))
                .click();
        assertThat(page.locator("#view-chat")).isVisible();
    }

    /** The dashboard card of one peer connection (live, not a past one). */
    Locator peerCard(String peerId) {
        return page.locator(".peer-card:not(.past)[data-peer-id=\"" + peerId + "\"]");
    }

    Locator peerState(String peerId, String stateKey) {
        return peerCard(peerId).locator("[data-state=\"" + stateKey + "\"]");
    }

    Locator peerMetric(String peerId, String metricKey) {
        return peerCard(peerId).locator("dd[data-metric=\"" + metricKey + "\"]");
    }

    Locator summaryMetric(String key) {
        return page.locator(".tile[data-metric=\"" + key + "\"] .tile-value");
    }

    /**
     * The SHA-256 of what the last download link for {@code name} serves, computed in the page (the link
     * must be visible).
     */
    String downloadHash(String name) {
        Locator link = page.getByTestId("file-download")
                .filter(new Locator.FilterOptions().setHasText(name))
                .last();
        assertThat(link).isVisible();
        return (String) page.evaluate(
                "async (a) => {"
                        + " const buffer = await (await fetch(a.href)).arrayBuffer();"
                        + " const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));"
                        + " return [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''); }",
                link.elementHandle());
    }

    /** Clicks "Export JSON" and saves the downloaded file to {@code target}. */
    Path exportLog(Path target) {
        Download download =
                page.waitForDownload(() -> page.getByTestId("export-log").click());
        download.saveAs(target);
        return target;
    }

    Path screenshot(Path target) {
        page.screenshot(new Page.ScreenshotOptions().setPath(target));
        return target;
    }

    /** The page's event log as JSON (for failure diagnostics). */
    String eventsJson() {
        return (String) page.evaluate("() => JSON.stringify(window.rendezvous.events(), null, 1)");
    }

    List<String> consoleErrors() {
        return List.copyOf(consoleErrors);
    }

    void close() {
        page.close();
    }

    /** A whole-text match; escaped by hand because Playwright runs the pattern as a JavaScript RegExp (no \\Q…\\E). */
    private static Pattern exactly(String text) {
        return Pattern.compile("^" + text.replaceAll("[\\\\^$.|?*+()\\[\\]{}/-]", "\\\\$0") + "$");
    }
}
