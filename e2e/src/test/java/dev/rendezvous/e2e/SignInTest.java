package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rendezvous.server.auth.JwtAuthenticator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With JWT auth on, the page shows a token field on {@code auth_required}, reports a refusal, and signs in. */
class SignInTest {

    private static final byte[] SECRET = "e2e-signing-secret-of-32-bytes!!".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(15))
            .server(config -> config.authenticator(JwtAuthenticator.hmac(SECRET, JwtAuthenticator.Options.defaults())));

    @Test
    void theTokenFieldAppearsOnAuthRequiredAndAValidTokenAdmitsThePage() throws JOSEException {
        ChatPage alice = e2e.openChat("");
        Page page = alice.page();
        Locator signIn = page.locator("#card-auth");
        assertThat(signIn).isVisible();
        assertThat(page.getByTestId("my-id")).hasText("—");

        page.getByLabel("Token").fill("not-a-token");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        assertThat(alice.systemMessages().filter(new Locator.FilterOptions().setHasText("Sign-in failed")))
                .hasCount(1);
        assertThat(signIn).isVisible();

        page.getByLabel("Token").fill(token("alice"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        String aliceId = alice.awaitId();
        assertThat(signIn).isHidden();
        assertThat(alice.systemMessages().filter(new Locator.FilterOptions().setHasText("Signed in as alice.")))
                .hasCount(1);

        // A token in the address (?token=) signs in by itself; the two then chat as usual.
        ChatPage bob = e2e.openChat("token=" + token("bob"));
        String bobId = bob.awaitId();
        bob.pairWith(aliceId);
        alice.awaitChatState("connected");
        bob.send("signed in and chatting");
        alice.awaitIncoming(bobId, "signed in and chatting");
        assertThat(alice.page().getByTestId("my-id")).hasText(Pattern.compile(".+"));
    }

    private static String token(String user) throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder()
                        .subject(user)
                        .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                        .build());
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }
}
