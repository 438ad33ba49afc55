/**
 * ICE server configuration for clients: the configured STUN/TURN URLs and, for TURN with a shared
 * secret (coturn {@code use-auth-secret}, the "TURN REST" scheme), per-client time-limited credentials;
 * plus {@link dev.rendezvous.server.ice.StunProbe}, a minimal STUN/TURN client (RFC 5389 binding,
 * RFC 5766 allocation with the long-term credential mechanism) that {@code rendezvous doctor} and the
 * tests use to prove a TURN server accepts what we mint.
 *
 * <p>Threading: {@link dev.rendezvous.server.ice.IceConfig} and
 * {@link dev.rendezvous.server.ice.TurnCredentialMinter} are immutable and thread-safe, cheap enough to
 * call on a Netty event loop (one HMAC per call). {@link dev.rendezvous.server.ice.StunProbe} does
 * blocking socket I/O: never call it on an event loop.
 */
package dev.rendezvous.server.ice;
