package dev.rendezvous.client.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The resend log's numbering and bounds, and the backoff's range (logic only; SignalingResumeTest runs them on sockets). */
class SentLogTest {
    @Test
    void resendsExactlyWhatTheServerDidNotRead() {
        SentLog log = new SentLog(8, 1_000);
        List<SentLog.Entry> all = List.of(log.append("a"), log.append("b"), log.append("c"));
        all.forEach(log::written);
        assertThat(log.resendAfter(1)).extracting(e -> e.text).containsExactly("b", "c");
        assertThat(log.unwrittenCount()).isEqualTo(2);
        assertThat(log.resendAfter(3)).isEmpty();
        assertThat(log.resendAfter(4)).as("more than was sent").isNull();
    }

    @Test
    void forgetsWrittenFramesBeyondTheBoundButRefusesUnwrittenOnes() {
        SentLog log = new SentLog(2, 1_000);
        SentLog.Entry one = log.append("1");
        log.written(one);
        log.written(log.append("2"));
        log.written(log.append("3")); // "1" is forgotten
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.resendAfter(0)).as("frame 1 is gone").isNull();

        SentLog away = new SentLog(2, 1_000);
        assertThat(away.append("x")).isNotNull();
        assertThat(away.append("y")).isNotNull();
        assertThat(away.append("z")).as("two unwritten already").isNull();
        assertThat(away.reset()).hasSize(2);
        assertThat(away.append("fresh").seq).isEqualTo(1);
    }

    @Test
    void backoffGrowsToItsCapWithJitterInTheUpperHalf() {
        Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));
        assertThat(b.delay(1, () -> 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.delay(1, () -> 0.999)).isLessThanOrEqualTo(Duration.ofMillis(200));
        assertThat(b.delay(3, () -> 0.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(b.delay(30, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(30, () -> 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }
}
