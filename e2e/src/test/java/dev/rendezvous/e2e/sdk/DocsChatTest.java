package dev.rendezvous.e2e.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.rendezvous.e2e.E2eFixture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The 20-line chat of {@code docs/sdk-js.md}, exactly as written there (only the server's address
 * changes), in two tabs as the doc says: the first tab waits (an empty answer to its prompt), the second
 * pastes the first one's id into its prompt; then each types a line and the other shows it.
 */
class DocsChatTest {
    private static final Pattern MY_ID = Pattern.compile("my id: (\\S+)");

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium();

    @Test
    void twoTabsOfTheDocumentedChatTalk() throws Exception {
        try (DocsExamples site = DocsExamples.serveExample(
                "A chat in 20 lines", 25, "chat.html", e2e.server().httpUri("/"))) {
            Page first = e2e.newPage();
            first.onDialog(dialog -> dialog.accept("")); // wait to be called
            first.navigate(site.url("chat.html"));
            String firstId = awaitId(first);

            Page second = e2e.newPage();
            AtomicReference<String> asked = new AtomicReference<>();
            second.onDialog(dialog -> {
                asked.set(dialog.message());
                dialog.accept(firstId);
            });
            second.navigate(site.url("chat.html"));
            String secondId = awaitId(second);
            assertThat(asked.get()).contains("Your id is " + secondId);

            second.waitForFunction(
                    "id => document.getElementById('log').textContent.includes('connected to ' + id)", firstId);
            first.waitForFunction(
                    "id => document.getElementById('log').textContent.includes('connected to ' + id)", secondId);

            type(second, "hello from the second tab");
            first.waitForFunction(
                    "() => document.getElementById('log').textContent.includes('them: hello from the second tab')");
            assertThat(log(second)).contains("me (sent): hello from the second tab");
            type(first, "and back");
            second.waitForFunction("() => document.getElementById('log').textContent.includes('them: and back')");
        }
    }

    private static String awaitId(Page page) {
        page.waitForFunction("() => /my id: \\S+/.test(document.getElementById('log').textContent)");
        Matcher m = MY_ID.matcher(log(page));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String log(Page page) {
        return page.locator("#log").textContent();
    }

    private static void type(Page page, String text) {
        page.locator("#text").fill(text);
        page.locator("#text").press("Enter");
    }
}
