package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InboundCountTest {
    @Test
    void countsFromItsStartUntilSealedThenRefuses() {
        InboundCount c = new InboundCount(this, 7);
        assertThat(c.count()).isTrue();
        assertThat(c.count()).isTrue();
        assertThat(c.seal()).isEqualTo(9);
        assertThat(c.count()).isFalse();
        assertThatThrownBy(c::seal).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A seal from another thread in the middle of counting: the sealed value is exactly the frames let
     * through (none both counted and refused), which is what makes {@code received} exact.
     */
    @Test
    void aSealRacingTheCounterGetsExactlyTheFramesLetThrough() throws Exception {
        for (int round = 0; round < 200; round++) {
            InboundCount c = new InboundCount(this, 0);
            AtomicLong letThrough = new AtomicLong();
            CountDownLatch started = new CountDownLatch(1);
            Thread counter = new Thread(() -> {
                started.countDown();
                long n = 0;
                for (int i = 0; i < 1_000_000; i++) { // bounded: stops by itself
                    if (c.count()) {
                        n++;
                    } else {
                        break;
                    }
                }
                letThrough.set(n);
            });
            counter.start();
            started.await();
            long sealed = c.seal();
            counter.join();
            assertThat(sealed).isEqualTo(letThrough.get());
        }
    }

    /** Two threads counting at once lose no frame (a failed compare-and-set is retried unless sealed). */
    @Test
    void twoCountersAtOnceLoseNoFrame() throws Exception {
        InboundCount c = new InboundCount(this, 0);
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 200_000; i++) {
                    assertThat(c.count()).isTrue();
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(c.seal()).isEqualTo(400_000);
    }
}
