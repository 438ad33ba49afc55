package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.Outage;
import dev.rendezvous.testing.TcpProxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A page whose signaling WebSocket is reset without a close frame (through a {@link TcpProxy}, for two
 * seconds) resumes its session and shows it on the dashboard; its peer page never sees a disconnect and the
 * chat goes on during and after the cut.
 */
class ResumeInBrowserTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(20));

    @Test
    void aPageResumesAfterItsWebSocketIsCutAndItsPeerNeverNotices() throws Exception {
        // Alice's page, and so its WebSocket, goes through the proxy; Bob's goes straight to the server.
        e2e.withPairThroughProxy((proxy, pair) -> {
            ChatPage alice = pair.alice();
            ChatPage bob = pair.bob();
            Outage outage = Outage.begin(proxy);
            alice.openDashboard();
            assertThat(alice.summaryMetric("signaling")).hasText("resuming");
            bob.send("during the cut");
            alice.openChat();
            alice.awaitIncoming(pair.bobId(), "during the cut");
            assertThat(outage.isOver())
                    .as("the line above crossed while signaling was cut")
                    .isFalse();
            outage.endAfter(Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS);

            alice.openDashboard();
            assertThat(alice.summaryMetric("resumes")).hasText("1 / 1 lost");
            assertThat(alice.summaryMetric("signaling")).hasText("ready");
            assertThat(alice.summaryMetric("replayed")).hasText(Pattern.compile("^\\d+$"));
            assertThat(alice.summaryMetric("client-id")).hasText(pair.aliceId());
            assertThat(alice.eventsJson()).contains("\"lost\"", "\"resumed\"");

            alice.openChat();
            pair.aliceSays("after the cut");
            pair.bobSays("still here");
            // Bob's page heard nothing: no departure, no new pairing, its channel open throughout.
            assertThat(bob.eventsJson()).doesNotContain("peer_disconnected", "\"lost\"");
            bob.awaitChatState("connected");
            assertThat(bob.consoleErrors()).isEmpty();
            alice.screenshot(Artifacts.screenshot("resume-after-cut"));
        });
    }
}
