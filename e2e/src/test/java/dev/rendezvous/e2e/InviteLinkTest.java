package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invite links: "Copy link" copies {@code ?pair=<your id>} (in a room {@code ?room=<name>}); opening it
 * pairs with (joins) you at once. When the clipboard is refused the link is shown, selected, instead.
 */
class InviteLinkTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(15));

    /** Makes the page's clipboard refuse every write, as a browser without the permission does. */
    private static final String REFUSING_CLIPBOARD = """
            Object.defineProperty(navigator, 'clipboard', { configurable: true, value: {
              writeText: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
            } });
            """;

    @Test
    void theCopiedLinkPairsTheOtherPageAtOnceAndTheyChat() {
        BrowserContext aliceContext = e2e.newContext();
        aliceContext.grantPermissions(List.of("clipboard-read", "clipboard-write"));
        ChatPage alice = e2e.openChat(aliceContext, "");
        String aliceId = alice.awaitId();

        alice.page().getByTestId("copy-link").click();
        assertThat(alice.page().getByTestId("copy-link")).hasText("Copied");
        String link = (String) alice.page().evaluate("() => navigator.clipboard.readText()");
        assertThat(link)
                .isEqualTo(e2e.server()
                        .httpUri("/?pair=" + aliceId + "&loopback=1")
                        .toString());
        assertThat(alice.page().getByTestId("invite-link")).isHidden();

        ChatPage bob = ChatPage.openUrl(e2e.newContext(), link);
        String bobId = bob.awaitId();
        bob.awaitChatState("connected");
        alice.awaitChatState("connected");
        assertThat(bob.page()).hasURL(e2e.server().httpUri("/?loopback=1").toString()); // a reload does not pair again
        bob.send("came through your link");
        alice.awaitIncoming(bobId, "came through your link");
        alice.send("welcome");
        bob.awaitIncoming(aliceId, "welcome");
        assertThat(alice.consoleErrors()).isEmpty();
        assertThat(bob.consoleErrors()).isEmpty();
    }

    @Test
    void aRefusedClipboardShowsTheLinkSelectedAndInARoomTheLinkIsTheRooms() {
        BrowserContext aliceContext = e2e.newContext();
        aliceContext.addInitScript(REFUSING_CLIPBOARD);
        ChatPage alice = e2e.openChat(aliceContext, "");
        String aliceId = alice.awaitId();
        Page page = alice.page();

        page.getByTestId("copy-link").click();
        assertThat(page.getByTestId("copy-link")).hasText("Select & copy");
        assertThat(page.getByTestId("invite-link")).isVisible();
        assertThat(page.getByTestId("invite-link"))
                .hasValue(e2e.server()
                        .httpUri("/?pair=" + aliceId + "&loopback=1")
                        .toString());
        assertThat(page.getByTestId("invite-link")).isFocused();
        assertThat(page.evaluate("() => { const f = document.getElementById('invite-link'); "
                        + "return f.selectionStart === 0 && f.selectionEnd === f.value.length; }"))
                .isEqualTo(true);

        page.getByLabel("Room name").fill("crew");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join room"))
                .click();
        assertThat(page.locator("#chat-title")).hasText("# crew");
        alice.awaitId();
        String roomLink = e2e.server().httpUri("/?room=crew&loopback=1").toString();
        assertThat(page.getByTestId("invite-link")).hasValue(roomLink);
        page.getByTestId("copy-link").click();
        assertThat(page.getByTestId("invite-link")).isFocused();

        String link = page.getByTestId("invite-link").inputValue();
        ChatPage bob = ChatPage.openUrl(e2e.newContext(), link);
        String bobId = bob.awaitId();
        alice.awaitChatState("connected");
        bob.awaitChatState("connected");
        assertThat(bob.page().locator("#chat-title")).hasText("# crew");
        bob.send("joined by link");
        alice.awaitIncoming(bobId, "joined by link");
    }

    @Test
    void aLinkToAnIdThatIsGoneSaysSoAndLeavesThePageInTheLobby() {
        ChatPage bob = e2e.openChat("pair=nobody-has-this-id");
        bob.awaitId();
        assertThat(bob.systemMessages().last()).hasText(Pattern.compile("\\(peer_not_found\\)$"));
        bob.awaitChatState("waiting");
        assertThat(bob.page().getByLabel("Peer id")).isVisible();
    }
}
