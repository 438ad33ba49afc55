package dev.rendezvous.server.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.protocol.IceServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IceConfigTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    @Test
    void defaultIsEmptySoNothingPhonesOut() {
        assertThat(IceConfig.none().serversFor("alice")).isEmpty();
        assertThat(IceConfig.of(List.of(), Optional.empty(), IceConfig.DEFAULT_TURN_TTL, CLOCK)
                        .serversFor("a"))
                .isEmpty();
    }

    @Test
    void stunUrlsComeWithoutCredentialsAndTurnUrlsWithMintedOnes() {
        IceConfig config = IceConfig.of(
                List.of(
                        "stun:127.0.0.1:3478",
                        "turn:127.0.0.1:3478?transport=udp",
                        "turn:127.0.0.1:3478?transport=tcp"),
                Optional.of("north-secret"),
                Duration.ofDays(1),
                CLOCK);

        List<IceServer> servers = config.serversFor("alice");

        assertThat(servers)
                .containsExactly(
                        new IceServer(List.of("stun:127.0.0.1:3478"), null, null),
                        new IceServer(
                                List.of("turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp"),
                                "1700086400:alice",
                                "Nni2GlD6PVaoCP0Cx2DhLKDWjyY="));
    }

    @Test
    void eachClientGetsItsOwnCredential() {
        IceConfig config = IceConfig.of(List.of("turn:127.0.0.1"), Optional.of("s"), Duration.ofHours(1), CLOCK);

        assertThat(config.serversFor("alice").getFirst().username()).endsWith(":alice");
        assertThat(config.serversFor("bob").getFirst().username()).endsWith(":bob");
        assertThat(config.serversFor("alice").getFirst().credential())
                .isNotEqualTo(config.serversFor("bob").getFirst().credential());
    }

    @Test
    void turnWithoutSecretIsRefusedNamingTheUrl() {
        assertThatThrownBy(
                        () -> IceConfig.of(List.of("turn:turn.example"), Optional.empty(), Duration.ofHours(1), CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("turn:turn.example")
                .hasMessageContaining("secret");
    }

    @Test
    void malformedUrlIsRefusedNamingIt() {
        assertThatThrownBy(
                        () -> IceConfig.of(List.of("http://example.com"), Optional.empty(), Duration.ofHours(1), CLOCK))
                .hasMessageContaining("'http://example.com' is not a stun:");
    }
}
