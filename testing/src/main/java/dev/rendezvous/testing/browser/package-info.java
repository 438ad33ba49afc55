/**
 * A real Chromium for tests: {@link dev.rendezvous.testing.browser.BrowserExtension} launches one headless
 * Debian Chromium per test class with exactly the flags of {@code shared/notes/browser-tests.md} (loopback
 * ICE, fake camera and microphone) and closes what each test opened.
 *
 * <p>Threading: Playwright objects are not thread-safe; use them from the test thread only. Playwright
 * is an optional dependency of this module: a module using this package declares it itself.
 */
package dev.rendezvous.testing.browser;
