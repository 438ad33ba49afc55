/**
 * Shared test fixtures: {@link dev.rendezvous.testing.ServerExtension} (a real server on 127.0.0.1
 * port 0 per test, with a leak check after it), {@link dev.rendezvous.testing.WsRecorder} (a JDK
 * WebSocket client that records what it receives on a blocking queue) and
 * {@link dev.rendezvous.testing.RawWebSocket} (a hand-driven socket for what a polite client cannot do:
 * abrupt resets, not reading, malformed frames).
 *
 * <p>Threading: recorders are fed by the JDK client's threads and read by the test thread; every
 * wait has a deadline — nothing here sleeps.
 */
package dev.rendezvous.testing;
