package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.browser.BrowserExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The other side of {@link CandidateHintTest}: a connection that opens never shows the "no usable
 * candidate" hint, not even once the warning's deadline has passed (the suite's usual browser, which
 * gathers 127.0.0.1 in loopback mode).
 */
class CandidateHintAbsentTest {

    @RegisterExtension
    static final BrowserExtension browser = BrowserExtension.chromium(Duration.ofSeconds(20));

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    @Test
    void aConnectionThatOpensShowsNoHint() {
        ChatPage alice = ChatPage.open(browser.newContext(), server.httpUri("/"), "");
        ChatPage bob = ChatPage.open(browser.newContext(), server.httpUri("/"), "");
        ChatPage.Pair pair = ChatPage.connect(alice, bob);
        String aliceId = pair.aliceId();
        String bobId = pair.bobId();
        bob.send("connected without a hint");
        alice.awaitIncoming(bobId, "connected without a hint");
        // The warning's deadline (4 s after the connection was built) passes with the channel open: still no hint.
        alice.page()
                .waitForFunction("() => window.rendezvous.snapshot().peers.every((p) => p.state.channel === 'open')"
                        + " && performance.now() - window.rendezvous.sdk().connection(" + json(bobId)
                        + ").createdAt > 4500");
        assertThat(alice.page().getByTestId("ice-hint")).isHidden();
        assertThat(
                        alice.page()
                                .evaluate(
                                        "() => window.rendezvous.events().filter((e) => e.kind === 'no_usable_candidates').length"))
                .isEqualTo(0);
        assertThat(bob.page().getByTestId("ice-hint")).isHidden();
        assertThat(aliceId).isNotEqualTo(bobId);
    }

    private static String json(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
