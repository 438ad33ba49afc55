package dev.rendezvous.testing.coturn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.server.ice.IceUrl;
import dev.rendezvous.server.ice.StunProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CoturnExtension.class)
class CoturnExtensionTest {

    private static Coturn first;

    @Test
    void injectsARunningCoturn(Coturn turn) {
        assertThat(StunProbe.binding(IceUrl.parse(turn.stunUrl()), Duration.ofSeconds(5)))
                .isInstanceOf(StunProbe.Result.Bound.class);
        sameInstanceAcrossTheClass(turn);
    }

    @Test
    void injectsTheSameCoturnIntoEveryTestOfTheClass(Coturn turn) {
        sameInstanceAcrossTheClass(turn);
    }

    private static synchronized void sameInstanceAcrossTheClass(Coturn turn) {
        if (first == null) {
            first = turn;
        }
        assertThat(turn).isSameAs(first);
        assertThat(turn.processHandle().isAlive()).isTrue();
    }
}
