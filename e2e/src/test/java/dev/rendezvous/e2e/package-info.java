/**
 * Browser end-to-end tests: the web client in Debian's Chromium (driven by Playwright for Java), against
 * the real server on 127.0.0.1 port 0, alone and together with Java peers. Each test class declares one
 * {@link E2eFixture}: the browser, a server per test and, where it needs them, Java peers' runtime and coturn.
 *
 * <p>Threading: Playwright objects are not thread-safe; each test drives its pages from the JUnit thread
 * only, and waits on conditions with deadlines (Playwright's auto-waiting assertions, Awaitility),
 * never on sleeps. Every WebRTC packet stays on 127.0.0.1: pages run in loopback mode ({@code ?loopback=1}).
 * Child processes (coturn, {@code rendezvous chat} in {@link dev.rendezvous.testing.ChatProcess}) are ended through
 * their own {@code Process} handles; their output is read by one daemon thread per stream into queues.
 */
package dev.rendezvous.e2e;
