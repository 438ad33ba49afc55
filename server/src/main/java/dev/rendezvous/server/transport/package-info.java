/**
 * The Netty side: the pipeline ({@link dev.rendezvous.server.transport.ServerInitializer}), HTTP routing
 * and the WebSocket upgrade ({@link dev.rendezvous.server.transport.HttpRequestHandler}), and the bridge
 * between one WebSocket channel and its protocol {@code Connection}
 * ({@link dev.rendezvous.server.transport.WebSocketSessionHandler}).
 *
 * <p>Threading: handlers run on their channel's event loop and never block. A session handler's
 * {@code send}/{@code close} may be called from any thread (the hub delivers from the sender's loop);
 * Netty orders writes issued from one thread.
 */
package dev.rendezvous.server.transport;
