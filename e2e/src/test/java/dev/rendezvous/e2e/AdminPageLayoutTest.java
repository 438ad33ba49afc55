package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import dev.rendezvous.testing.browser.BrowserExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The admin page (/admin/) fits a phone and a desktop, signed out and signed in with a room: nothing scrolls
 * sideways, the counts, both charts, the room's members and every card lie inside the viewport uncut (the
 * node and session tables, wider than a phone, scroll sideways inside their own card). Screenshots land
 * in {@code target/surefire-reports/screenshots/admin-*.png}, as the page's and the dashboard's do
 * (PageLayoutTest).
 */
class AdminPageLayoutTest {

    private static final String TOKEN = "e2e-admin-layout-token-0123456789";

    @RegisterExtension
    static final BrowserExtension browser = BrowserExtension.chromium(Duration.ofSeconds(15));

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(config -> config.adminToken(TOKEN));

    private static final List<String> SIGNED_OUT = List.of("#status", "#token", "#login-form button");
    private static final List<String> BOARD = List.of(
            "#status",
            "#count-nodes",
            "#count-connections",
            "#count-sessions",
            "#count-rooms",
            "#count-rate",
            "#chart-connections",
            "#chart-rate",
            ".room[data-room='standup'] .room-member",
            "#board section.card");

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"360, 740", "390, 844", "1280, 800"})
    void theAdminPageFitsSignedOutAndSignedIn(int width, int height) {
        String size = width + "x" + height;
        Page page = browser.newContext(width, height).newPage();
        page.navigate(server.httpUri("/admin/").toString());
        assertThat(page.locator("#token")).isVisible();
        check(page, size + " signed out", SIGNED_OUT);
        shoot(page, width, height, "admin-" + size + "-signed-out");

        page.locator("#token").fill(TOKEN);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        assertThat(page.locator("#status")).hasAttribute("data-state", "ready");
        WsRecorder alice = server.client(server.uri("/ws/standup?client_id=alice&username=Alice"));
        alice.next(Message.YourId.class);
        WsRecorder bob = server.client(server.uri("/ws/standup?client_id=bob-with-a-longer-id-than-most&username=Bob"));
        bob.next(Message.YourId.class);
        assertThat(page.locator(".room[data-room='standup'] .room-member")).hasCount(2);
        assertThat(page.locator("#sessions tbody tr")).hasCount(2);
        check(page, size + " signed in", BOARD);
        shoot(page, width, height, "admin-" + size + "-signed-in");
    }

    private static void check(Page page, String where, List<String> selectors) {
        assertThat(PageLayout.problems(page, selectors, List.of())).as(where).isEmpty();
    }

    private static void shoot(Page page, int width, int height, String name) {
        Path png = PageLayout.screenshot(page, name);
        assertThat(PageLayout.pngSize(png)).as(name + ".png size").containsExactly(width, height);
    }
}
