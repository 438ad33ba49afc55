package dev.rendezvous.server.auth;

/**
 * Decides whether a bearer token admits a client. Implementations never throw: every failure is an
 * {@link AuthResult.Refused} with a reason safe to log (it never contains the token).
 *
 * <p>Called off the Netty event loop when verification may block (a JWKS fetched over HTTP); pure
 * in-memory verifiers may be called anywhere. Thread-safe.
 */
public interface Authenticator {

    /** Verifies {@code token}; never null, never throws. */
    AuthResult authenticate(String token);
}
