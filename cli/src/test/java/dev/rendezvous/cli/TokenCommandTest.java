package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TokenCommandTest {

    private static final String SECRET = "a-secret-of-at-least-32-bytes-long!!";
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new TokenCommand(Clock.fixed(NOW, ZoneOffset.UTC)));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void mintsAnHs256TokenSignedWithTheSecret() throws Exception {
        int exit = run(
                "--secret",
                SECRET,
                "--sub",
                "alice",
                "--rooms",
                "lobby,ops",
                "--ttl",
                "2h",
                "--iss",
                "https://id.example",
                "--aud",
                "rendezvous");

        assertThat(exit).isZero();
        SignedJWT jwt = SignedJWT.parse(out.toString().strip());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(jwt.verify(new MACVerifier(SECRET))).isTrue();
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getStringListClaim("rooms")).containsExactly("lobby", "ops");
        assertThat(claims.getIssueTime()).isEqualTo(Date.from(NOW));
        assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW.plusSeconds(7200)));
        assertThat(claims.getIssuer()).isEqualTo("https://id.example");
        assertThat(claims.getAudience()).containsExactly("rendezvous");
    }

    @Test
    void defaultsToOneHourAndAnyRoom() throws Exception {
        assertThat(run("--secret", SECRET, "--sub", "bob")).isZero();

        var claims = SignedJWT.parse(out.toString().strip()).getJWTClaimsSet();
        assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW.plusSeconds(3600)));
        assertThat(claims.getClaim("rooms")).isNull();
        assertThat(claims.getIssuer()).isNull();
    }

    @Test
    void shortSecretIsRefusedWithTheReason() {
        assertThat(run("--secret", "short", "--sub", "bob")).isEqualTo(2);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("at least 32 bytes", "got 5");
    }

    @Test
    void badTtlIsRefusedQuotingIt() {
        assertThat(run("--secret", SECRET, "--sub", "bob", "--ttl", "forever")).isNotZero();

        assertThat(err.toString()).contains("'forever' is not a duration");
    }
}
