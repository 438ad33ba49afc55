package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.FilePayload;
import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerListener;
import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.files.FileReceiver;
import dev.rendezvous.client.files.FileSender;
import dev.rendezvous.client.files.FileTransferException;
import dev.rendezvous.client.files.HandSender;
import dev.rendezvous.client.files.TransferProgress;
import dev.rendezvous.client.rtc.ChannelListener;
import dev.rendezvous.client.rtc.ChannelOptions;
import dev.rendezvous.client.rtc.DataChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page and a Java peer exchange files both ways with the same protocol (sdk/files.js ↔ client.files):
 * 0 bytes, 1 byte, 10 MiB random, a unicode name, hashes checked on both sides; an interrupted transfer
 * resumes from the bytes the receiver kept, both ways, with the page storing into OPFS and into memory;
 * a hostile Java sender is refused by the page and leaves nothing in the page's storage.
 */
class FileTransferInBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * The file cut after 2 MiB: larger than 2 MiB plus the sender's window ({@code FileSender.WINDOW}, 8 MiB),
     * so the sender cannot have sent it all when the cut comes, however fast the receiver writes.
     */
    private static final int RESUMED_BYTES = 24 << 20;

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(15)).withJavaPeers();

    @TempDir
    Path root;

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** What the Java peer saw: outcomes as lines, {@code started} events as "name offset", the last transfer channel. */
    private static final class JavaSide {
        final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
        final BlockingQueue<String> started = new LinkedBlockingQueue<>();
        final CompletableFuture<String> open = new CompletableFuture<>();
        final AtomicReference<DataChannel> lastTransfer = new AtomicReference<>();
        /** Set: the next transfer's channel is closed by the Java side once this many bytes are written. */
        final AtomicReference<Long> cutAt = new AtomicReference<>();
    }

    /** A Java peer that accepts files into {@code dir} and reports what it sees to {@code side}. */
    private Peer javaPeer(Path dir, JavaSide side) throws Exception {
        FileReceiver files = new FileReceiver(dir, false, new FileReceiver.Events() {
            @Override
            public void started(String name, long size, long offset) {
                side.started.add(name + " " + offset);
            }

            @Override
            public void progress(String name, long bytes, long size) {
                Long cut = side.cutAt.get();
                if (cut != null && bytes >= cut && side.cutAt.compareAndSet(cut, null)) {
                    side.lastTransfer.get().close(); // the link drops mid-transfer
                }
            }

            @Override
            public void completed(String name, Path path, long size, String sha256) {
                side.outcomes.add("completed " + name + " " + sha256);
            }

            @Override
            public void failed(String name, String reason) {
                side.outcomes.add("failed " + name + ": " + reason);
            }
        });
        PeerOptions options =
                PeerOptions.lobby(e2e.server().lobbyUri()).withLoopback(true).withRuntime(e2e.rtc());
        return Peer.connect(options, new PeerListener() {
                    @Override
                    public void onChannelOpen(String peerId) {
                        side.open.complete(peerId);
                    }

                    @Override
                    public ChannelListener onRemoteChannel(String peerId, DataChannel channel) {
                        if (!FileReceiver.isTransfer(channel)) return null;
                        side.lastTransfer.set(channel);
                        return files.accept(channel);
                    }
                })
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Opens the chat page (with {@code query}), pairs it with {@code java} and returns it connected. */
    private ChatPage pairedPage(Peer java, JavaSide side, String query) throws Exception {
        ChatPage page = e2e.openChat(query);
        String pageId = page.awaitId();
        page.pairWith(java.id());
        assertThat(side.open.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(pageId);
        page.awaitChatState("connected");
        return page;
    }

    /** Names in the page's OPFS directory of received files (none if it was never made). */
    @SuppressWarnings("unchecked")
    private static List<String> opfsEntries(ChatPage page) {
        return (List<String>)
                page.page()
                        .evaluate(
                                "async () => {"
                                        + " const root = await navigator.storage.getDirectory();"
                                        + " let dir; try { dir = await root.getDirectoryHandle('rendezvous-received'); } catch { return []; }"
                                        + " const names = []; for await (const name of dir.keys()) names.push(name); return names.sort(); }");
    }

    @Test
    void aPageAndAJavaPeerExchangeFilesBothWays() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        JavaSide side = new JavaSide();
        BlockingQueue<String> outcomes = side.outcomes;
        try (Peer java = javaPeer(inbox, side)) {
            ChatPage page = pairedPage(java, side, "");
            String pageId = side.open.get();

            // page → Java: 10 MiB of random bytes with a unicode name, an empty file and a 1-byte one
            byte[] data = new byte[10 << 20];
            new Random(18).nextBytes(data);
            String name = "Grüße 日本 ✓.bin";
            page.page().getByTestId("file-input").setInputFiles(new FilePayload[] {
                new FilePayload(name, "application/octet-stream", data),
                new FilePayload("empty.txt", "text/plain", new byte[0]),
                new FilePayload("one.bin", "application/octet-stream", new byte[] {7})
            });
            assertThat(outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo("completed " + name + " " + sha256(data));
            assertThat(outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo("completed empty.txt " + sha256(new byte[0]));
            assertThat(outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo("completed one.bin " + sha256(new byte[] {7}));
            assertThat(Files.readAllBytes(inbox.resolve("one.bin"))).containsExactly(7);
            assertThat(Files.readAllBytes(inbox.resolve(name))).isEqualTo(data);
            assertThat(page.page()
                            .getByTestId("file-transfer")
                            .filter(new Locator.FilterOptions().setHasText("empty.txt")))
                    .containsText("SHA-256 verified by the receiver");

            // Java → page: the receiver verifies the hash, offers a download link with the exact bytes
            byte[] back = new byte[(1 << 20) + 123];
            new Random(81).nextBytes(back);
            Path file = Files.write(root.resolve("from java ✓.bin"), back);
            FileSender.Sent sent = FileSender.send(java, pageId, "file:1", file, TransferProgress.NONE, WAIT);
            assertThat(sent.sha256()).isEqualTo(sha256(back));
            assertThat(page.downloadHash("from java ✓.bin")).isEqualTo(sha256(back));
            Locator link = page.page()
                    .getByTestId("file-download")
                    .filter(new Locator.FilterOptions().setHasText("from java ✓.bin"));
            assertThat(link.getAttribute("download")).isEqualTo("from java ✓.bin");
            assertThat(link.getAttribute("data-stored")).isEqualTo("opfs"); // on disk, not in the page's memory

            // Java → page: 10 MiB random, 1 byte and 0 bytes, each verified by the page and served intact
            byte[] ten = new byte[10 << 20];
            new Random(1018).nextBytes(ten);
            for (var entry : Map.of("ten ✓.bin", ten, "one byte.bin", new byte[] {42}, "nothing.bin", new byte[0])
                    .entrySet()) {
                Path out = Files.write(root.resolve(entry.getKey()), entry.getValue());
                assertThat(FileSender.send(java, pageId, "file:" + entry.getKey(), out, TransferProgress.NONE, WAIT)
                                .sha256())
                        .isEqualTo(sha256(entry.getValue()));
                assertThat(page.downloadHash(entry.getKey())).isEqualTo(sha256(entry.getValue()));
            }

            // the page refuses a path trick from a Java sender with a clear reason
            HandSender hostile = new HandSender(java, pageId, "file:hostile", WAIT);
            hostile.meta("../evil", 1, "0".repeat(64));
            assertThat(hostile.reply()).contains("refuse").contains("path separator");
            assertThat(page.consoleErrors()).isEmpty();
        }
    }

    /** Java → page, cut by the Java side after 2 MiB acknowledged: sent again, it resumes from what the page kept. */
    private void javaToPageResumes(String query, String expectedStorage) throws Exception {
        JavaSide side = new JavaSide();
        try (Peer java = javaPeer(Files.createDirectories(root.resolve("unused")), side)) {
            ChatPage page = pairedPage(java, side, query);
            String pageId = side.open.get();
            byte[] data = new byte[RESUMED_BYTES];
            new Random(6).nextBytes(data);
            Path file = Files.write(root.resolve("resume ✓.bin"), data);
            AtomicReference<DataChannel> channel = new AtomicReference<>();
            AtomicBoolean cut = new AtomicBoolean();
            assertThatThrownBy(() -> FileSender.send(
                            listener -> {
                                DataChannel c = java.openChannel(pageId, "file:cut", ChannelOptions.RELIABLE, listener);
                                channel.set(c);
                                return c;
                            },
                            file,
                            (name, bytes, size) -> {
                                if (bytes >= (2 << 20) && cut.compareAndSet(false, true)) {
                                    channel.get().close(); // the link drops mid-transfer
                                }
                            },
                            WAIT))
                    .isInstanceOf(FileTransferException.class);
            assertThat(page.page()
                            .getByTestId("file-transfer")
                            .filter(new Locator.FilterOptions().setHasText("resume ✓.bin"))
                            .first())
                    .containsText("kept to resume");

            FileSender.Sent sent = FileSender.send(java, pageId, "file:again", file, TransferProgress.NONE, WAIT);
            assertThat(sent.resumedFrom()).isBetween(2L << 20, RESUMED_BYTES - 1L);
            assertThat(page.downloadHash("resume ✓.bin")).isEqualTo(sha256(data));
            assertThat(page.page()
                            .getByTestId("file-download")
                            .filter(new Locator.FilterOptions().setHasText("resume ✓.bin"))
                            .getAttribute("data-stored"))
                    .isEqualTo(expectedStorage);
            if (expectedStorage.equals("opfs")) {
                assertThat(opfsEntries(page)).containsExactly("resume ✓.bin"); // the part file became the file
            }
            assertThat(page.consoleErrors()).isEmpty();
        }
    }

    @Test
    void aTransferToThePageCutMidwayResumesFromTheBytesInOpfs() throws Exception {
        javaToPageResumes("", "opfs");
    }

    @Test
    void aTransferToThePageCutMidwayResumesFromTheBytesInMemoryWithoutOpfs() throws Exception {
        javaToPageResumes("files-storage=memory", "memory");
    }

    @Test
    void aTransferFromThePageCutMidwayResumesFromTheBytesTheJavaPeerKept() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        JavaSide side = new JavaSide();
        try (Peer java = javaPeer(inbox, side)) {
            ChatPage page = pairedPage(java, side, "");
            byte[] data = new byte[RESUMED_BYTES];
            new Random(60).nextBytes(data);
            FilePayload payload = new FilePayload("from page.bin", "application/octet-stream", data);
            side.cutAt.set(2L << 20);
            page.page().getByTestId("file-input").setInputFiles(payload);
            assertThat(side.started.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("from page.bin 0");
            assertThat(side.outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .startsWith("failed from page.bin: interrupted at");
            assertThat(page.page()
                            .getByTestId("file-transfer")
                            .filter(new Locator.FilterOptions().setHasText("from page.bin"))
                            .first())
                    .containsText("not sent: the receiver closed the transfer");
            long kept = Files.size(inbox.resolve("from page.bin.part"));
            assertThat(kept).isBetween(2L << 20, RESUMED_BYTES - 1L);

            page.page().getByTestId("file-input").setInputFiles(payload); // the user sends it again
            assertThat(side.started.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("from page.bin " + kept);
            assertThat(side.outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo("completed from page.bin " + sha256(data));
            assertThat(Files.readAllBytes(inbox.resolve("from page.bin"))).isEqualTo(data);
            assertThat(Files.exists(inbox.resolve("from page.bin.part"))).isFalse();
            assertThat(page.consoleErrors()).isEmpty();
        }
    }

    @Test
    void aHostileJavaSenderIsRefusedClearlyAndLeavesNothingInThePagesStorage() throws Exception {
        JavaSide side = new JavaSide();
        try (Peer java = javaPeer(Files.createDirectories(root.resolve("unused")), side)) {
            ChatPage page = pairedPage(java, side, "");
            String pageId = side.open.get();
            byte[] evil = "evil".getBytes(StandardCharsets.US_ASCII);

            HandSender traversal = new HandSender(java, pageId, "file:h1", WAIT);
            traversal.meta("../escaped", evil.length, sha256(evil));
            assertThat(traversal.reply()).contains("refuse").contains("path separator");

            HandSender device = new HandSender(java, pageId, "file:h2", WAIT);
            device.meta("CON", evil.length, sha256(evil));
            assertThat(device.reply()).contains("refuse").contains("device name");

            HandSender wrongHash = new HandSender(java, pageId, "file:h3", WAIT);
            wrongHash.meta("hash.txt", evil.length, sha256("good".getBytes(StandardCharsets.US_ASCII)));
            assertThat(wrongHash.reply()).isEqualTo("{\"type\":\"accept\",\"offset\":0}");
            wrongHash.channel.send(evil);
            wrongHash.channel.send("{\"type\":\"end\"}");
            assertThat(wrongHash.reply()).contains("SHA-256 mismatch");

            HandSender tooLong = new HandSender(java, pageId, "file:h4", WAIT);
            tooLong.meta("size.txt", 2, sha256(evil));
            tooLong.reply();
            tooLong.channel.send(evil);
            assertThat(tooLong.reply()).contains("more bytes than the announced size 2");

            HandSender wrongSize = new HandSender(java, pageId, "file:h5", WAIT);
            wrongSize.meta("short.txt", 100, sha256(evil));
            wrongSize.reply();
            wrongSize.channel.send(evil);
            wrongSize.channel.send("{\"type\":\"end\"}");
            assertThat(wrongSize.reply()).contains("ended at 4 of the announced 100");

            HandSender early = new HandSender(java, pageId, "file:h6", WAIT);
            early.channel.send(evil);
            assertThat(early.reply()).contains("data before metadata");

            HandSender flood = new HandSender(java, pageId, "file:h7", WAIT);
            for (int i = 0; i < 200; i++) {
                flood.meta("flood-" + i, 1, sha256(evil));
            }
            // The page opens its storage for the first metadata asynchronously: its accept may go out before
            // or after the refusal of the second; what the flood must get is the refusal, and nothing else.
            String floodReply = flood.reply();
            if (floodReply.equals("{\"type\":\"accept\",\"offset\":0}")) {
                floodReply = flood.reply();
            }
            assertThat(floodReply).contains("metadata already received");

            for (HandSender h : List.of(traversal, device, wrongHash, tooLong, wrongSize, early, flood)) {
                h.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(opfsEntries(page))
                            .as("console errors: %s", page.consoleErrors())
                            .isEmpty());
            assertThat(page.consoleErrors()).isEmpty();
            assertThat(page.page().getByTestId("file-download")).hasCount(0);

            // The page carries on: a good transfer still goes through on the same connection.
            Path good = Files.writeString(root.resolve("after.txt"), "still fine");
            FileSender.send(java, pageId, "file:good", good, TransferProgress.NONE, WAIT);
            assertThat(page.downloadHash("after.txt")).isEqualTo(sha256("still fine".getBytes(StandardCharsets.UTF_8)));
        }
    }
}
