/**
 * Plain HTTP on the WebSocket port: {@code GET /healthz}, the static web client from the classpath
 * ({@code web/}), and extra endpoints plugged in by configuration (metrics, ICE servers).
 *
 * <p>Threading: everything here runs on Netty event loops and must not block; static files are read
 * from the classpath once and cached.
 */
package dev.rendezvous.server.http;
