package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerListener;
import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.files.FileSender;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a page holds while it receives a large file from a Java peer: the browser's resident memory (every
 * Chromium process this test started, summed from /proc, sampled every 200 ms) above what it held before
 * the transfer, with the page storing into OPFS and into memory (Blob parts), for two file sizes, and the
 * rate. Not a test: runs only with {@code -Drendezvous.bench=true} (docs/benchmarks.md) and writes
 * {@code e2e/target/benchmarks/browser-receive.md}. Bounded: {@code rendezvous.bench.mib} (default 256).
 */
@EnabledIfSystemProperty(named = "rendezvous.bench", matches = "true")
class FileTransferInBrowserBenchmark {
    private static final Duration WAIT = Duration.ofSeconds(600);
    private static final int MIB = Integer.getInteger("rendezvous.bench.mib", 256);

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(15)).withJavaPeers();

    @TempDir
    Path root;

    /** Resident memory of every Chromium process below this JVM, in KiB. */
    private static long browserRssKiB() {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().command().map(c -> c.contains("chromium")).orElse(false))
                .mapToLong(p -> {
                    try {
                        return Files.readAllLines(Path.of("/proc/" + p.pid() + "/status")).stream()
                                .filter(l -> l.startsWith("VmRSS:"))
                                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                                .sum();
                    } catch (IOException | RuntimeException gone) {
                        return 0;
                    }
                })
                .sum();
    }

    private static Path randomFile(Path file, int mib) throws IOException {
        byte[] block = new byte[1 << 20];
        Random random = new Random(mib);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mib; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        return file;
    }

    @Test
    void measure() throws Exception {
        List<String> rows = new ArrayList<>();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        for (int mib : new int[] {MIB / 4, MIB}) {
            Path file = randomFile(root.resolve("big-" + mib + ".bin"), mib);
            for (String storage : new String[] {"opfs", "memory"}) {
                BrowserContext context = e2e.newContext();
                CompletableFuture<String> open = new CompletableFuture<>();
                PeerOptions options = PeerOptions.lobby(e2e.server().lobbyUri())
                        .withLoopback(true)
                        .withRuntime(e2e.rtc());
                try (Peer java = Peer.connect(options, new PeerListener() {
                            @Override
                            public void onChannelOpen(String peerId) {
                                open.complete(peerId);
                            }
                        })
                        .get(30, TimeUnit.SECONDS)) {
                    ChatPage page = e2e.openChat(context, "files-storage=" + storage);
                    page.awaitId();
                    page.pairWith(java.id());
                    String pageId = open.get(30, TimeUnit.SECONDS);
                    page.awaitChatState("connected");
                    long before = browserRssKiB();
                    AtomicLong peak = new AtomicLong(before);
                    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
                    sampler.scheduleAtFixedRate(
                            () -> peak.accumulateAndGet(browserRssKiB(), Math::max), 0, 200, TimeUnit.MILLISECONDS);
                    long start = System.nanoTime();
                    try {
                        FileSender.send(
                                java, pageId, "file:bench", file, (n, bytes, size) -> {}, Duration.ofSeconds(120));
                    } finally {
                        sampler.shutdownNow();
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Locator link = page.page().getByTestId("file-download").last();
                    assertThat(link).isVisible();
                    assertThat(link.getAttribute("data-stored")).isEqualTo(storage);
                    long after = browserRssKiB();
                    rows.add(String.format(
                            Locale.ROOT,
                            "| %d MiB | %s | %.1f MiB/s | %d MiB | %d MiB (+%d) | %d MiB |",
                            mib,
                            storage,
                            mib / seconds,
                            before >> 10,
                            peak.get() >> 10,
                            (peak.get() - before) >> 10,
                            after >> 10));
                    page.page()
                            .evaluate(
                                    "async () => { const root = await navigator.storage.getDirectory();"
                                            + " await root.removeEntry('rendezvous-received', { recursive: true }).catch(() => {}); }");
                } finally {
                    context.close();
                }
            }
            Files.delete(file);
        }
        String table = "| file | page stores into | rate (hash first included) | browser RSS before | peak | after |\n"
                + "|---|---|---|---|---|---|\n" + String.join("\n", rows);
        System.out.println(table);
        Path out = Path.of("target", "benchmarks", "browser-receive.md");
        Files.createDirectories(out.getParent());
        Files.writeString(
                out,
                table + "\n\n/proc/loadavg before: " + loadBefore + ", after: "
                        + Files.readString(Path.of("/proc/loadavg")).trim() + "\n");
    }
}
