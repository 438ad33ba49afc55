/**
 * WebRTC peer sessions over webrtc-java (libwebrtc): one {@link dev.rendezvous.client.rtc.PeerSession}
 * per remote peer with its {@link dev.rendezvous.client.rtc.DataChannel}s, the shared
 * {@link dev.rendezvous.client.rtc.RtcRuntime} (one factory, disposed once), loopback ICE mode, and safe
 * send ({@link dev.rendezvous.client.rtc.SendOutcome}). States are Rendezvous's own enums
 * ({@link dev.rendezvous.client.rtc.ConnectionState}, {@link dev.rendezvous.client.rtc.IceState},
 * {@link dev.rendezvous.client.rtc.ChannelState}).
 *
 * <p>Threading rule: webrtc-java calls us on its native threads; nothing here blocks them or runs user
 * code on them. Every callback only hands a task to the session's {@link dev.rendezvous.client.rtc.EventThread}
 * (its peer's, shared by the peer's sessions), which owns the peer connection and its channels and calls
 * the listeners (the one exception: a channel announced once that thread is gone is closed and disposed
 * right there, as neither call waits on webrtc-java's thread). {@code send} may be called from any thread;
 * a channel's outbound queue is guarded by its own monitor, which no webrtc callback takes. The runtime's
 * lock (register, create a connection, close, dispose) is never taken on webrtc-java's thread either.
 * Raising a socket's receive buffer ({@link dev.rendezvous.client.rtc.UdpReceiveBuffers}) reads {@code /proc}
 * on a virtual thread of its own, never on the event thread or webrtc-java's.
 */
package dev.rendezvous.client.rtc;
