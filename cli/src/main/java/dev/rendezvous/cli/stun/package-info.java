/**
 * A minimal STUN/TURN client (RFC 5389 binding, RFC 5766 allocation with the long-term credential
 * mechanism) for {@code rendezvous doctor}: does a STUN server answer, does a TURN server accept the
 * credential the server mints? It lives beside {@code doctor}, its only user; the server never probes.
 *
 * <p>Threading: {@link dev.rendezvous.cli.stun.StunProbe} does blocking socket I/O, one socket per call,
 * bounded by the call's timeout: never call it on an event loop. {@code StunMessage}
 * is a value codec, safe on any thread.
 */
package dev.rendezvous.cli.stun;
