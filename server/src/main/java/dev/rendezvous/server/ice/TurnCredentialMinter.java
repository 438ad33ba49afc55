package dev.rendezvous.server.ice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints TURN REST credentials that coturn accepts with {@code use-auth-secret} and
 * {@code static-auth-secret=<secret>}: the username carries its own expiry, the password is an HMAC of
 * the username, so the TURN server verifies it with no shared state and a page that leaks it leaks
 * nothing that lasts. Immutable and thread-safe.
 */
public final class TurnCredentialMinter {

    private static final String HMAC_SHA1 = "HmacSHA1";

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param secret the secret shared with the TURN server ({@code static-auth-secret}), UTF-8
     * @param ttl how long each credential stays valid; positive
     * @param clock the time source (tests pass a fixed clock)
     */
    public TurnCredentialMinter(String secret, Duration ttl, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the TURN secret is empty");
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("the TURN credential TTL must be at least 1 s, got " + ttl);
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA1);
        this.ttl = ttl;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The credential for {@code clientId}, valid from now for the TTL. */
    public TurnCredential mint(String clientId) {
        return mint(clientId, null);
    }

    /**
     * The credential for {@code clientId}, valid from now for the TTL but never past {@code notAfter} (the
     * token it was given for expires then; null: no such bound). A token without {@code exp} gets the TTL.
     */
    public TurnCredential mint(String clientId, Instant notAfter) {
        Instant until = clock.instant().plus(ttl);
        if (notAfter != null && notAfter.isBefore(until)) {
            until = notAfter;
        }
        Instant expiresAt = until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // rounds down: never past it
        String username = expiresAt.getEpochSecond() + ":" + clientId;
        return new TurnCredential(username, sign(username), expiresAt);
    }

    /** {@code base64(HMAC-SHA1(secret, username))}: the password coturn expects for {@code username}. */
    public String sign(String username) {
        try {
            // Mac instances are not thread-safe; a fresh one per call costs far less than the network hop.
            Mac mac = Mac.getInstance(HMAC_SHA1);
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
    }

    public Duration ttl() {
        return ttl;
    }
}
