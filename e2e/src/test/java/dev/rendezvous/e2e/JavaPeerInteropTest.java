package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.browser.BrowserExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The page and a Java SDK peer (webrtc-java) chat through the lobby, with the page in either role. */
class JavaPeerInteropTest {

    @RegisterExtension
    static final BrowserExtension browser = BrowserExtension.chromium(Duration.ofSeconds(15));

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    @RegisterExtension
    static final SharedRtc rtc = new SharedRtc();

    private BrowserContext context;

    @BeforeEach
    void newContext() {
        context = browser.newContext();
    }

    @Test
    void pageAsInitiatorChatsBothWaysWithAJavaPeer() throws Exception {
        try (JavaPeer java = JavaPeer.lobby(server.lobbyUri(), rtc.runtime(), "java")) {
            ChatPage page = ChatPage.open(context, server.httpUri("/"), "");
            String pageId = page.awaitId();

            java.pairedBy(page, pageId);

            page.send("hello java, from the browser ✓");
            assertThat(java.nextMessage()).isEqualTo(pageId + ": hello java, from the browser ✓");
            java.send("hello browser, from java 👋");
            page.awaitIncoming(java.id(), "hello browser, from java 👋");
            assertThat(page.consoleErrors()).isEmpty();
        }
    }

    @Test
    void pageAsAnswererChatsBothWaysWithAJavaPeer() throws Exception {
        try (JavaPeer java = JavaPeer.lobby(server.lobbyUri(), rtc.runtime(), "java")) {
            ChatPage page = ChatPage.open(context, server.httpUri("/"), "");
            String pageId = page.awaitId();

            java.pairWith(page, pageId);

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

    @Test
    void messagesSentWhileTheConnectionIsBeingMadeAreQueuedAndArriveOnceInOrder() throws Exception {
        try (JavaPeer java = JavaPeer.lobby(server.lobbyUri(), rtc.runtime(), "java")) {
            ChatPage page = ChatPage.open(context, server.httpUri("/"), "");
            String pageId = page.awaitId();

            // Submitted in the same turn as the page learns it is paired, before the connection can exist:
            // the messages must wait in the page's queue and flush in order once the channel opens.
            Object statusesAtSend = page.page().evaluate("""
          javaId => new Promise((resolve) => {
            const list = document.getElementById('messages');
            const observer = new MutationObserver(() => {
              const paired = [...list.querySelectorAll('li.system')].some((li) => li.textContent.startsWith('Paired with'));
              if (!paired) return;
              observer.disconnect();
              const input = document.getElementById('message-input');
              for (let i = 1; i <= 3; i++) {
                input.value = `early ${i}`;
                document.getElementById('composer').requestSubmit();
              }
              resolve([...list.querySelectorAll('li.outgoing')].map((li) => li.dataset.status));
            });
            observer.observe(list, { childList: true });
            document.getElementById('pair-input').value = javaId;
            document.getElementById('pair-form').requestSubmit();
          })
          """, java.id());
            assertThat(statusesAtSend).isEqualTo(List.of("queued", "queued", "queued"));

            assertThat(java.nextMessage()).isEqualTo(pageId + ": early 1");
            assertThat(java.nextMessage()).isEqualTo(pageId + ": early 2");
            assertThat(java.nextMessage()).isEqualTo(pageId + ": early 3");
            for (int i = 1; i <= 3; i++)
                assertThat(page.outgoing("early " + i).locator(".status")).hasText("Sent");
            assertThat(java.unreadMessages()).isEmpty();
        }
    }
}
