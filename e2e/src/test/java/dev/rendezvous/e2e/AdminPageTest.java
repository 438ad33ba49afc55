package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import dev.rendezvous.testing.browser.BrowserExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The live admin page in Chromium: asks for the admin token, refuses a wrong one, then shows rooms and sessions live. */
class AdminPageTest {

    private static final String TOKEN = "e2e-admin-token-0123456789abcdef";

    @RegisterExtension
    static final BrowserExtension browser = BrowserExtension.chromium(Duration.ofSeconds(15));

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(config -> config.adminToken(TOKEN));

    @Test
    void aRoomAndItsMembersAppearAfterTwoClientsJoin() {
        Page page = browser.newContext().newPage();
        page.navigate(server.httpUri("/admin/").toString());

        page.locator("#token").fill("wrong-token-wrong-token");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        assertThat(page.locator("#login-error")).hasText("the server refused this admin token");

        page.locator("#token").fill(TOKEN);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        assertThat(page.locator("#rooms")).hasText("no rooms");
        assertThat(page.locator("#status")).hasAttribute("data-state", "ready");

        WsRecorder alice = server.client(server.uri("/ws/standup?client_id=alice&username=Alice"));
        alice.next(Message.YourId.class);
        WsRecorder bob = server.client(server.uri("/ws/standup?client_id=bob&username=Bob"));
        bob.next(Message.YourId.class);

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
