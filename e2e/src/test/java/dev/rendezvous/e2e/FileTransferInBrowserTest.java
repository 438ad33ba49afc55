package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.FilePayload;
import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerListener;
import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.files.FileReceiver;
import dev.rendezvous.client.files.FileSender;
import dev.rendezvous.client.files.TransferProgress;
import dev.rendezvous.client.rtc.ChannelListener;
import dev.rendezvous.client.rtc.DataChannel;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.browser.BrowserExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The page and a Java peer exchange files both ways with the same protocol (sdk/files.js ↔ client.files). */
class FileTransferInBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final BrowserExtension browser = BrowserExtension.chromium(Duration.ofSeconds(15));
  @RegisterExtension
  final ServerExtension server = ServerExtension.create();

  @RegisterExtension
  static final SharedRtc rtc = new SharedRtc();

  @TempDir
  Path root;

  private BrowserContext context;

  @BeforeEach
  void newContext() {
    context = browser.newContext();
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /** A Java peer that accepts files into {@code dir} and reports each outcome as a line. */
  private Peer javaPeer(Path dir, BlockingQueue<String> outcomes, CompletableFuture<String> open) throws Exception {
    FileReceiver files = new FileReceiver(dir, false, new FileReceiver.Events() {
      @Override
      public void completed(String name, Path path, long size, String sha256) {
        outcomes.add("completed " + name + " " + sha256);
      }

      @Override
      public void failed(String name, String reason) {
        outcomes.add("failed " + name + ": " + reason);
      }
    });
    PeerOptions options = PeerOptions.lobby(server.lobbyUri()).withLoopback(true).withRuntime(rtc.runtime());
    return Peer.connect(options, new PeerListener() {
      @Override
      public void onChannelOpen(String peerId) {
        open.complete(peerId);
      }

      @Override
      public ChannelListener onRemoteChannel(String peerId, DataChannel channel) {
        return FileReceiver.isTransfer(channel) ? files.accept(channel) : null;
      }
    }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aPageAndAJavaPeerExchangeFilesBothWays() throws Exception {
    Path inbox = Files.createDirectories(root.resolve("inbox"));
    BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
    CompletableFuture<String> open = new CompletableFuture<>();
    try (Peer java = javaPeer(inbox, outcomes, open)) {
      ChatPage page = ChatPage.open(context, server.httpUri("/"), "");
      String pageId = page.awaitId();
      page.pairWith(java.id());
      assertThat(open.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(pageId);
      page.awaitChatState("connected");

      // page → Java: 3 MiB of random bytes with a unicode name, and an empty file
      byte[] data = new byte[3 << 20];
      new Random(18).nextBytes(data);
      String name = "Grüße 日本 ✓.bin";
      page.page().getByTestId("file-input").setInputFiles(new FilePayload[] {
          new FilePayload(name, "application/octet-stream", data),
          new FilePayload("empty.txt", "text/plain", new byte[0])});
      assertThat(outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("completed " + name + " " + sha256(data));
      assertThat(outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("completed empty.txt " + sha256(new byte[0]));
      assertThat(Files.readAllBytes(inbox.resolve(name))).isEqualTo(data);
      assertThat(page.page().getByTestId("file-transfer").filter(new Locator.FilterOptions().setHasText("empty.txt")))
          .containsText("SHA-256 verified by the receiver");

      // Java → page: the receiver verifies the hash, offers a download link with the exact bytes
      byte[] back = new byte[(1 << 20) + 123];
      new Random(81).nextBytes(back);
      Path file = Files.write(root.resolve("from java ✓.bin"), back);
      FileSender.Sent sent = FileSender.send(java, pageId, "file:1", file, TransferProgress.NONE, WAIT);
      assertThat(sent.sha256()).isEqualTo(sha256(back));
      Locator link = page.page().getByTestId("file-download").filter(new Locator.FilterOptions().setHasText("from java ✓.bin"));
      assertThat(link).isVisible();
      Object pageHash = page.page().evaluate("async (a) => {"
          + " const buffer = await (await fetch(a.href)).arrayBuffer();"
          + " const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));"
          + " return [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''); }", link.elementHandle());
      assertThat(pageHash).isEqualTo(sha256(back));
      assertThat(link.getAttribute("download")).isEqualTo("from java ✓.bin");

      // the page refuses a path trick from a Java sender with a clear reason
      DataChannel hostile = java.openChannel(pageId, "file:hostile", dev.rendezvous.client.rtc.ChannelOptions.RELIABLE,
          new ChannelListener() {
            @Override
            public void onMessage(DataChannel channel, String text) {
              outcomes.add("reply " + text);
            }
          });
      hostile.send("{\"type\":\"file\",\"name\":\"../evil\",\"size\":1,\"sha256\":\"" + "0".repeat(64) + "\"}");
      assertThat(outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).contains("refuse").contains("path separator");
      assertThat(page.consoleErrors()).isEmpty();
    }
  }
}
