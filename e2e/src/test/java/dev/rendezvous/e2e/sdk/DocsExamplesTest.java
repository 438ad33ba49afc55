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
 * The examples of {@code docs/sdk-js.md}, exactly as written there (only the server's address changes), each
 * served from another origin (a plain HTTP server on 127.0.0.1, as a developer's {@code python3 -m http.server}
 * would) and opened in two tabs as the doc says:
 *
 * <ul>
 *   <li>the 20-line chat: the first tab waits (an empty answer to its prompt), the second pastes the first
 *       one's id into its prompt; then each types a line and the other shows it;
 *   <li>the 30-line video call: two tabs press Join, each plays the other's video and decodes its frames
 *       ({@code framesDecoded} grows).
 * </ul>
 */
class DocsExamplesTest {
    private static final Pattern MY_ID = Pattern.compile("my id: (\\S+)");

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium();

    @Test
    void twoTabsOfTheDocumentedChatTalk() throws Exception {
        try (DocsExamples site = DocsExamples.serveExample(e2e.server(), "A chat in 20 lines", 25, "chat.html")) {
            Page first = e2e.newPage();
            first.onDialog(dialog -> dialog.accept("")); // wait to be called
            first.navigate(site.url());
            String firstId = awaitId(first);

            Page second = e2e.newPage();
            AtomicReference<String> asked = new AtomicReference<>();
            second.onDialog(dialog -> {
                asked.set(dialog.message());
                dialog.accept(firstId);
            });
            second.navigate(site.url());
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

    @Test
    void twoTabsOfTheDocumentedPageCallEachOther() throws Exception {
        try (DocsExamples site = DocsExamples.serveExample(e2e.server(), "A video call in 30 lines", 35, "call.html")) {
            Page ana = e2e.newPage();
            Page ben = e2e.newPage();
            for (Page page : new Page[] {ana, ben}) {
                // The page keeps its SDK private (a module's const): record the peer connections it makes,
                // to read the browser's own inbound video statistics.
                page.addInitScript(RECORD_PEER_CONNECTIONS);
                page.navigate(site.url());
                page.locator("#join").click();
            }
            for (Page page : new Page[] {ana, ben}) {
                // Two videos: yourself and the other tab, both playing.
                page.waitForFunction("() => { const v = [...document.querySelectorAll('#grid video')];"
                        + " return v.length === 2 && v.every((x) => x.videoWidth > 0 && x.currentTime > 0.5); }");
                // And the other's frames keep being decoded (framesDecoded grows).
                long decoded = framesDecoded(page);
                SdkPage.await().until(() -> framesDecoded(page) > decoded + 10);
            }
            ana.locator("#camera").click();
            assertThat(ana.locator("#camera").textContent()).isEqualTo("Camera on");
            // Ben still has Ana's tile (her audio), and it no longer carries video.
            ben.waitForFunction(
                    "() => { const v = [...document.querySelectorAll('#grid video')][1];"
                            + " return v && v.srcObject.getVideoTracks().length === 0 && v.srcObject.getAudioTracks().length === 1; }");
        }
    }

    private static final String RECORD_PEER_CONNECTIONS = """
            window.__pcs = [];
            const Native = window.RTCPeerConnection;
            window.RTCPeerConnection = class extends Native {
              constructor(...args) { super(...args); window.__pcs.push(this); }
            };
            """;

    /** A promise of the video frames this page decoded, from every peer connection it made. */
    private static final String FRAMES_DECODED = """
            Promise.all(window.__pcs.map((pc) => pc.getStats())).then((all) => { let n = 0;
              all.forEach((stats) => stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') n += s.framesDecoded ?? 0; }));
              return n; })""";

    private static long framesDecoded(Page page) {
        return ((Number) page.evaluate("() => " + FRAMES_DECODED)).longValue();
    }
}
