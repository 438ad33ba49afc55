package dev.rendezvous.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One headless Debian Chromium per test class, launched exactly as {@code shared/notes/browser-tests.md}
 * prescribes: its flags only (Playwright's own defaults are switched off so that nothing overrides
 * {@code --disable-features}), a fresh profile directory, and Playwright never downloading a browser.
 */
final class Chromium implements AutoCloseable {

  static final Path EXECUTABLE = Paths.get("/usr/bin/chromium");

  /** The flags of browser-tests.md, without the profile directory (added per launch). */
  static final List<String> FLAGS = List.of(
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

  /** Media permission without a prompt or a device: the page then gathers 127.0.0.1 candidates. */
  static final List<String> FAKE_MEDIA_FLAGS = List.of(
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      "--allow-loopback-in-peer-connection");

  /**
   * Playwright's transport to the browser: with its default arguments off it needs these two
   * (a debugging pipe instead of a TCP port, and no initial window).
   */
  private static final List<String> PLAYWRIGHT_TRANSPORT_FLAGS = List.of(
      "--remote-debugging-pipe",
      "--no-startup-window");

  private final Playwright playwright;
  private final Browser browser;
  private final Path profile;

  private Chromium(Playwright playwright, Browser browser, Path profile) {
    this.playwright = playwright;
    this.browser = browser;
    this.profile = profile;
  }

  /**
   * Launches the browser, or skips the calling test class (an aborted assumption, as for coturn) when
   * Chromium is not installed or the test JVM is not in its loopback-only network namespace.
   */
  static Chromium launch() {
    assumeTrue(Files.isExecutable(EXECUTABLE),
        "Chromium is not installed at " + EXECUTABLE + " (./run-tests installs it when run as root)");
    assumeTrue(IsolatedNetworkTest.isolated(),
        "the test JVM is not in a loopback-only network namespace (see e2e/src/test/netns/bin/java)");
    Path profile = createProfileDirectory();
    List<String> args = new ArrayList<>(FLAGS);
    args.add("--user-data-dir=" + profile);
    args.addAll(FAKE_MEDIA_FLAGS);
    args.addAll(PLAYWRIGHT_TRANSPORT_FLAGS);
    Playwright playwright = Playwright.create(
        new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    try {
      Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
          .setExecutablePath(EXECUTABLE)
          .setHeadless(true)
          .setIgnoreAllDefaultArgs(true)
          .setArgs(args));
      return new Chromium(playwright, browser, profile);
    } catch (RuntimeException e) {
      playwright.close();
      deleteRecursively(profile);
      throw e;
    }
  }

  /** A fresh, isolated context (its own storage and downloads) at a desktop size. */
  BrowserContext newContext() {
    return browser.newContext(new Browser.NewContextOptions()
        .setViewportSize(1280, 800)
        .setAcceptDownloads(true));
  }

  String version() {
    return browser.version();
  }

  @Override
  public void close() {
    try {
      browser.close();
    } finally {
      playwright.close();
      deleteRecursively(profile);
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
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A leftover temp profile is harmless; the test result does not depend on it.
    }
  }
}
