/**
 * ICE server configuration for clients: the configured STUN/TURN URLs and, for TURN with a shared
 * secret (coturn {@code use-auth-secret}, the "TURN REST" scheme), per-client time-limited credentials.
 * The STUN/TURN probe that proves a TURN server accepts what we mint lives with {@code rendezvous doctor}
 * in the cli module.
 *
 * <p>Threading: {@link dev.rendezvous.server.ice.IceConfig} and
 * {@link dev.rendezvous.server.ice.TurnCredentialMinter} are immutable and thread-safe, cheap enough to
 * call on a Netty event loop (one HMAC per call).
 */
package dev.rendezvous.server.ice;
