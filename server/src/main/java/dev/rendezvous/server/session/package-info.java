/**
 * One client connection's protocol logic, independent of Netty: admission (with or without auth),
 * dispatch of each frame, relay stamping, keepalive, rate limiting and error replies. The transport
 * feeds a {@link dev.rendezvous.server.session.Connection} with frames and timer wake-ups; time is a
 * parameter, so the logic is tested without sockets or sleeps.
 *
 * <p>Threading: a {@code Connection} is confined to its channel's event loop (every {@code on…} call
 * comes from there). {@link dev.rendezvous.server.session.FrameScanner} instances are per thread.
 */
package dev.rendezvous.server.session;
