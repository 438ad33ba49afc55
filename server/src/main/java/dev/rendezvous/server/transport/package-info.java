/**
 * The Netty side: the whole pipeline, HTTP stage and WebSocket stage, assembled in
 * {@link dev.rendezvous.server.transport.ServerInitializer}; routing by path
 * ({@link dev.rendezvous.server.transport.HttpRequestHandler}) to the WebSocket endpoints
 * ({@link dev.rendezvous.server.transport.WebSocketRoute}, the protocol's own is
 * {@link dev.rendezvous.server.transport.SignalingRoute}); the frame reader, in-place framing of outbound
 * text frames ({@link dev.rendezvous.server.transport.TextFrames}, which owns the header headroom), and the
 * bridge between one WebSocket channel and its protocol {@code Connection}
 * ({@link dev.rendezvous.server.transport.WebSocketSessionHandler}; what it shares with the PeerJS socket's handler
 * is in {@link dev.rendezvous.server.transport.AbstractWebSocketSession}).
 *
 * <p>Threading: handlers run on their channel's event loop and never block. A session handler's
 * {@code send}/{@code close} may be called from any thread (the hub delivers from the sender's loop);
 * Netty orders writes issued from one thread.
 */
package dev.rendezvous.server.transport;
