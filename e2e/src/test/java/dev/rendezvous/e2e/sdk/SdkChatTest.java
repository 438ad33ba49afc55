package dev.rendezvous.e2e.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.e2e.E2eFixture;
import dev.rendezvous.testing.ChatProcess;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A web developer's blank page imports the SDK from the server ({@code /sdk/rendezvous.js}) and chats with
 * a {@code rendezvous chat} process (the Java stack) in both roles: the page pairs with the CLI (the page
 * offers), and the CLI pairs with the page (the page answers).
 */
class SdkChatTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium();

    @Test
    void thePagePairsWithTheCliAndTheyChatBothWays() throws Exception {
        try (ChatProcess cli = ChatProcess.start(
                "--server", e2e.server().lobbyUri().toString(), "--id", "cli-answers", "--ice-loopback")) {
            cli.awaitStatus("your id: ");
            SdkPage page = SdkPage.open(e2e, Map.of());

            page.connect("cli-answers");
            cli.awaitStatus("paired with " + page.id() + " (they offer)");
            cli.awaitStatus(page.id() + ": channel open");
            assertThat(page.eval("() => rv.connection('cli-answers').initiator"))
                    .isEqualTo(true);

            chatBothWays(page, cli, "cli-answers");
            assertThat(page.consoleErrors()).isEmpty();
        }
    }

    @Test
    void theCliPairsWithThePageAndTheyChatBothWays() throws Exception {
        SdkPage page = SdkPage.open(e2e, Map.of("username", "web"));
        try (ChatProcess cli = ChatProcess.start(
                "--server",
                e2e.server().lobbyUri().toString(),
                "--id",
                "cli-offers",
                "--pair",
                page.id(),
                "--ice-loopback")) {
            cli.awaitStatus("paired with " + page.id() + " (we offer)");
            page.awaitOpen("cli-offers");
            cli.awaitStatus(page.id() + ": channel open");
            assertThat(page.eval("() => rv.connection('cli-offers').initiator")).isEqualTo(false);

            chatBothWays(page, cli, "cli-offers");

            cli.type("/quit");
            assertThat(cli.awaitExit()).isZero();
            page.awaitTrue("id => rv.connection(id) === null && rv.pairedPeer === null", "cli-offers");
            assertThat(page.consoleErrors()).isEmpty();
        }
    }

    private static void chatBothWays(SdkPage page, ChatProcess cli, String cliId) throws Exception {
        assertThat(page.send(cliId, "héllo from the SDK ✓")).isEqualTo("sent");
        assertThat(cli.nextMessage()).isEqualTo("héllo from the SDK ✓");
        cli.type("grüße aus der CLI 🎉");
        page.awaitReceived(cliId + ": grüße aus der CLI 🎉");
        assertThat(cli.unreadMessages()).isEmpty();
    }
}
