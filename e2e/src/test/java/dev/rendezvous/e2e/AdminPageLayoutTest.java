package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
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
    static final E2eFixture e2e =
            E2eFixture.chromium(Duration.ofSeconds(15)).server(config -> config.adminToken(TOKEN));

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
        Page page = e2e.openPage(width, height, "/admin/");
        assertThat(page.locator("#token")).isVisible();
        PageLayout.assertFits(page, "admin", "signed out", SIGNED_OUT, List.of());

        AdminPage.signIn(page, TOKEN);
        assertThat(page.locator("#status")).hasAttribute("data-state", "ready");
        AdminPage.joinRoom(e2e.server(), "standup", "alice", "Alice");
        AdminPage.joinRoom(e2e.server(), "standup", "bob-with-a-longer-id-than-most", "Bob");
        assertThat(page.locator(".room[data-room='standup'] .room-member")).hasCount(2);
        assertThat(page.locator("#sessions tbody tr")).hasCount(2);
        PageLayout.assertFits(page, "admin", "signed in", BOARD, List.of());
    }
}
