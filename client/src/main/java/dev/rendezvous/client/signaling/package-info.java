/**
 * The protocol-v1 signaling client over the JDK's {@link java.net.http.WebSocket}: admission (with
 * optional JWT), lobby pairing, room presence, relay of offers/answers/candidates in either dialect,
 * keepalive answers.
 *
 * <p>Threading rule: {@link dev.rendezvous.client.signaling.SignalingListener} methods run one at a time,
 * in frame order, on the HTTP client's thread; a listener must not block there for long. Sends are
 * safe from any thread: they are chained, because the JDK WebSocket allows one outstanding send.
 */
package dev.rendezvous.client.signaling;
