/**
 * The browser SDK ({@code /sdk/rendezvous.js}) in real Chromium: chat with the Java CLI, calls with
 * renegotiation, glare and ICE restart, a room of video calls, the demo page's call UI, and its TypeScript
 * types. New code here is 4-space indented (the older e2e package keeps its 2 spaces).
 *
 * <p>Threading: Playwright objects are used from the test thread only; every wait polls on that thread
 * with a deadline.
 */
package dev.rendezvous.e2e.sdk;
