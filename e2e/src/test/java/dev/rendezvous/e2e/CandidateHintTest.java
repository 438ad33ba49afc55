package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import dev.rendezvous.testing.browser.BrowserExtension;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When a connection has no usable candidate to offer, the page says so in one line — in the chat, in a
 * hint under the chat header and in the event log — and says what to do. The browser runs as on a
 * user's machine (without {@code --allow-loopback-in-peer-connection}): it offers 127.0.0.1 only while
 * the page holds a media permission, and in this suite's network namespace there is no other address.
 */
class CandidateHintTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.on(
            BrowserExtension.chromium(Duration.ofSeconds(20)).without("--allow-loopback-in-peer-connection"));

    /** The microphone refused, as when a user says "Block" to the permission prompt. */
    private static final String REFUSING_MICROPHONE = """
            navigator.mediaDevices.getUserMedia = () =>
              Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
            """;

    @Test
    void loopbackModeWithTheMicrophoneRefusedSaysToAllowTheMicrophone() {
        ChatPage alice = openRefusingMicrophone();
        ChatPage bob = openRefusingMicrophone();
        alice.awaitId();
        String bobId = bob.awaitId();
        alice.pairWith(bobId);

        Locator hint = alice.page().getByTestId("ice-hint");
        assertThat(hint).isVisible();
        assertThat(hint).hasAttribute("data-reason", "loopback_permission_denied");
        assertThat(hint)
                .hasText(
                        Pattern.compile(
                                "^No connection possible: loopback mode \\(\\?loopback=1\\) needs the microphone permission.*allow the microphone for this site and reload\\.$"));
        assertThat(alice.systemMessages()
                        .filter(new Locator.FilterOptions().setHasText("needs the microphone permission")))
                .hasCount(1);
        assertThat(bob.page().getByTestId("ice-hint")).hasAttribute("data-reason", "loopback_permission_denied");
        alice.awaitChatState("connecting");

        alice.openDashboard();
        assertThat(alice.page().getByTestId("event-log").locator("[data-kind=\"loopback_permission_failed\"]"))
                .hasCount(1);
        assertThat(alice.page().getByTestId("event-log").locator("[data-kind=\"no_usable_candidates\"]"))
                .hasCount(1);
        assertThat(alice.page().getByTestId("event-log").locator("[data-kind=\"ice_hint\"]"))
                .hasCount(1);
        assertThat(alice.peerMetric(bobId, "candidates")).hasText("0 sent · 0 received");
        alice.screenshot(Artifacts.screenshot("candidate-hint-dashboard"));
    }

    @Test
    void withoutLoopbackModeAndNoNetworkTheHintPointsToLoopbackMode() {
        ChatPage alice =
                ChatPage.openUrl(e2e.newContext(), e2e.server().httpUri("/").toString());
        ChatPage bob =
                ChatPage.openUrl(e2e.newContext(), e2e.server().httpUri("/").toString());
        alice.awaitId();
        String bobId = bob.awaitId();
        alice.pairWith(bobId);

        Locator hint = alice.page().getByTestId("ice-hint");
        assertThat(hint).hasAttribute("data-reason", "none_gathered");
        assertThat(hint)
                .hasText(
                        Pattern.compile(
                                "^No network candidates gathered .*open the page with \\?loopback=1 and allow the microphone.*$"));
        alice.awaitChatState("connecting");
        assertThat(alice.page()
                        .locator("li.message.system.warn")
                        .filter(new Locator.FilterOptions().setHasText("No network candidates gathered")))
                .hasCount(1);
        alice.screenshot(Artifacts.screenshot("candidate-hint-chat"));
    }

    @Test
    void relayOnlyWithoutATurnServerSaysThatRelayNeedsOne() {
        ChatPage alice = e2e.openChat("relay=1");
        ChatPage bob = e2e.openChat("relay=1");
        alice.awaitId();
        alice.pairWith(bob.awaitId());

        Locator hint = alice.page().getByTestId("ice-hint");
        assertThat(hint).hasAttribute("data-reason", "none_gathered");
        assertThat(hint)
                .hasText(Pattern.compile(
                        "^No relay candidate gathered: \\?relay=1 needs a TURN server.*without \\?relay=1\\.$"));
        alice.awaitChatState("connecting");
    }

    private ChatPage openRefusingMicrophone() {
        BrowserContext context = e2e.newContext();
        context.addInitScript(REFUSING_MICROPHONE);
        return e2e.openChat(context, "");
    }
}
