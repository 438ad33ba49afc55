/**
 * The browser SDK ({@code /sdk/rendezvous.js}) in real Chromium: chat with the Java CLI, calls with
 * renegotiation, glare and ICE restart, a room of video calls, the demo page's call UI, and its TypeScript
 * types. Each test class declares one {@link dev.rendezvous.e2e.E2eFixture} (browser, server and what else it
 * needs).
 *
 * <p>Threading: Playwright objects are used from the test thread only; every wait polls on that thread
 * with a deadline.
 */
package dev.rendezvous.e2e.sdk;
