package dev.rendezvous.server.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TurnCredentialMinterTest {

    private static final Clock NOV_14_2023 = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    @Test
    void usernameIsExpiryInUnixSecondsThenClientId() {
        TurnCredentialMinter minter = new TurnCredentialMinter("north-secret", Duration.ofDays(1), NOV_14_2023);

        TurnCredential credential = minter.mint("alice");

        assertThat(credential.username()).isEqualTo("1700086400:alice");
        assertThat(credential.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_700_086_400L));
    }

    @Test
    void passwordIsBase64OfHmacSha1OfUsername() {
        TurnCredentialMinter minter = new TurnCredentialMinter("north-secret", Duration.ofDays(1), NOV_14_2023);

        // Reference value from: echo -n "1700086400:alice" | openssl dgst -sha1 -hmac north-secret -binary | base64
        assertThat(minter.mint("alice").password()).isEqualTo("Nni2GlD6PVaoCP0Cx2DhLKDWjyY=");
    }

    @Test
    void ttlMovesTheExpiryAndSubSecondClockPartsAreDropped() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L, 999_000_000), ZoneOffset.UTC);
        TurnCredentialMinter minter = new TurnCredentialMinter("s", Duration.ofMinutes(10), clock);

        assertThat(minter.mint("bob").username()).isEqualTo("1700000600:bob");
    }

    @Test
    void anotherSecretGivesAnotherPassword() {
        TurnCredential a = new TurnCredentialMinter("one", Duration.ofHours(1), NOV_14_2023).mint("c");
        TurnCredential b = new TurnCredentialMinter("two", Duration.ofHours(1), NOV_14_2023).mint("c");

        assertThat(a.username()).isEqualTo(b.username());
        assertThat(a.password()).isNotEqualTo(b.password());
    }

    @Test
    void toStringHidesThePassword() {
        TurnCredential credential =
                new TurnCredentialMinter("north-secret", Duration.ofDays(1), NOV_14_2023).mint("alice");

        assertThat(credential.toString()).doesNotContain(credential.password()).contains("***");
    }

    @Test
    void refusesEmptySecretAndNonPositiveTtl() {
        assertThatThrownBy(() -> new TurnCredentialMinter("", Duration.ofHours(1), NOV_14_2023))
                .hasMessageContaining("secret is empty");
        assertThatThrownBy(() -> new TurnCredentialMinter("s", Duration.ZERO, NOV_14_2023))
                .hasMessageContaining("TTL");
        assertThatThrownBy(() -> new TurnCredentialMinter("s", Duration.ofMillis(500), NOV_14_2023))
                .hasMessageContaining("TTL");
    }

    @Test
    void aCredentialNeverOutlivesTheTokenItWasMintedFor() {
        TurnCredentialMinter minter = new TurnCredentialMinter("north-secret", Duration.ofDays(1), NOV_14_2023);
        Instant tokenExp = Instant.ofEpochSecond(1_700_000_010L, 500_000_000);
        assertThat(minter.mint("alice", tokenExp).expiresAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_010L));
        assertThat(minter.mint("alice", tokenExp).username()).isEqualTo("1700000010:alice");
        assertThat(minter.mint("alice", Instant.ofEpochSecond(1_800_000_000L)).expiresAt())
                .as("a token outliving the TTL: the TTL")
                .isEqualTo(Instant.ofEpochSecond(1_700_086_400L));
        assertThat(minter.mint("alice", null).expiresAt()).isEqualTo(Instant.ofEpochSecond(1_700_086_400L));
    }
}
