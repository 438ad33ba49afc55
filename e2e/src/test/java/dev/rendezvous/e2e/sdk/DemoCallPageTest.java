package dev.rendezvous.e2e.sdk;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.rendezvous.e2e.Artifacts;
import dev.rendezvous.e2e.E2eFixture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demo page's calls, as a user clicks them: camera and microphone in a room, a screen share, the grid
 * of videos and the dashboard's media figures; screenshots at desktop and phone width beside the reports.
 */
class DemoCallPageTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium();

    @Test
    void aRoomCallWithCameraMicrophoneAndScreenShareAtDesktopAndPhoneWidth() {
        Page ana = join("ana", 1280, 800);
        Page ben = join("ben", 390, 844);
        assertThat(ana.getByTestId("chat-state")).hasText("connected");
        assertThat(ben.getByTestId("chat-state")).hasText("connected");

        for (Page page : new Page[] {ana, ben}) {
            button(page, "Camera").click();
            button(page, "Microphone").click();
            assertThat(button(page, "Camera")).hasAttribute("aria-pressed", "true");
        }
        // Each grid shows your own camera and the other's video, playing.
        for (Page page : new Page[] {ana, ben}) {
            assertThat(page.locator(".video-tile.local")).hasCount(1);
            Locator remote = page.locator(".video-tile:not(.local)");
            assertThat(remote).hasCount(1);
            assertThat(remote).hasAttribute("data-kinds", "audio video");
            page.waitForFunction("() => { const v = document.querySelector('.video-tile:not(.local) video');"
                    + " return v && v.videoWidth > 0 && v.currentTime > 0.5; }");
        }
        screenshot(ana, "call-desktop");
        screenshot(ben, "call-phone-390x844");

        // Screen share: a second remote tile on the other side; stopping it removes the tile.
        button(ana, "Share screen").click();
        assertThat(button(ana, "Share screen")).hasAttribute("aria-pressed", "true");
        assertThat(ben.locator(".video-tile:not(.local)")).hasCount(2);
        screenshot(ben, "call-phone-with-screen-share");
        button(ana, "Share screen").click();
        assertThat(ben.locator(".video-tile:not(.local)")).hasCount(1);

        // Camera off on Ben's side: Ana's tile for him keeps only audio.
        button(ben, "Camera").click();
        assertThat(ana.locator(".video-tile:not(.local)")).hasAttribute("data-kinds", "audio");

        // The dashboard shows media figures per peer and their charts.
        ana.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Dashboard"))
                .click();
        Locator card = ana.locator(".peer-card:not(.past)");
        assertThat(card.locator("dd[data-metric=\"bitrate-in\"]"))
                .hasText(Pattern.compile("^[1-9]\\d* kbit/s$|Mbit/s$"));
        assertThat(card.locator("dd[data-metric=\"bitrate-out\"]"))
                .hasText(Pattern.compile("^[1-9]\\d* kbit/s$|Mbit/s$"));
        assertThat(card.locator("dd[data-metric=\"video-out\"]"))
                .hasText(Pattern.compile("^\\d+×\\d+ · \\d+(\\.\\d+)? fps$"));
        assertThat(card.locator("dd[data-metric=\"media-rtt\"]")).hasText(Pattern.compile("^\\d+ ms$"));
        assertThat(card.locator("figure.chart canvas")).hasCount(3);
        screenshot(ana, "dashboard-media");
    }

    private Page join(String name, int width, int height) {
        return e2e.openPage(width, height, "/?loopback=1&room=call&name=" + name);
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(
                AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private static void screenshot(Page page, String name) {
        page.screenshot(
                new Page.ScreenshotOptions().setPath(Artifacts.screenshot(name)).setFullPage(true));
    }
}
