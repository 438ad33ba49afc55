/**
 * WebRTC peer sessions over webrtc-java (libwebrtc): one {@link dev.rendezvous.client.rtc.PeerSession}
 * per remote peer, the shared {@link dev.rendezvous.client.rtc.RtcRuntime} (one factory, disposed once),
 * loopback ICE mode, and safe send ({@link dev.rendezvous.client.rtc.SendOutcome}).
 *
 * <p>Threading rule: webrtc-java calls us on one native thread; nothing here blocks it or runs user code
 * on it. Every callback only hands a task to the session's own single-threaded executor, which owns the
 * peer connection and calls {@link dev.rendezvous.client.rtc.PeerSessionListener}. {@code send} may be
 * called from any thread; the outbound queue is guarded by its own monitor, which no webrtc callback takes.
 */
package dev.rendezvous.client.rtc;
