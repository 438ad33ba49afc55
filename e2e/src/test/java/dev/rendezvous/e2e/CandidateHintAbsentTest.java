package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

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
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(20));

    @Test
    void aConnectionThatOpensShowsNoHint() {
        ChatPage.Pair pair = e2e.connectedPair("");
        pair.bobSays("connected without a hint");
        ChatPage alice = pair.alice();
        String bobId = pair.bobId();
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
        assertThat(pair.bob().page().getByTestId("ice-hint")).isHidden();
        assertThat(pair.aliceId()).isNotEqualTo(bobId);
    }

    private static String json(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
