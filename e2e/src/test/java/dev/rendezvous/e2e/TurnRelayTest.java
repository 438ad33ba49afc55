package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.browser.BrowserExtension;
import dev.rendezvous.testing.coturn.Coturn;
import dev.rendezvous.testing.coturn.CoturnExtension;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page takes its ICE servers from {@code your_id} (here: coturn on 127.0.0.1 with time-limited
 * credentials) and, with {@code ?relay=1}, relays everything through TURN.
 */
@ExtendWith(CoturnExtension.class)
class TurnRelayTest {

    @RegisterExtension
    static final BrowserExtension browser = BrowserExtension.chromium(Duration.ofSeconds(15));

    private static Coturn turn;

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(
            config -> config.iceServers(id -> turn.iceConfig().serversFor(id)));

    @BeforeAll
    static void launch(Coturn coturn) {
        turn = coturn;
    }

    @Test
    void twoPagesChatThroughATurnRelayFromTheServersIceConfiguration() {
        ChatPage alice = open();
        ChatPage bob = open();
        ChatPage.Pair pair = ChatPage.connect(alice, bob);
        String aliceId = pair.aliceId();
        String bobId = pair.bobId();
        alice.send("relayed hello");
        bob.awaitIncoming(aliceId, "relayed hello");
        bob.send("relayed reply");
        alice.awaitIncoming(bobId, "relayed reply");

        alice.openDashboard();
        assertThat(alice.summaryMetric("ice-servers")).hasText("1");
        assertThat(alice.peerMetric(bobId, "pair-type")).hasText("relay ↔ relay");
        assertThat(alice.peerMetric(bobId, "route"))
                .hasText(Pattern.compile("^127\\.0\\.0\\.1:\\d+ → 127\\.0\\.0\\.1:\\d+$"));
    }

    private ChatPage open() {
        BrowserContext context = browser.newContext();
        return ChatPage.open(context, server.httpUri("/"), "relay=1");
    }
}
