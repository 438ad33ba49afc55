package dev.rendezvous.client.rtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runtime's one promise that matters: the factory is never disposed under an open connection. */
class RtcRuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSessionThatWillNotCloseKeepsTheFactoryUntilItDoesAndNothingNewIsCreatedMeanwhile() throws Exception {
        RtcRuntime rtc = RtcRuntime.create(Duration.ofMillis(200));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> stuck = new CompletableFuture<>();
        // The offer is signalled on the session's thread: holding it there keeps the session from closing.
        SignalSink blockingSink = new SignalSink() {
            @Override
            public void offer(String sdp) {
                stuck.complete(null);
                try {
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void answer(String sdp) {}

            @Override
            public void candidate(String candidate, String sdpMid, int sdpMLineIndex) {}
        };
        SessionRecorder events = new SessionRecorder();
        PeerSession session =
                PeerSession.create(rtc, "stuck", true, SessionConfig.loopbackDefaults(), blockingSink, events, null);
        try {
            session.start();
            stuck.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            rtc.close();
            assertThat(rtc.isClosed()).isTrue();
            assertThat(session.isClosed()).as("its thread is still held").isFalse();
            assertThat(rtc.isDisposed())
                    .as("disposing under an open connection would crash the JVM")
                    .isFalse();
            assertThatThrownBy(() -> PeerSession.create(
                            rtc,
                            "late",
                            true,
                            SessionConfig.loopbackDefaults(),
                            blockingSink,
                            new SessionRecorder(),
                            null))
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            release.countDown();
        }
        // The close queued behind the stuck task runs; the last session out disposes the factory.
        events.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(rtc::isDisposed);
        assertThat(session.isClosed()).isTrue();
        rtc.close(); // idempotent
    }

    @Test
    void closingWithNoStragglersDisposesAtOnce() {
        RtcRuntime rtc = RtcRuntime.create();
        PeerSession session =
                LocalLink.unanswered(rtc, "quick", true, SessionConfig.loopbackDefaults(), new SessionRecorder());
        rtc.close();
        assertThat(session.isClosed()).isTrue();
        assertThat(rtc.isDisposed()).isTrue();
    }
}
