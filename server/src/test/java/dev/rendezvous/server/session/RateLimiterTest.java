package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void burstThenRefuseThenRefill() {
        RateLimiter r = new RateLimiter(10, 5, 100, 0);
        for (int i = 0; i < 5; i++) {
            assertThat(r.onFrame(0)).isEqualTo(RateLimiter.Verdict.ACCEPT);
        }
        assertThat(r.onFrame(0)).isEqualTo(RateLimiter.Verdict.REFUSE);
        assertThat(r.onFrame(SECOND / 10)).isEqualTo(RateLimiter.Verdict.ACCEPT); // one token per 100 ms
        assertThat(r.onFrame(SECOND / 10)).isEqualTo(RateLimiter.Verdict.REFUSE);
        for (int i = 0; i < 5; i++) {
            assertThat(r.onFrame(10 * SECOND)).isEqualTo(RateLimiter.Verdict.ACCEPT); // refilled to the burst only
        }
        assertThat(r.onFrame(10 * SECOND)).isEqualTo(RateLimiter.Verdict.REFUSE);
    }

    @Test
    void persistentFloodingEndsInClose() {
        RateLimiter r = new RateLimiter(10, 1, 3, 0);
        assertThat(r.onFrame(0)).isEqualTo(RateLimiter.Verdict.ACCEPT);
        assertThat(r.onFrame(0)).isEqualTo(RateLimiter.Verdict.REFUSE);
        assertThat(r.onFrame(0)).isEqualTo(RateLimiter.Verdict.REFUSE);
        assertThat(r.onFrame(0)).isEqualTo(RateLimiter.Verdict.REFUSE);
        assertThat(r.onFrame(0)).isEqualTo(RateLimiter.Verdict.CLOSE);
    }

    @Test
    void strikesHealOverTime() {
        RateLimiter r = new RateLimiter(10, 1, 3, 0);
        r.onFrame(0);
        r.onFrame(0);
        r.onFrame(0);
        r.onFrame(0); // three strikes used
        assertThat(r.onFrame(20 * SECOND)).isEqualTo(RateLimiter.Verdict.ACCEPT);
        assertThat(r.onFrame(20 * SECOND)).isEqualTo(RateLimiter.Verdict.REFUSE); // strikes back: not closed
    }
}
