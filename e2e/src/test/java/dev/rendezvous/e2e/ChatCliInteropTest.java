package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import dev.rendezvous.testing.ChatProcess;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.browser.BrowserExtension;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 3: a foreign WebRTC stack (Chromium's, in the page) pairs with a {@code rendezvous chat} process
 * in either role, and in a room; they chat both ways in UTF-8 through the process's stdin and stdout, and
 * when the process quits the page sees it leave.
 */
class ChatCliInteropTest {

    private static final String FROM_PAGE = "héllo from the browser ✓ 日本語 👋";
    private static final String FROM_CLI = "grüße aus der CLI — ñ 🎉";

    @RegisterExtension
    static final BrowserExtension browser = BrowserExtension.chromium(Duration.ofSeconds(20));

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    private BrowserContext context;

    @BeforeEach
    void newContext() {
        context = browser.newContext();
    }

    @Test
    void thePagePairsWithTheCliAndTheyChatBothWays() throws Exception {
        try (ChatProcess cli =
                ChatProcess.start("--server", server.lobbyUri().toString(), "--id", "cli-answers", "--ice-loopback")) {
            assertThat(cli.awaitStatus("your id: ")).isEqualTo("* your id: cli-answers (lobby)");
            ChatPage page = ChatPage.open(context, server.httpUri("/"), "");
            String pageId = page.awaitId();

            page.pairWith("cli-answers");
            cli.awaitStatus("paired with " + pageId + " (they offer)");
            cli.awaitStatus(pageId + ": channel open");
            page.awaitChatState("connected");

            chatBothWays(page, cli, "cli-answers");
            quitAndSeeItLeaveTheLobby(page, cli);
        }
    }

    @Test
    void theCliPairsWithThePageAndTheyChatBothWays() throws Exception {
        ChatPage page = ChatPage.open(context, server.httpUri("/"), "");
        String pageId = page.awaitId();
        try (ChatProcess cli = ChatProcess.start(
                "--server", server.lobbyUri().toString(), "--id", "cli-offers", "--pair", pageId, "--ice-loopback")) {
            cli.awaitStatus("paired with " + pageId + " (we offer)");
            cli.awaitStatus(pageId + ": channel open");
            page.awaitChatState("connected");

            page.openDashboard();
            assertThat(page.peerCard("cli-offers").locator(".badge.role")).hasText("answerer");
            page.openChat();

            chatBothWays(page, cli, "cli-offers");
            quitAndSeeItLeaveTheLobby(page, cli);
        }
    }

    @Test
    void theCliJoinsThePagesRoomAndTheyChatBothWays() throws Exception {
        ChatPage page = ChatPage.open(context, server.httpUri("/"), "room=lounge");
        String pageId = page.awaitId();
        page.awaitChatState("alone");
        try (ChatProcess cli = ChatProcess.start(
                "--server", server.lobbyUri().toString(), "--id", "cli-room", "--room", "lounge", "--ice-loopback")) {
            assertThat(cli.awaitStatus("your id: ")).isEqualTo("* your id: cli-room (room lounge)");
            cli.awaitStatus("in the room: " + pageId);
            cli.awaitStatus(pageId + ": channel open");
            page.awaitChatState("connected");

            chatBothWays(page, cli, "cli-room");

            cli.type("/quit");
            assertThat(cli.awaitExit()).isZero();
            assertThat(page.systemMessages().last()).hasText(Pattern.compile("left\\.$"));
            assertThat(page.member("cli-room")).hasCount(0);
            page.awaitChatState("alone");
            assertThat(cli.unreadMessages()).isEmpty();
            assertThat(page.consoleErrors()).isEmpty();
        }
    }

    private static void chatBothWays(ChatPage page, ChatProcess cli, String cliId) throws Exception {
        page.send(FROM_PAGE);
        assertThat(cli.nextMessage()).isEqualTo(FROM_PAGE);
        cli.type(FROM_CLI);
        page.awaitIncoming(cliId, FROM_CLI);
        cli.type("//slash, not a command");
        page.awaitIncoming(cliId, "/slash, not a command");
    }

    /** {@code /quit}: the process closes cleanly and exits 0; the page sees the peer leave and waits for another. */
    private static void quitAndSeeItLeaveTheLobby(ChatPage page, ChatProcess cli) throws Exception {
        cli.type("/quit");
        assertThat(cli.awaitExit()).isZero();
        assertThat(page.systemMessages().last()).hasText(Pattern.compile("left\\. Ready for a new peer\\.$"));
        page.awaitChatState("waiting");
        assertThat(cli.unreadMessages()).isEmpty();
        assertThat(page.consoleErrors()).isEmpty();
    }
}
