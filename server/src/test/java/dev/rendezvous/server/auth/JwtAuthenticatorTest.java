package dev.rendezvous.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Token rules of {@link JwtAuthenticator}, in memory (tokens built by hand). */
class JwtAuthenticatorTest {
    private static final String SECRET = "s3cret";
    private final JwtAuthenticator auth =
            JwtAuthenticator.hmac(SECRET.getBytes(StandardCharsets.UTF_8), JwtAuthenticator.Options.defaults());

    /** An HS256 authenticator with no issuer or audience check and the default clock skew. */
    private static JwtAuthenticator withDefaultsBut(ClientIdBinding binding, boolean requireExp) {
        return JwtAuthenticator.hmac(
                SECRET.getBytes(StandardCharsets.UTF_8),
                new JwtAuthenticator.Options(null, null, JwtAuthenticator.DEFAULT_CLOCK_SKEW, binding, requireExp));
    }

    private static String hs256(String secret, String claimsJson) {
        return hs256(secret, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claimsJson);
    }

    private static String hs256(String secret, String headerJson, String claimsJson) {
        String input = b64(headerJson) + "." + b64(claimsJson);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + Base64URL.encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String s) {
        return Base64URL.encode(s.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    @Test
    void aMinimalTokenWithoutExpiryOrIssuerIsAcceptedWhenNoneAreRequired() {
        assertThat(auth.authenticate(hs256(SECRET, "{\"sub\":\"alice\"}")))
                .isEqualTo(new AuthResult.Admitted("alice", Optional.empty()));
    }

    @Test
    void roomsClaimAsListOrSingleString() {
        AuthResult list = auth.authenticate(hs256(SECRET, "{\"sub\":\"a\",\"rooms\":[\"x\",\"y\"]}"));
        assertThat(list).isEqualTo(new AuthResult.Admitted("a", Optional.of(Set.of("x", "y"))));
        assertThat(((AuthResult.Admitted) list).mayJoin("x")).isTrue();
        assertThat(((AuthResult.Admitted) list).mayJoin("z")).isFalse();
        assertThat(auth.authenticate(hs256(SECRET, "{\"sub\":\"a\",\"rooms\":\"x\"}")))
                .isEqualTo(new AuthResult.Admitted("a", Optional.of(Set.of("x"))));
        assertThat(auth.authenticate(hs256(SECRET, "{\"sub\":\"a\",\"rooms\":5}")))
                .isInstanceOf(AuthResult.Refused.class);
    }

    @Test
    void aStringClientIdClaimBindsTheTokenToThatId() {
        AuthResult bound = auth.authenticate(hs256(SECRET, "{\"sub\":\"a\",\"client_id\":\"alice\"}"));
        assertThat(bound).isEqualTo(new AuthResult.Admitted("a", Optional.empty(), Optional.of("alice")));
        assertThat(((AuthResult.Admitted) bound).mayTake("alice")).isTrue();
        assertThat(((AuthResult.Admitted) bound).mayTake("bob")).isFalse();
        AuthResult notAString = auth.authenticate(hs256(SECRET, "{\"sub\":\"a\",\"client_id\":7}"));
        assertThat(notAString).isEqualTo(new AuthResult.Admitted("a", Optional.empty()));
        assertThat(((AuthResult.Admitted) notAString).mayTake("anyone")).isTrue();
    }

    @Test
    void aCriticalHeaderParameterWeDoNotUnderstandIsRefused() {
        String claims = "{\"sub\":\"alice\"}";
        assertThat(auth.authenticate(
                        hs256(SECRET, "{\"alg\":\"HS256\",\"crit\":[\"x-must\"],\"x-must\":true}", claims)))
                .isInstanceOf(AuthResult.Refused.class);
        assertThat(auth.authenticate(hs256(SECRET, "{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}", claims)))
                .isInstanceOf(AuthResult.Refused.class);
        assertThat(auth.authenticate(hs256(SECRET, "{\"alg\":\"HS256\",\"x-must\":true}", claims)))
                .as("the same extension, not critical, is ignored")
                .isEqualTo(new AuthResult.Admitted("alice", Optional.empty()));
    }

    @Test
    void clockSkewIsSmall() {
        assertThat(auth.authenticate(hs256(SECRET, "{\"sub\":\"a\",\"exp\":" + (now() - 2) + "}")))
                .isInstanceOf(AuthResult.Admitted.class);
        assertThat(auth.authenticate(hs256(SECRET, "{\"sub\":\"a\",\"exp\":" + (now() - 30) + "}")))
                .isEqualTo(new AuthResult.Refused("the token has expired"));
        assertThat(auth.authenticate(hs256(SECRET, "{\"sub\":\"a\",\"nbf\":" + (now() + 30) + "}")))
                .isEqualTo(new AuthResult.Refused("the token is not valid yet (nbf)"));
    }

    @Test
    void refusalsNeverEchoTheToken() {
        for (String token : new String[] {
            hs256("wrong", "{\"sub\":\"a\"}"),
            b64("{\"alg\":\"none\"}") + "." + b64("{\"sub\":\"a\"}") + ".",
            "not-a-token",
            hs256(SECRET, "{\"iss\":\"nobody\"}")
        }) {
            AuthResult r = auth.authenticate(token);
            assertThat(r).isInstanceOf(AuthResult.Refused.class);
            assertThat(((AuthResult.Refused) r).reason()).doesNotContain(token);
        }
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() {
        JwtAuthenticator strict = JwtAuthenticator.hmac(
                SECRET.getBytes(StandardCharsets.UTF_8),
                new JwtAuthenticator.Options("iss-1", "aud-1", Duration.ofSeconds(5)));
        assertThat(strict.authenticate(hs256(SECRET, "{\"sub\":\"a\",\"iss\":\"iss-1\",\"aud\":[\"x\",\"aud-1\"]}")))
                .isInstanceOf(AuthResult.Admitted.class);
        assertThat(strict.authenticate(hs256(SECRET, "{\"sub\":\"a\",\"iss\":\"iss-2\",\"aud\":\"aud-1\"}")))
                .isEqualTo(new AuthResult.Refused("the token's issuer is not accepted"));
        assertThat(strict.authenticate(hs256(SECRET, "{\"sub\":\"a\",\"iss\":\"iss-1\",\"aud\":\"aud-2\"}")))
                .isEqualTo(new AuthResult.Refused("the token's audience is not accepted"));
    }

    @Test
    void underSubjectBindingATokenMayTakeItsSubjectOrSubjectColonAnything() {
        JwtAuthenticator bySubject = withDefaultsBut(ClientIdBinding.SUBJECT, false);
        AuthResult.Admitted bob = (AuthResult.Admitted) bySubject.authenticate(hs256(SECRET, "{\"sub\":\"bob\"}"));
        assertThat(bob.mayTake("bob")).isTrue();
        assertThat(bob.mayTake("bob:laptop")).isTrue();
        assertThat(bob.mayTake("bob-laptop")).isFalse();
        assertThat(bob.mayTake("bobby")).isFalse();
        assertThat(bob.mayTake("alice")).isFalse();
        assertThat(bob.boundId()).hasValue("bob");
        AuthResult.Admitted claimed = (AuthResult.Admitted)
                bySubject.authenticate(hs256(SECRET, "{\"sub\":\"bob\",\"client_id\":\"desk-7\"}"));
        assertThat(claimed.mayTake("desk-7")).isTrue();
        assertThat(claimed.mayTake("bob")).as("the claim wins over the subject").isFalse();
        assertThat(bySubject.authenticate(hs256(SECRET, "{\"name\":\"no sub\"}")))
                .isInstanceOf(AuthResult.Refused.class);
        // without subject binding, a token without the claim takes any id
        AuthResult.Admitted free = (AuthResult.Admitted) auth.authenticate(hs256(SECRET, "{\"sub\":\"bob\"}"));
        assertThat(free.mayTake("alice")).isTrue();
        assertThat(free.boundId()).isEmpty();
    }

    @Test
    void requireExpRefusesATokenWithoutExpiryAndTheExpiryIsReported() {
        JwtAuthenticator strict = withDefaultsBut(ClientIdBinding.NONE, true);
        AuthResult forever = strict.authenticate(hs256(SECRET, "{\"sub\":\"a\"}"));
        assertThat(forever).isInstanceOf(AuthResult.Refused.class);
        assertThat(((AuthResult.Refused) forever).reason()).contains("exp");
        long exp = now() + 60;
        AuthResult.Admitted ok =
                (AuthResult.Admitted) strict.authenticate(hs256(SECRET, "{\"sub\":\"a\",\"exp\":" + exp + "}"));
        assertThat(ok.expiresAt()).hasValue(Instant.ofEpochSecond(exp));
    }
}
