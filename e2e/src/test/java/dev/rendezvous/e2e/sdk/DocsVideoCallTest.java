package dev.rendezvous.e2e.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.rendezvous.e2e.E2eFixture;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The 30-line video call of {@code docs/sdk-js.md}, exactly as written there (only the server's address
 * changes), served from another origin (a plain HTTP server on 127.0.0.1, as a developer's
 * {@code python3 -m http.server} would): two tabs press Join, each plays the other's video and decodes its
 * frames ({@code framesDecoded} grows).
 */
class DocsVideoCallTest {
    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium();

    @Test
    void twoTabsOfTheDocumentedPageCallEachOther() throws IOException {
        try (DocsExamples site = DocsExamples.serveExample(
                "A video call in 30 lines", 35, "call.html", e2e.server().httpUri("/"))) {
            String url = site.url("call.html");
            Page ana = e2e.newPage();
            Page ben = e2e.newPage();
            for (Page page : new Page[] {ana, ben}) {
                // The page keeps its SDK private (a module's const): record the peer connections it makes,
                // to read the browser's own inbound video statistics.
                page.addInitScript(RECORD_PEER_CONNECTIONS);
                page.navigate(url);
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
