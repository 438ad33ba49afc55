package dev.rendezvous.testing.coturn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoturnLifecycleTest {

    @Test
    void closeStopsTheProcessItStartedAndRemovesItsFiles() {
        assumeTrue(Coturn.isInstalled(), "coturn (turnserver) is not installed");
        Coturn turn = Coturn.start("lifecycle-secret");
        ProcessHandle handle = turn.processHandle();
        assertThat(handle.isAlive()).isTrue();
        assertThat(handle.info().command())
                .hasValueSatisfying(c -> assertThat(c).endsWith("turnserver"));

        turn.close();
        turn.close(); // idempotent

        await().atMost(Duration.ofSeconds(10)).until(() -> !handle.isAlive());
        assertThat(Files.exists(turn.logFile().getParent())).isFalse();
    }
}
