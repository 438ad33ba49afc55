/**
 * WebRTC peer sessions over webrtc-java (libwebrtc): one {@link dev.rendezvous.client.rtc.PeerSession}
 * per remote peer, the shared {@link dev.rendezvous.client.rtc.RtcRuntime} (one factory, disposed once),
 * loopback ICE mode, and safe send ({@link dev.rendezvous.client.rtc.SendOutcome}).
 *
 * <p>Threading rule: webrtc-java calls us on one native thread; nothing here blocks it or runs user code
 * on it. Every callback only hands a task to the session's own single-threaded executor, which owns the
 * peer connection and calls {@link dev.rendezvous.client.rtc.PeerSessionListener} (the one exception: a
 * channel announced after its session closed is closed and disposed right there, as neither call waits on
 * that thread). {@code send} may be called from any thread; the outbound queue is guarded by its own
 * monitor, which no webrtc callback takes. The runtime's lock (register, create a connection, close,
 * dispose) is never taken on webrtc-java's thread either.
 */
package dev.rendezvous.client.rtc;
