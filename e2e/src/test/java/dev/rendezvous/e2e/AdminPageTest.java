package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.rendezvous.testing.WsRecorder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The live admin page in Chromium: asks for the admin token, refuses a wrong one, then shows rooms and sessions live. */
class AdminPageTest {

    private static final String TOKEN = "e2e-admin-token-0123456789abcdef";

    @RegisterExtension
    static final E2eFixture e2e =
            E2eFixture.chromium(Duration.ofSeconds(15)).server(config -> config.adminToken(TOKEN));

    @Test
    void aRoomAndItsMembersAppearAfterTwoClientsJoin() {
        Page page = e2e.openPage("/admin/");
        AdminPage.signIn(page, "wrong-token-wrong-token");
        assertThat(page.locator("#login-error")).hasText("the server refused this admin token");

        AdminPage.signIn(page, TOKEN);
        assertThat(page.locator("#rooms")).hasText("no rooms");
        assertThat(page.locator("#status")).hasAttribute("data-state", "ready");

        AdminPage.joinRoom(e2e.server(), "standup", "alice", "Alice");
        WsRecorder bob = AdminPage.joinRoom(e2e.server(), "standup", "bob", "Bob");

        Locator standup = page.locator(".room[data-room='standup'] .room-member");
        assertThat(standup).hasCount(2);
        assertThat(standup.nth(0)).containsText("alice — Alice");
        assertThat(standup.nth(1)).containsText("bob — Bob");
        assertThat(page.locator("#count-sessions")).hasText("2");
        assertThat(page.locator("#sessions tbody tr")).hasCount(2);
        assertThat(page.locator("#sessions tbody")).containsText("admitted");

        // The token survives a reload in this tab (sessionStorage), and departures show up live.
        page.reload();
        assertThat(standup).hasCount(2);
        bob.close();
        assertThat(standup).hasCount(1);
    }
}
