/**
 * Shared test fixtures: {@link dev.rendezvous.testing.ServerExtension} (a real server on 127.0.0.1
 * port 0 per test, with a leak check after it), {@link dev.rendezvous.testing.ServerFixture} (one server
 * shared by a class's tests, for costly clients: SDK peers, CLI processes),
 * {@link dev.rendezvous.testing.WsRecorder} (a JDK
 * WebSocket client that records what it receives on a blocking queue) and
 * {@link dev.rendezvous.testing.RawWebSocket} (a hand-driven socket for what a polite client cannot do:
 * abrupt resets, not reading, malformed frames). Sub-packages: {@code browser} (Chromium through
 * Playwright as a JUnit extension), {@code coturn}, {@code redis}, {@code tls}.
 *
 * <p>Where the other fixtures live, and why not here: this module depends on the server (it starts
 * one), and the client's tests depend on this module, so a fixture that needs the code under test of
 * the server or the client cannot live here without a reactor cycle. The server's logic-test doubles
 * ({@code ManualTransport}, a transport whose clock the test drives; {@code RecordingLink}) stay in the
 * server's test sources, next to the package-private classes they stand in for. The client's
 * ({@code PeerProcess}, {@code RawChannelPair} and the recorders) stay in the
 * client's test sources and ship as the client's test-jar, which other modules (bench) use.
 *
 * <p>Threading: recorders are fed by the JDK client's threads and read by the test thread; every
 * wait has a deadline — nothing here sleeps.
 */
package dev.rendezvous.testing;
