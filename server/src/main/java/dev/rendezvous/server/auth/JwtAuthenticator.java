package dev.rendezvous.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies JWT bearer tokens with Nimbus JOSE+JWT: HS256 with a shared secret, or RS256/ES256 (and
 * their 384/512 and PS variants) with keys from a JWKS file or URL. Unsigned ({@code alg: none}) and
 * encrypted tokens are refused; {@code exp} and {@code nbf} are checked with a small clock skew;
 * {@code iss} and {@code aud} when configured. The user is {@code preferred_username}, else
 * {@code name}, else {@code sub}; an optional {@code rooms} claim (array of names, or one string)
 * limits the rooms the token may join.
 *
 * <p>Immutable and thread-safe. A JWKS URL is fetched (and cached, refreshed on unknown key ids) on the
 * calling thread, so call it off the event loop, as the {@link Authenticator} contract says.
 */
public final class JwtAuthenticator implements Authenticator {

    /** Allowed difference between our clock and the issuer's for {@code exp}/{@code nbf}. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(5);

    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);

    /**
     * @param issuer required {@code iss}, or null
     * @param audience required {@code aud} entry, or null
     * @param clockSkew tolerance for {@code exp}/{@code nbf}
     * @param clientIdBinding which ids a token without a {@code client_id} claim may take
     * @param requireExp refuse tokens without {@code exp} (a token without one is good forever)
     */
    public record Options(
            String issuer, String audience, Duration clockSkew, ClientIdBinding clientIdBinding, boolean requireExp) {
        public Options {
            Objects.requireNonNull(clockSkew, "clockSkew");
            Objects.requireNonNull(clientIdBinding, "clientIdBinding");
            issuer = issuer == null || issuer.isEmpty() ? null : issuer;
            audience = audience == null || audience.isEmpty() ? null : audience;
        }

        /** No id binding beyond the claim, {@code exp} optional. */
        public Options(String issuer, String audience, Duration clockSkew) {
            this(issuer, audience, clockSkew, ClientIdBinding.NONE, false);
        }

        public static Options defaults() {
            return new Options(null, null, DEFAULT_CLOCK_SKEW);
        }
    }

    /**
     * The shortest HS256 secret {@code rendezvous serve} and {@code rendezvous token} accept: 32 bytes, the
     * output size of SHA-256 (RFC 7518 §3.2 asks at least that for HS256). {@link #hmac} itself takes shorter
     * ones, for embedders and tests that decide for themselves.
     */
    public static final int MIN_SECRET_BYTES = 32;

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final ClientIdBinding clientIdBinding;

    private JwtAuthenticator(JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms, Options options) {
        clientIdBinding = options.clientIdBinding();
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        processor.setJWSVerifierFactory(new AnyLengthHmacVerifierFactory());
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (options.issuer() != null) {
            exact.issuer(options.issuer());
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                // Nimbus asks these sets contains(null): Set.of would throw, so use the Collections ones.
                options.audience() == null ? null : Collections.singleton(options.audience()),
                exact.build(),
                options.requireExp() ? Collections.singleton("exp") : Collections.emptySet(),
                Collections.emptySet());
        claims.setMaxClockSkew((int) options.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** HS256 tokens signed with {@code secret}. Secrets shorter than 32 bytes work but are weak. */
    public static JwtAuthenticator hmac(byte[] secret, Options options) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("the JWT secret is empty");
        }
        return new JwtAuthenticator(new ImmutableSecret<>(secret.clone()), Set.of(JWSAlgorithm.HS256), options);
    }

    /** Asymmetric tokens verified with the keys of a JWKS file path or {@code http(s)://} URL. */
    public static JwtAuthenticator jwks(String fileOrUrl, Options options) throws IOException, ParseException {
        JWKSource<SecurityContext> source;
        if (fileOrUrl.startsWith("http://") || fileOrUrl.startsWith("https://")) {
            URL url = URI.create(fileOrUrl).toURL();
            source = JWKSourceBuilder.create(url).retrying(true).build();
        } else {
            source = new ImmutableJWKSet<>(JWKSet.load(new File(fileOrUrl)));
        }
        return new JwtAuthenticator(source, ASYMMETRIC, options);
    }

    /** Asymmetric tokens verified with an in-memory key set. */
    public static JwtAuthenticator jwks(JWKSet keys, Options options) {
        return new JwtAuthenticator(new ImmutableJWKSet<>(keys), ASYMMETRIC, options);
    }

    @Override
    public AuthResult authenticate(String token) {
        if (token == null || token.isBlank()) {
            return new AuthResult.Refused("the token is empty");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            return new AuthResult.Refused("the token is not a JWT");
        } catch (BadJOSEException e) {
            return new AuthResult.Refused(reason(e));
        } catch (JOSEException | RuntimeException e) {
            return new AuthResult.Refused("the token could not be verified");
        }
        String user = firstString(claims, "preferred_username", "name", "sub");
        if (user == null) {
            return new AuthResult.Refused("the token names no user (preferred_username, name or sub)");
        }
        // A string client_id claim binds the token to that id; any other value is no binding.
        Optional<String> clientId = claims.getClaim("client_id") instanceof String bound && !bound.isEmpty()
                ? Optional.of(bound)
                : Optional.empty();
        Optional<String> subject = Optional.empty();
        if (clientIdBinding == ClientIdBinding.SUBJECT && clientId.isEmpty()) {
            String sub = claims.getSubject();
            if (sub == null || sub.isBlank()) {
                return new AuthResult.Refused("the token has no subject (sub), and this server binds client ids to it");
            }
            subject = Optional.of(sub);
        }
        Optional<java.time.Instant> expiresAt =
                Optional.ofNullable(claims.getExpirationTime()).map(java.util.Date::toInstant);
        Object rooms = claims.getClaim("rooms");
        Optional<Set<String>> allowed;
        if (rooms == null) {
            allowed = Optional.empty();
        } else if (rooms instanceof String one) {
            allowed = Optional.of(Set.of(one));
        } else if (rooms instanceof Collection<?> list && list.stream().allMatch(String.class::isInstance)) {
            Set<String> names = new HashSet<>();
            list.forEach(r -> names.add((String) r));
            allowed = Optional.of(names);
        } else {
            return new AuthResult.Refused("the rooms claim must be a list of room names");
        }
        return new AuthResult.Admitted(user, allowed, clientId, subject, expiresAt);
    }

    private static String reason(BadJOSEException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("missing required claims") && m.contains("exp")) { // before "iss": "missing" holds it
            return "the token has no expiry (exp), which this server requires";
        }
        if (m.contains("Expired")) {
            return "the token has expired";
        }
        if (m.contains("before use time")) {
            return "the token is not valid yet (nbf)";
        }
        if (m.contains("aud")) { // "JWT audience rejected", "JWT missing required audience"
            return "the token's audience is not accepted";
        }
        if (m.contains("iss")) { // "JWT \"iss\" claim has value ..., must be ...", "missing required claims: [iss]"
            return "the token's issuer is not accepted";
        }
        if (m.contains("plain") || m.contains("Unsecured")) {
            return "unsigned tokens are not accepted";
        }
        if (m.contains("signature") || m.contains("key")) {
            return "the token's signature is not valid";
        }
        return "the token was refused";
    }

    private static String firstString(JWTClaimsSet claims, String... names) {
        for (String n : names) {
            if (claims.getClaim(n) instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return null;
    }

    /**
     * Nimbus's MAC verifier refuses secrets under 256 bits; operators often try auth with a short one,
     * so HMAC is verified here with the JCA directly (constant-time comparison). Other algorithms use
     * Nimbus's verifiers.
     */
    private static final class AnyLengthHmacVerifierFactory implements JWSVerifierFactory {
        private final DefaultJWSVerifierFactory standard = new DefaultJWSVerifierFactory();

        @Override
        public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
            if (JWSAlgorithm.Family.HMAC_SHA.contains(header.getAlgorithm()) && key instanceof SecretKey secret) {
                return new HmacVerifier(secret.getEncoded());
            }
            return standard.createJWSVerifier(header, key);
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return standard.supportedJWSAlgorithms();
        }

        @Override
        public JCAContext getJCAContext() {
            return standard.getJCAContext();
        }
    }

    private static final class HmacVerifier implements JWSVerifier {
        private final byte[] secret;
        private final JCAContext jca = new JCAContext();

        HmacVerifier(byte[] secret) {
            this.secret = secret;
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            if (header.getCriticalParams() != null) {
                // RFC 7515 §4.1.11: a "crit" extension the verifier does not understand makes the JWS invalid,
                // and this verifier understands none (Nimbus's own verifiers check this too).
                return false;
            }
            String jcaName = switch (header.getAlgorithm().getName()) {
                case "HS256" -> "HmacSHA256";
                case "HS384" -> "HmacSHA384";
                case "HS512" -> "HmacSHA512";
                default -> throw new JOSEException("unsupported HMAC algorithm");
            };
            try {
                Mac mac = Mac.getInstance(jcaName);
                mac.init(new SecretKeySpec(secret, jcaName));
                return MessageDigest.isEqual(mac.doFinal(signingInput), signature.decode());
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new JOSEException("HMAC failed", e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }
    }
}
