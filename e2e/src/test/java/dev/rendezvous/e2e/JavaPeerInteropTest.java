package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.rendezvous.client.rtc.RtcRuntime;
import dev.rendezvous.testing.ServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The page and a Java SDK peer (webrtc-java) chat through the lobby, with the page in either role. */
class JavaPeerInteropTest {

  private static Chromium chromium;
  @RegisterExtension
  final ServerExtension server = ServerExtension.create();

  private static RtcRuntime rtc;

  private BrowserContext context;

  @BeforeAll
  static void start() {
    PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
    chromium = Chromium.launch();
    rtc = RtcRuntime.create();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) chromium.close();
    if (rtc != null) rtc.close();
  }

  @BeforeEach
  void newContext() {
    context = chromium.newContext();
  }

  @AfterEach
  void closeContext() {
    context.close();
  }

  @Test
  void pageAsInitiatorChatsBothWaysWithAJavaPeer() throws Exception {
    try (JavaPeer java = JavaPeer.lobby(server.lobbyUri(), rtc, "java")) {
      ChatPage page = ChatPage.open(context, server.httpUri("/"), "");
      String pageId = page.awaitId();

      page.pairWith(java.id());
      java.awaitEvent("paired " + pageId + " false");
      java.awaitEvent("open " + pageId);
      page.awaitChatState("connected");

      page.send("hello java, from the browser ✓");
      assertThat(java.nextMessage()).isEqualTo(pageId + ": hello java, from the browser ✓");
      java.send("hello browser, from java 👋");
      page.awaitIncoming(java.id(), "hello browser, from java 👋");
      assertThat(page.consoleErrors()).isEmpty();
    }
  }

  @Test
  void pageAsAnswererChatsBothWaysWithAJavaPeer() throws Exception {
    try (JavaPeer java = JavaPeer.lobby(server.lobbyUri(), rtc, "java")) {
      ChatPage page = ChatPage.open(context, server.httpUri("/"), "");
      String pageId = page.awaitId();

      java.pair(pageId);
      java.awaitEvent("paired " + pageId + " true");
      java.awaitEvent("open " + pageId);
      page.awaitChatState("connected");

      java.send("java offers, the browser answers ✓");
      page.awaitIncoming(java.id(), "java offers, the browser answers ✓");
      page.send("and the browser replies 🎉");
      assertThat(java.nextMessage()).isEqualTo(pageId + ": and the browser replies 🎉");

      page.openDashboard();
      assertThat(page.peerState(java.id(), "channel")).hasText("open");
      assertThat(page.peerCard(java.id()).locator(".badge.role")).hasText("answerer");
      assertThat(page.peerMetric(java.id(), "received")).hasText("1");
      assertThat(page.peerMetric(java.id(), "sent")).hasText("1");
      assertThat(page.consoleErrors()).isEmpty();
    }
  }
}
