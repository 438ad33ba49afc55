/**
 * The signaling server's entry points: {@link dev.rendezvous.server.ServerConfig} (every setting with
 * its default) and {@link dev.rendezvous.server.SignalingServer} (start, address, graceful close).
 *
 * <p>Threading: {@code SignalingServer} methods are thread-safe; the server's work runs on its Netty
 * event loops (one per core), never on the caller's thread.
 */
package dev.rendezvous.server;
