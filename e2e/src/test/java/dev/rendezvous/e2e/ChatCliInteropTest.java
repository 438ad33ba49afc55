package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.ChatProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
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
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(20));

    @Test
    void thePagePairsWithTheCliAndTheyChatBothWays() throws Exception {
        try (ChatProcess cli = chat("--id", "cli-answers")) {
            assertThat(cli.awaitStatus("your id: ")).isEqualTo("* your id: cli-answers (lobby)");
            ChatPage page = e2e.openChat("");
            String pageId = page.awaitId();

            page.pairWith("cli-answers");
            awaitPaired(page, pageId, cli, "they offer");

            chatThenQuitTheLobby(page, cli, "cli-answers");
        }
    }

    @Test
    void theCliPairsWithThePageAndTheyChatBothWays() throws Exception {
        ChatPage page = e2e.openChat("");
        String pageId = page.awaitId();
        try (ChatProcess cli = chat("--id", "cli-offers", "--pair", pageId)) {
            awaitPaired(page, pageId, cli, "we offer");

            page.openDashboard();
            assertThat(page.peerCard("cli-offers").locator(".badge.role")).hasText("answerer");
            page.openChat();

            chatThenQuitTheLobby(page, cli, "cli-offers");
        }
    }

    @Test
    void theCliJoinsThePagesRoomAndTheyChatBothWays() throws Exception {
        ChatPage page = e2e.openChat("room=lounge");
        String pageId = page.awaitId();
        page.awaitChatState("alone");
        try (ChatProcess cli = chat("--id", "cli-room", "--room", "lounge")) {
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

    /** {@code rendezvous chat} on this test's server in loopback ICE mode, with these further options. */
    private static ChatProcess chat(String... options) throws Exception {
        List<String> args =
                new ArrayList<>(List.of("--server", e2e.server().lobbyUri().toString()));
        args.addAll(List.of(options));
        args.add("--ice-loopback");
        return ChatProcess.start(args.toArray(String[]::new));
    }

    /** Waits until the CLI says it paired with the page ({@code role}: who offers) and both ends are connected. */
    private static void awaitPaired(ChatPage page, String pageId, ChatProcess cli, String role) throws Exception {
        cli.awaitStatus("paired with " + pageId + " (" + role + ")");
        cli.awaitStatus(pageId + ": channel open");
        page.awaitChatState("connected");
    }

    private static void chatBothWays(ChatPage page, ChatProcess cli, String cliId) throws Exception {
        page.send(FROM_PAGE);
        assertThat(cli.nextMessage()).isEqualTo(FROM_PAGE);
        cli.type(FROM_CLI);
        page.awaitIncoming(cliId, FROM_CLI);
        cli.type("//slash, not a command");
        page.awaitIncoming(cliId, "/slash, not a command");
    }

    /**
     * They chat both ways; then {@code /quit}: the process closes cleanly and exits 0; the page sees the peer
     * leave and waits for another.
     */
    private static void chatThenQuitTheLobby(ChatPage page, ChatProcess cli, String cliId) throws Exception {
        chatBothWays(page, cli, cliId);
        cli.type("/quit");
        assertThat(cli.awaitExit()).isZero();
        assertThat(page.systemMessages().last()).hasText(Pattern.compile("left\\. Ready for a new peer\\.$"));
        page.awaitChatState("waiting");
        assertThat(cli.unreadMessages()).isEmpty();
        assertThat(page.consoleErrors()).isEmpty();
    }
}
