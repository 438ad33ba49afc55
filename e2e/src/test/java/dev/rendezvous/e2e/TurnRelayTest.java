package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page takes its ICE servers from {@code your_id} (here: coturn on 127.0.0.1 with time-limited
 * credentials) and, with {@code ?relay=1}, relays everything through TURN.
 */
class TurnRelayTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(15)).withTurnAnnounced();

    @Test
    void twoPagesChatThroughATurnRelayFromTheServersIceConfiguration() {
        ChatPage.Pair pair = e2e.connectedPair("relay=1");
        pair.aliceSays("relayed hello");
        pair.bobSays("relayed reply");

        ChatPage alice = pair.alice();
        String bobId = pair.bobId();
        alice.openDashboard();
        assertThat(alice.summaryMetric("ice-servers")).hasText("1");
        assertThat(alice.peerMetric(bobId, "pair-type")).hasText("relay ↔ relay");
        assertThat(alice.peerMetric(bobId, "route"))
                .hasText(Pattern.compile("^127\\.0\\.0\\.1:\\d+ → 127\\.0\\.0\\.1:\\d+$"));
    }
}
