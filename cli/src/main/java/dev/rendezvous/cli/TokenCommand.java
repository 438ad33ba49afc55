package dev.rendezvous.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rendezvous.server.config.DurationText;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rendezvous token}: mints an HS256 JWT that a server started with the same secret admits, for
 * trying auth without an identity provider. Prints the token alone on standard output.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Mints an HS256 token (JWT) for trying auth against `rendezvous serve --jwt-secret S`.")
final class TokenCommand implements Callable<Integer> {

    /** HS256 needs a key of at least 256 bits (RFC 7518 §3.2); the same rule as {@code serve --jwt-secret}. */
    static final int MIN_SECRET_BYTES = dev.rendezvous.server.auth.JwtAuthenticator.MIN_SECRET_BYTES;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--secret",
            required = true,
            defaultValue = "${env:RENDEZVOUS_JWT_SECRET}",
            description = "HMAC secret shared with the server, at least 32 bytes (env: RENDEZVOUS_JWT_SECRET).")
    String secret;

    @Option(names = "--sub", required = true, description = "Subject: the user name the server shows.")
    String subject;

    @Option(
            names = "--rooms",
            split = ",",
            paramLabel = "ROOM",
            description = "Rooms the token may join (claim `rooms`); omit for any room.")
    List<String> rooms;

    @Option(
            names = "--ttl",
            defaultValue = "1h",
            converter = DurationConverter.class,
            description = "Lifetime, e.g. 30m, 1h, 7d (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--iss", description = "Issuer claim, when the server checks one.")
    String issuer;

    @Option(names = "--aud", description = "Audience claim, when the server checks one.")
    String audience;

    private final Clock clock;

    TokenCommand() {
        this(Clock.systemUTC());
    }

    TokenCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        if (secret == null || secret.isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println("rendezvous token: --secret is required (or set RENDEZVOUS_JWT_SECRET)");
            return 2;
        }
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_SECRET_BYTES) {
            spec.commandLine()
                    .getErr()
                    .println("rendezvous token: --secret must be at least " + MIN_SECRET_BYTES
                            + " bytes for HS256, got " + key.length);
            return 2;
        }
        if (ttl.isNegative() || ttl.isZero()) {
            spec.commandLine()
                    .getErr()
                    .println("rendezvous token: --ttl must be positive, got " + DurationText.format(ttl));
            return 2;
        }
        try {
            spec.commandLine().getOut().println(mint(key));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (JOSEException e) {
            spec.commandLine().getErr().println("rendezvous token: could not sign: " + e.getMessage());
            return 1;
        }
    }

    private String mint(byte[] key) throws JOSEException {
        return hs256(key, subject, rooms, issuer, audience, clock.instant(), ttl);
    }

    /** An HS256 token as the server checks it (also minted by the AOT training run's auth clients). */
    static String hs256(
            byte[] key, String subject, List<String> rooms, String issuer, String audience, Instant now, Duration ttl)
            throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)));
        if (rooms != null && !rooms.isEmpty()) {
            claims.claim("rooms", List.copyOf(rooms));
        }
        if (issuer != null) {
            claims.issuer(issuer);
        }
        if (audience != null) {
            claims.audience(audience);
        }
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims.build());
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }
}
