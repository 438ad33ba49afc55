package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Keepalive} with time as a parameter (nanoseconds; 1 unit = 1 ms here for readability). */
class KeepaliveClockTest {
    private static final long MS = 1_000_000;

    @Test
    void pingsEveryIntervalAndClosesAtTheTimeout() {
        Keepalive k = new Keepalive(100 * MS, 300 * MS, 0);
        assertThat(k.nextWakeAt()).isEqualTo(100 * MS);
        assertThat(k.wake(100 * MS)).isEqualTo(Keepalive.Action.PING);
        assertThat(k.nextWakeAt()).isEqualTo(200 * MS);
        assertThat(k.wake(200 * MS)).isEqualTo(Keepalive.Action.PING);
        assertThat(k.nextWakeAt()).isEqualTo(300 * MS);
        assertThat(k.wake(299 * MS)).isEqualTo(Keepalive.Action.NOTHING);
        assertThat(k.wake(300 * MS)).isEqualTo(Keepalive.Action.CLOSE);
    }

    @Test
    void anyFrameMovesTheDeadline() {
        Keepalive k = new Keepalive(100 * MS, 300 * MS, 0);
        k.heard(250 * MS);
        assertThat(k.wake(300 * MS)).isEqualTo(Keepalive.Action.PING); // 100 ms tick was missed: one ping, no burst
        assertThat(k.wake(549 * MS)).isNotEqualTo(Keepalive.Action.CLOSE);
        assertThat(k.wake(550 * MS)).isEqualTo(Keepalive.Action.CLOSE);
    }

    @Test
    void theCloseAlwaysFallsInsideTheProtocolWindow() {
        Random random = new Random(42);
        for (int run = 0; run < 1000; run++) {
            long interval = (1 + random.nextInt(50)) * MS;
            long timeout = interval + (1 + random.nextInt(100)) * MS;
            Keepalive k = new Keepalive(interval, timeout, 0);
            long now = 0;
            long lastHeard = 0;
            int frames = random.nextInt(5);
            for (int f = 0; f < frames; f++) { // some frames early on, then silence
                long at = lastHeard + random.nextInt((int) (timeout / MS)) * MS;
                // the owner wakes at nextWakeAt until the frame arrives
                while (k.nextWakeAt() <= at) {
                    now = k.nextWakeAt();
                    assertThat(k.wake(now)).isNotEqualTo(Keepalive.Action.CLOSE);
                }
                k.heard(at);
                lastHeard = at;
            }
            Keepalive.Action a;
            do {
                now = Math.max(now, k.nextWakeAt());
                a = k.wake(now);
            } while (a != Keepalive.Action.CLOSE);
            assertThat(now - lastHeard).isBetween(timeout, timeout + interval);
        }
    }

    @Test
    void theTimeoutMustExceedTheInterval() {
        assertThatThrownBy(() -> new Keepalive(100, 100, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
