package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.coturn.Coturn;
import dev.rendezvous.testing.coturn.CoturnExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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

  private static Chromium chromium;
  private static Coturn turn;

  @RegisterExtension
  final ServerExtension server = ServerExtension.create(config -> config.iceServers(id -> turn.iceConfig().serversFor(id)));

  private final List<BrowserContext> contexts = new ArrayList<>();

  @BeforeAll
  static void launch(Coturn coturn) {
    PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
    turn = coturn;
    chromium = Chromium.launch();
  }

  @AfterAll
  static void shutDown() {
    if (chromium != null) chromium.close();
  }

  @AfterEach
  void closeContexts() {
    contexts.forEach(BrowserContext::close);
  }

  @Test
  void twoPagesChatThroughATurnRelayFromTheServersIceConfiguration() {
    ChatPage alice = open();
    ChatPage bob = open();
    String aliceId = alice.awaitId();
    String bobId = bob.awaitId();
    alice.pairWith(bobId);
    alice.awaitChatState("connected");
    alice.send("relayed hello");
    bob.awaitIncoming(aliceId, "relayed hello");
    bob.send("relayed reply");
    alice.awaitIncoming(bobId, "relayed reply");

    alice.openDashboard();
    assertThat(alice.summaryMetric("ice-servers")).hasText("1");
    assertThat(alice.peerMetric(bobId, "pair-type")).hasText("relay ↔ relay");
    assertThat(alice.peerMetric(bobId, "route")).hasText(Pattern.compile("^127\\.0\\.0\\.1:\\d+ → 127\\.0\\.0\\.1:\\d+$"));
  }

  private ChatPage open() {
    BrowserContext context = chromium.newContext();
    contexts.add(context);
    return ChatPage.open(context, server.httpUri("/"), "relay=1");
  }
}
