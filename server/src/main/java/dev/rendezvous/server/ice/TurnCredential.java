package dev.rendezvous.server.ice;

import java.time.Instant;

/**
 * A time-limited TURN credential in the TURN REST scheme.
 *
 * @param username {@code "<expiry unix seconds>:<client id>"}
 * @param password {@code base64(HMAC-SHA1(secret, username))}
 * @param expiresAt when the TURN server starts refusing it
 */
public record TurnCredential(String username, String password, Instant expiresAt) {

    @Override
    public String toString() {
        return "TurnCredential[username=" + username + ", password=***, expiresAt=" + expiresAt + "]";
    }
}
