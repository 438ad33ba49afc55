/**
 * Client authentication: the {@link dev.rendezvous.server.auth.Authenticator} contract and its JWT
 * implementation (Nimbus JOSE+JWT). Verifiers are immutable and thread-safe; a JWKS source may refresh
 * keys on its own thread, never on a Netty event loop.
 */
package dev.rendezvous.server.auth;
