package dev.rendezvous.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rendezvous.server.auth.JwtAuthenticator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWTs for tests: HS256 with any secret (also short ones), RS256/ES256 with a JWK, and deliberately
 * broken ones ({@code alg: none}).
 */
public final class Tokens {
    private Tokens() {}

    /** Claims for {@code sub}, valid from a minute ago for an hour. */
    public static JWTClaimsSet.Builder claims(String sub) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject(sub)
                .issueTime(Date.from(now.minus(Duration.ofMinutes(1))))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
    }

    /**
     * The server's HS256 authenticator for {@code secret}, requiring {@code issuer} and {@code audience}
     * when not null, with the default clock skew: what {@link #hs256} tokens are checked by.
     */
    public static JwtAuthenticator hmacAuthenticator(String secret, String issuer, String audience) {
        return JwtAuthenticator.hmac(
                secret.getBytes(StandardCharsets.UTF_8),
                new JwtAuthenticator.Options(issuer, audience, JwtAuthenticator.DEFAULT_CLOCK_SKEW));
    }

    /** An HS256 token (signed by hand, so secrets of any length work). */
    public static String hs256(String secret, JWTClaimsSet claims) {
        String signingInput = b64(header("HS256")) + "." + b64(claims.toString());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64URL.encode(sig);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token: {@code alg: none}, empty signature. */
    public static String unsigned(JWTClaimsSet claims) {
        return b64(header("none")) + "." + b64(claims.toString()) + ".";
    }

    public static String rs256(RSAKey key, JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, key.getKeyID(), claims, signer(() -> new RSASSASigner(key)));
    }

    public static String es256(ECKey key, JWTClaimsSet claims) {
        return sign(JWSAlgorithm.ES256, key.getKeyID(), claims, signer(() -> new ECDSASigner(key)));
    }

    private interface SignerFactory {
        JWSSigner create() throws JOSEException;
    }

    private static JWSSigner signer(SignerFactory f) {
        try {
            return f.create();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSAlgorithm alg, String kid, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static String header(String alg) {
        return "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}";
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
