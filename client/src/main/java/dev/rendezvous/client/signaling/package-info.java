/**
 * The protocol-v1.1 signaling client over the JDK's {@link java.net.http.WebSocket}: admission (with
 * optional JWT), lobby pairing, room presence, relay of offers/answers/candidates in either dialect,
 * keepalive answers, and session resume (a lost connection is reconnected with backoff and the session
 * resumed; frames are counted and resent so that each is delivered once, in order, both ways).
 *
 * <p>Threading rule: {@link dev.rendezvous.client.signaling.SignalingListener} methods run one at a time
 * (one lock across the old connection and a resumed one), in frame order, on the HTTP client's thread
 * or on the shared signaling timer thread (resume attempts, the half-open watchdog); a listener must not
 * block there for long. Sends are safe from any thread: they are chained, because the JDK WebSocket
 * allows one outstanding send. Connection state is guarded by one lock that is never held while the
 * listener runs.
 */
package dev.rendezvous.client.signaling;
