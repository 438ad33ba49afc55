package dev.rendezvous.e2e.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.browser.BrowserExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The 30-line video call of {@code docs/sdk-js.md}, exactly as written there (only the server's address
 * changes), served from another origin (a plain HTTP server on 127.0.0.1, as a developer's
 * {@code python3 -m http.server} would): two tabs press Join and each plays the other's video.
 */
class DocsVideoCallTest {
    private static final Path DOC = Path.of("../docs/sdk-js.md");

    @RegisterExtension
    static final BrowserExtension browser = BrowserExtension.chromium();

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    @Test
    void twoTabsOfTheDocumentedPageCallEachOther() throws IOException {
        String origin = server.httpUri("/").toString().replaceAll("/$", "");
        String html = videoCallExample().replace("http://127.0.0.1:8765", origin);
        HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        site.createContext("/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().equals("/call.html") ? html.getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(body.length > 0 ? 200 : 404, body.length > 0 ? body.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        site.start();
        try {
            String url = "http://127.0.0.1:" + site.getAddress().getPort() + "/call.html";
            Page ana = browser.newContext().newPage();
            Page ben = browser.newContext().newPage();
            for (Page page : new Page[] {ana, ben}) {
                page.navigate(url);
                page.locator("#join").click();
            }
            for (Page page : new Page[] {ana, ben}) {
                // Two videos: yourself and the other tab, both playing.
                page.waitForFunction("() => { const v = [...document.querySelectorAll('#grid video')];"
                        + " return v.length === 2 && v.every((x) => x.videoWidth > 0 && x.currentTime > 0.5); }");
            }
            ana.locator("#camera").click();
            assertThat(ana.locator("#camera").textContent()).isEqualTo("Camera on");
            // Ben still has Ana's tile (her audio), and it no longer carries video.
            ben.waitForFunction("() => { const v = [...document.querySelectorAll('#grid video')][1];"
                    + " return v && v.srcObject.getVideoTracks().length === 0 && v.srcObject.getAudioTracks().length === 1; }");
        } finally {
            site.stop(0);
        }
    }

    private static String videoCallExample() throws IOException {
        String doc = Files.readString(DOC);
        String section = doc.substring(doc.indexOf("## A video call in 30 lines"));
        Matcher block = Pattern.compile("```html\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertThat(block.find()).as("an html block in the video call section of %s", DOC).isTrue();
        return block.group(1);
    }
}
