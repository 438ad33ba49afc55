package dev.rendezvous.testing.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One headless Debian Chromium per test class, launched exactly as {@code shared/notes/browser-tests.md}
 * prescribes: its flags only (Playwright's own defaults are off so that nothing overrides
 * {@code --disable-features}), a fresh profile directory, fake camera and microphone with their
 * permission granted (Chromium then gathers 127.0.0.1 candidates), and Playwright never downloading a
 * browser. Every context a test opens through {@link #newContext} is closed as soon as the test method returns; the browser,
 * Playwright and the profile go after the class.
 *
 * <p>The class is skipped (an aborted assumption) when Chromium is not installed, or when the test JVM
 * is not in a loopback-only network namespace (the e2e module's JVM wrapper says so in
 * {@code RENDEZVOUS_E2E_NETNS}): without it Chromium would gather and use this machine's eth0 address.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BrowserExtension browser = BrowserExtension.chromium();
 *
 * @Test void chats() {
 *     Page page = browser.newContext().newPage();
 * }
 * }</pre>
 */
public final class BrowserExtension implements BeforeAllCallback, AfterTestExecutionCallback, AfterAllCallback {
    public static final Path EXECUTABLE = Paths.get("/usr/bin/chromium");

    /** The flags of browser-tests.md, without the profile directory (added per launch). */
    public static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--proxy-server=http://127.0.0.1:9",
            "--disable-features=WebRtcHideLocalIpsWithMdns");

    /** Media permission without a prompt, fake devices (and a fake screen to share). */
    public static final List<String> FAKE_MEDIA_FLAGS = List.of(
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--allow-loopback-in-peer-connection");

    /** Playwright's transport with its default arguments off: a debugging pipe, and no initial window. */
    private static final List<String> PLAYWRIGHT_TRANSPORT_FLAGS =
            List.of("--remote-debugging-pipe", "--no-startup-window");

    private final Duration assertionTimeout;
    private final List<String> omittedFlags;
    private final List<BrowserContext> contexts = new ArrayList<>();
    private Playwright playwright;
    private Browser browser;
    private Path profile;

    private BrowserExtension(Duration assertionTimeout, List<String> omittedFlags) {
        this.assertionTimeout = assertionTimeout;
        this.omittedFlags = List.copyOf(omittedFlags);
    }

    /** Chromium, with Playwright's auto-retrying assertions waiting up to 20 s (WebRTC set-up on a loaded machine). */
    public static BrowserExtension chromium() {
        return new BrowserExtension(Duration.ofSeconds(20), List.of());
    }

    /** The same, with another default assertion timeout. */
    public static BrowserExtension chromium(Duration assertionTimeout) {
        return new BrowserExtension(assertionTimeout, List.of());
    }

    /**
     * The same browser without some of {@link #FAKE_MEDIA_FLAGS}: e.g. without
     * {@code --allow-loopback-in-peer-connection}, Chromium gathers 127.0.0.1 only while the page holds a
     * media permission, as on a user's machine (tests of what a page does when it gathers nothing).
     */
    public BrowserExtension without(String... flags) {
        List<String> omitted = new ArrayList<>(omittedFlags);
        for (String flag : flags) {
            if (!FAKE_MEDIA_FLAGS.contains(flag)) throw new IllegalArgumentException("not an optional flag: " + flag);
            omitted.add(flag);
        }
        return new BrowserExtension(assertionTimeout, omitted);
    }

    /** Whether the e2e JVM wrapper put this JVM in its own loopback-only network namespace. */
    public static boolean isolated() {
        return "isolated".equals(System.getenv("RENDEZVOUS_E2E_NETNS"));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        assumeTrue(
                Files.isExecutable(EXECUTABLE),
                "Chromium is not installed at " + EXECUTABLE + " (./run-tests installs it when run as root)");
        assumeTrue(
                isolated(),
                "the test JVM is not in a loopback-only network namespace (see e2e/src/test/netns/bin/java)");
        PlaywrightAssertions.setDefaultAssertionTimeout(assertionTimeout.toMillis());
        profile = createProfileDirectory();
        List<String> args = new ArrayList<>(FLAGS);
        args.add("--user-data-dir=" + profile);
        FAKE_MEDIA_FLAGS.stream().filter(flag -> !omittedFlags.contains(flag)).forEach(args::add);
        args.addAll(PLAYWRIGHT_TRANSPORT_FLAGS);
        playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            browser = playwright
                    .chromium()
                    .launch(new BrowserType.LaunchOptions()
                            .setExecutablePath(EXECUTABLE)
                            .setHeadless(true)
                            .setIgnoreAllDefaultArgs(true)
                            .setArgs(args));
        } catch (RuntimeException e) {
            closeBrowser();
            throw e;
        }
    }

    /** A fresh, isolated context (its own storage and downloads) at a desktop size, closed after the test. */
    public BrowserContext newContext() {
        return newContext(1280, 800);
    }

    /** A fresh context with this viewport (e.g. 390×844 for a phone), closed after the test. */
    public BrowserContext newContext(int width, int height) {
        BrowserContext context = browser()
                .newContext(new Browser.NewContextOptions()
                        .setViewportSize(width, height)
                        .setAcceptDownloads(true));
        contexts.add(context);
        return context;
    }

    /** A page in a fresh desktop context. */
    public Page newPage() {
        return newContext().newPage();
    }

    public String version() {
        return browser().version();
    }

    /**
     * Right after the test method, before any {@code @AfterEach} and other extensions' after-each checks
     * (a server's leak check must see the pages gone).
     */
    @Override
    public void afterTestExecution(ExtensionContext context) {
        closeContexts();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeContexts();
        closeBrowser();
    }

    private Browser browser() {
        if (browser == null) {
            throw new IllegalStateException("the browser is not running: register BrowserExtension on a static field");
        }
        return browser;
    }

    private void closeContexts() {
        for (BrowserContext context : contexts) {
            try {
                context.close();
            } catch (RuntimeException e) {
                // Already gone with a crashed page: nothing left to release.
            }
        }
        contexts.clear();
    }

    private void closeBrowser() {
        try {
            if (browser != null) browser.close();
        } finally {
            browser = null;
            if (playwright != null) playwright.close();
            playwright = null;
            if (profile != null) deleteRecursively(profile);
            profile = null;
        }
    }

    private static Path createProfileDirectory() {
        try {
            return Files.createTempDirectory("rendezvous-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temp profile is harmless; no test result depends on it.
        }
    }
}
