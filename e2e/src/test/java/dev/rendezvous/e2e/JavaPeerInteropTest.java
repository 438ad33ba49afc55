package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The page and a Java SDK peer (webrtc-java) chat through the lobby, with the page in either role. */
class JavaPeerInteropTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(15)).withJavaPeers();

    @Test
    void pageAsInitiatorChatsBothWaysWithAJavaPeer() throws Exception {
        try (JavaPeer java = e2e.javaPeer("java")) {
            ChatPage page = e2e.openChat("");
            String pageId = java.pairedBy(page);

            java.hears(page, pageId, "hello java, from the browser ✓");
            java.says(page, "hello browser, from java 👋");
            assertThat(page.consoleErrors()).isEmpty();
        }
    }

    @Test
    void pageAsAnswererChatsBothWaysWithAJavaPeer() throws Exception {
        try (JavaPeer java = e2e.javaPeer("java")) {
            ChatPage page = e2e.openChat("");
            String pageId = java.pairWith(page);

            java.says(page, "java offers, the browser answers ✓");
            java.hears(page, pageId, "and the browser replies 🎉");

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
        try (JavaPeer java = e2e.javaPeer("java")) {
            ChatPage page = e2e.openChat("");
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
