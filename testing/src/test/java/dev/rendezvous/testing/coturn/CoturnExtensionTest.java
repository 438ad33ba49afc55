package dev.rendezvous.testing.coturn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CoturnExtension.class)
class CoturnExtensionTest {

    private static Coturn first;

    @Test
    void injectsARunningCoturn(Coturn turn) {
        assertThat(turn.answersBinding(Duration.ofSeconds(5))).isTrue();
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
