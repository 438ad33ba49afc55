package dev.rendezvous.client.rtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.client.files.FileSender;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SendPolicyTest {

    @Test
    void pollsWhilePausedNoSoonerThanTheLowMarkCouldDrain() {
        assertThat(SendPolicy.DEFAULT.pausedPollNanos()).isEqualTo(SendPolicy.MIN_PAUSED_POLL_NANOS);
        // 2 MiB at 1 GiB/s: 1.95 ms.
        assertThat(SendPolicy.BULK.pausedPollNanos()).isEqualTo(1_953_125L);
    }

    @Test
    void bulkFitsAFileSendersWindowAndStaysBelowWhereLibwebrtcCloses() {
        assertThat(SendPolicy.BULK.highWaterBytes()).isLessThan(16L << 20);
        assertThat(SendPolicy.BULK.maxQueuedBytes()).isGreaterThanOrEqualTo(FileSender.WINDOW);
        assertThat(FileSender.WINDOW).isGreaterThanOrEqualTo(2 * SendPolicy.BULK.highWaterBytes());
    }

    @Test
    void refusesABandThatIsNotOne() {
        assertThatThrownBy(() -> new SendPolicy(1, 1, Duration.ofSeconds(1), 1024, 1024, 1024))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
