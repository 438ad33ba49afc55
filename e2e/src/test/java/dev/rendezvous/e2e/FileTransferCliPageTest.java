package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import dev.rendezvous.testing.ChatProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Send a file between a page and a terminal", step by step with the real {@code rendezvous send}
 * and {@code rendezvous receive} processes and the page: terminal → page (a download link with the exact
 * bytes), and page → terminal (the page pairs with the code {@code receive} prints, drops a file, ends the
 * chat; {@code receive} saves the file and exits 0).
 */
class FileTransferCliPageTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(15));

    @TempDir
    Path root;

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void terminalToPageAndPageToTerminalAsTheReadmeShows() throws Exception {
        ChatPage page = e2e.openChat(""); // ?loopback=1, as the README opens it
        String pageId = page.awaitId();

        // ./rendezvous send report.pdf --pair <the page's id> --ice-loopback
        byte[] report = new byte[(1 << 20) + 17];
        new Random(17).nextBytes(report);
        Path file = Files.write(root.resolve("report.pdf"), report);
        try (ChatProcess send = ChatProcess.command(
                "send",
                file.toString(),
                "--pair",
                pageId,
                "--ice-loopback",
                "--server",
                e2e.server().lobbyUri().toString(),
                "--plain")) {
            send.awaitStatus("report.pdf: done");
            assertThat(send.awaitExit()).isZero();
        }
        assertThat(page.downloadHash("report.pdf")).isEqualTo(sha256(report));
        page.awaitChatState("waiting"); // send left once done: the page is free for the next peer

        // ./rendezvous receive --dir ~/Downloads --ice-loopback: prints its code; paste it under Pair
        Path downloads = Files.createDirectories(root.resolve("Downloads"));
        try (ChatProcess receive = ChatProcess.command(
                "receive",
                "--dir",
                downloads.toString(),
                "--ice-loopback",
                "--server",
                e2e.server().lobbyUri().toString(),
                "--plain")) {
            String code = receive.awaitStatus("* code: ")
                    .substring("* code: ".length())
                    .strip();
            page.pairWith(code);
            page.awaitChatState("connected");
            byte[] photos = new byte[(1 << 20) + 99];
            new Random(99).nextBytes(photos);
            page.page()
                    .getByTestId("file-input")
                    .setInputFiles(new FilePayload("photos.zip", "application/zip", photos));
            receive.awaitStatus("photos.zip: done");
            assertThat(Files.readAllBytes(downloads.resolve("photos.zip"))).isEqualTo(photos);
            page.page()
                    .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("End chat"))
                    .click();
            assertThat(receive.awaitExit()).isZero();
        }
        assertThat(page.consoleErrors()).isEmpty();
    }
}
