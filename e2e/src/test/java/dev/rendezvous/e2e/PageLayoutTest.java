package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The page and the dashboard (index.html and debug.html) fit phones 360–430 px wide and a desktop: in the
 * lobby, paired and in a room, nothing scrolls sideways, every key element lies inside the viewport and
 * is cut off by nothing, and once chatting the messages get most of the screen's height. Viewport
 * screenshots of each state land in {@code target/surefire-reports/screenshots/layout-*.png}.
 */
class PageLayoutTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(20));

    private static final List<String> TOP = List.of("#signaling-status", "#tab-chat", "#tab-dashboard");
    private static final List<String> CHAT = List.of(
            "#my-id",
            "#copy-id",
            "#copy-link",
            "#chat-title",
            "#chat-state",
            "#camera-button",
            "#mic-button",
            "#screen-button",
            "#messages",
            "#message-input",
            "#send-button");
    private static final List<String> LOBBY = List.of("#pair-input", "#pair-button", "#room-input", "#join-button");
    private static final List<String> PAIRED =
            List.of("#paired-box", "#unpair-button", "#room-input", "#join-button", "li.message.incoming .body");
    private static final List<String> ROOM =
            List.of("#in-room-box", "#leave-room-button", "#member-list li.member", "li.message.incoming .body");
    private static final List<String> DASHBOARD =
            List.of("#summary .tile", "#log-follow", "#log-clear", "#log-export", "#event-log .log-line:last-child");
    private static final List<String> PEER_CARD = List.of(
            ".peer-card:not(.past)",
            ".peer-card:not(.past) .badge.role",
            ".peer-card:not(.past) .peer-id",
            ".peer-card:not(.past) [data-state]",
            ".peer-card:not(.past) dd[data-metric=\"route\"]");
    private static final List<List<String>> DASHBOARD_CONTAINED = List.of(
            List.of("#event-log", ".log-card"),
            List.of("#log-export", ".log-card"),
            List.of("#summary .tile[data-metric=\"client-id\"]", "main"));
    private static final List<List<String>> CARD_CONTAINED = List.of(
            List.of(".peer-card:not(.past) dl.metrics", ".peer-card"),
            List.of(".peer-card:not(.past) .badge.role", ".peer-card"));

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"360, 740", "390, 844", "430, 932", "1280, 800"})
    void theChatPageAndTheDashboardFitInTheLobbyPairedAndInARoom(int width, int height) {
        ChatPage alice = ChatPage.openUrl(
                e2e.newContext(width, height),
                e2e.server().httpUri("/debug.html?loopback=1").toString());
        Page page = alice.page();
        alice.awaitId();

        // Lobby: the dashboard first (debug.html), then the chat.
        assertThat(page.locator("#view-dashboard")).isVisible();
        assertThat(page.locator(".peer-grid .card.empty")).isVisible();
        fits(page, "lobby dashboard", concat(TOP, DASHBOARD, List.of(".peer-grid .card.empty")), DASHBOARD_CONTAINED);
        alice.openChat();
        fits(page, "lobby chat", concat(TOP, CHAT, LOBBY), List.of());

        // Paired with a desktop page.
        ChatPage.Pair pair = ChatPage.connect(alice, e2e.openChat(""));
        String bobId = pair.bobId();
        pair.bobSays("hello from a desktop page to a phone, a line long enough to wrap on a narrow screen");
        fits(page, "paired chat", concat(TOP, CHAT, PAIRED), List.of());
        assertMessagesGetHalfTheScreen(page, "paired");
        alice.openDashboard();
        fitsWithPeer(alice, bobId, "paired dashboard");

        // A room, opened through debug.html.
        page.navigate(e2e.server().httpUri("/debug.html?loopback=1&room=layout").toString());
        String roomId = alice.awaitId();
        assertThat(roomId).isNotEqualTo(pair.aliceId());
        ChatPage bob = pair.bob();
        bob.page()
                .navigate(e2e.server()
                        .httpUri("/?loopback=1&room=layout&name=bob")
                        .toString());
        String bobInRoom = bob.awaitId();
        fitsWithPeer(alice, bobInRoom, "room dashboard");
        alice.openChat();
        alice.awaitChatState("connected");
        bob.send("hello room");
        alice.awaitIncoming(bobInRoom, "hello room");
        fits(page, "room chat", concat(TOP, CHAT, ROOM), List.of());
        assertMessagesGetHalfTheScreen(page, "room");

        assertThat(alice.consoleErrors()).isEmpty();
    }

    private static void fits(Page page, String state, List<String> selectors, List<List<String>> contained) {
        PageLayout.assertFits(page, "layout", state, selectors, contained);
    }

    /** The dashboard with the live card of {@code peerId}: its channel open on 127.0.0.1, and it all fits. */
    private static void fitsWithPeer(ChatPage alice, String peerId, String state) {
        assertThat(alice.peerState(peerId, "channel")).hasText("open");
        assertThat(alice.peerMetric(peerId, "route")).hasText(Pattern.compile("127\\.0\\.0\\.1"));
        fits(alice.page(), state, concat(TOP, DASHBOARD, PEER_CARD), concat(DASHBOARD_CONTAINED, CARD_CONTAINED));
    }

    private static void assertMessagesGetHalfTheScreen(Page page, String state) {
        assertThat(PageLayout.visibleShare(page, "#messages"))
                .as(page.viewportSize().width + "x" + page.viewportSize().height + " " + state
                        + ": messages' share of the screen")
                .isGreaterThanOrEqualTo(0.5);
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> list : lists) all.addAll(list);
        return all;
    }
}
