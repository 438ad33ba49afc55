package dev.rendezvous.cli.stun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.cli.stun.StunProbe.Result;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.server.ice.IceUrl;
import dev.rendezvous.server.ice.TurnCredential;
import dev.rendezvous.server.ice.TurnCredentialMinter;
import dev.rendezvous.testing.coturn.Coturn;
import dev.rendezvous.testing.coturn.CoturnExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real coturn on 127.0.0.1 accepts what our minter mints, and nothing else. */
@ExtendWith(CoturnExtension.class)
class CoturnTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void answersABindingRequestWithOurLoopbackAddress(Coturn turn) {
        Result result = StunProbe.binding(IceUrl.parse(turn.stunUrl()), TIMEOUT);

        assertThat(result)
                .isInstanceOfSatisfying(
                        Result.Bound.class,
                        bound -> assertThat(bound.mapped().getAddress().isLoopbackAddress())
                                .isTrue());
    }

    @Test
    void mintedCredentialAllocatesALoopbackRelayOverUdp(Coturn turn) {
        TurnCredential credential = turn.credential("alice");

        Result result =
                StunProbe.allocate(IceUrl.parse(turn.turnUrl()), credential.username(), credential.password(), TIMEOUT);

        assertThat(result).as(turn.logTail()).isInstanceOfSatisfying(Result.Allocated.class, allocated -> {
            assertThat(allocated.relayed().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(allocated.lifetime()).isPositive();
        });
    }

    @Test
    void mintedCredentialAllocatesOverTcp(Coturn turn) {
        TurnCredential credential = turn.credential("bob");

        Result result = StunProbe.allocate(
                IceUrl.parse(turn.turnTcpUrl()), credential.username(), credential.password(), TIMEOUT);

        assertThat(result).as(turn.logTail()).isInstanceOf(Result.Allocated.class);
    }

    @Test
    void credentialsHandedToClientsByTheIceConfigAllocate(Coturn turn) {
        IceServer entry = turn.iceConfig().serversFor("carol").getFirst();

        Result result = StunProbe.allocate(
                IceUrl.parse(entry.urls().getFirst()), entry.username(), entry.credential(), TIMEOUT);

        assertThat(result).as(turn.logTail()).isInstanceOf(Result.Allocated.class);
    }

    @Test
    void expiredCredentialIsRefusedWith401(Coturn turn) {
        // Minted two hours ago with a one-hour TTL: expired an hour ago, correctly signed.
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        TurnCredential expired =
                new TurnCredentialMinter(turn.secret(), Duration.ofHours(1), twoHoursAgo).mint("alice");

        Result result =
                StunProbe.allocate(IceUrl.parse(turn.turnUrl()), expired.username(), expired.password(), TIMEOUT);

        assertThat(result)
                .isInstanceOfSatisfying(
                        Result.Refused.class,
                        refused -> assertThat(refused.code()).isEqualTo(401));
    }

    @Test
    void credentialSignedWithAnotherSecretIsRefusedWith401(Coturn turn) {
        TurnCredential forged = new TurnCredentialMinter("not-" + turn.secret(), Duration.ofHours(1), Clock.systemUTC())
                .mint("mallory");

        Result result = StunProbe.allocate(IceUrl.parse(turn.turnUrl()), forged.username(), forged.password(), TIMEOUT);

        assertThat(result)
                .isInstanceOfSatisfying(
                        Result.Refused.class,
                        refused -> assertThat(refused.code()).isEqualTo(401));
    }

    @Test
    void closedPortGivesNoAnswerWithinTheTimeout(Coturn turn) throws Exception {
        int unused;
        try (java.net.DatagramSocket socket =
                new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            unused = socket.getLocalPort();
        }

        Result result = StunProbe.binding(IceUrl.parse("stun:127.0.0.1:" + unused), Duration.ofMillis(600));

        assertThat(result).isInstanceOf(Result.NoAnswer.class);
    }
}
