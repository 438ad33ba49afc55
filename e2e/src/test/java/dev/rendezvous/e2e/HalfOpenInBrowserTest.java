package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.rendezvous.testing.TcpProxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A page whose signaling WebSocket stalls without closing (through a {@link TcpProxy}: the sockets stay
 * open, no byte moves, no reset, no close frame) finds it half-open by its watchdog — no frame within the
 * server's ping interval plus the slack — abandons it and resumes on a new connection, well before the
 * server's own keepalive timeout could have noticed; its peer never hears of it and the chat goes on.
 */
class HalfOpenInBrowserTest {
    /** The page's watchdog trips after interval + max(1 s, interval / 2) = 2 s of silence. */
    private static final Duration PING_INTERVAL = Duration.ofSeconds(1);
    /** Far beyond the bound below: the server cannot be the one that noticed. */
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(30);
    /** From the stall to the page resumed: the watchdog's 2 s, the first backoff (≤ 250 ms) and a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(12);

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(20))
            .server(b -> b.pingInterval(PING_INTERVAL).pingTimeout(PING_TIMEOUT));

    @Test
    void aPageWhoseWebSocketStallsDetectsItAndResumesWithinABoundedTime() throws Exception {
        e2e.withPairThroughProxy((proxy, pair) -> {
            ChatPage alice = pair.alice();
            ChatPage bob = pair.bob();
            alice.openDashboard();
            assertThat(alice.summaryMetric("resumes")).hasText("0 / 0 lost");

            // Every connection the page has through the proxy (its WebSocket among them) stops moving bytes;
            // the sockets stay open, so the browser sees nothing but silence. New connections flow.
            int stalled = proxy.pipes().size();
            long stalledAt = System.nanoTime();
            proxy.pipes().forEach(TcpProxy.Pipe::stall);

            await().atMost(BOUND).until(() -> alice.eventsJson().contains("\"resumed\""));
            Duration took = Duration.ofNanos(System.nanoTime() - stalledAt);
            assertThat(took)
                    .as("the page noticed by itself, before the server's keepalive timeout")
                    .isLessThan(PING_TIMEOUT);
            assertThat(alice.eventsJson()).contains("\"half_open\"", "\"lost\"");
            assertThat(proxy.pipes().size())
                    .as("the resume came over a new connection")
                    .isGreaterThan(stalled);
            assertThat(alice.summaryMetric("resumes"))
                    .hasText("1 / 1 lost", new LocatorAssertions.HasTextOptions().setTimeout(5_000));
            assertThat(alice.summaryMetric("signaling")).hasText("ready");
            assertThat(alice.summaryMetric("client-id")).hasText(pair.aliceId());
            assertThat((Integer) alice.page().evaluate("() => window.rendezvous.sdk().resumeStats.halfOpen"))
                    .isEqualTo(1);

            alice.openChat();
            pair.aliceSays("after the stall");
            pair.bobSays("still here");
            assertThat(bob.eventsJson()).doesNotContain("peer_disconnected", "\"lost\"");
            assertThat(bob.consoleErrors()).isEmpty();
            System.out.printf(
                    "half-open WebSocket found and the session resumed %d ms after the stall%n", took.toMillis());
        });
    }
}
