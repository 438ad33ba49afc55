package dev.rendezvous.client.rtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Safe-send logic against a fake channel and a clock the test drives (no sleeping, no libwebrtc). */
class OutboundQueueTest {

    private static final SendPolicy POLICY = new SendPolicy(3, 100, Duration.ofSeconds(5), 50, 20, 64);

    private long now;
    private final List<String> refused = new ArrayList<>();
    private final OutboundQueue queue =
            new OutboundQueue(POLICY, () -> now, (payload, reason) -> refused.add(payload + ":" + reason));

    /** A channel whose buffered amount the test sets; it records what was sent. */
    private static final class FakeChannel implements OutboundQueue.Channel {
        final List<String> sent = new ArrayList<>();
        long buffered;
        boolean failing;

        @Override
        public long bufferedAmount() {
            return buffered;
        }

        @Override
        public void send(ByteBuffer data, boolean binary) {
            if (failing) {
                throw new NullPointerException("Object handle is null");
            }
            // webrtc-java sends the whole backing array: it must be exactly the message.
            assertThat(data.array().length).isEqualTo(data.remaining());
            sent.add(new String(data.array(), StandardCharsets.UTF_8));
            buffered += data.remaining();
        }
    }

    @Test
    void queuesBeforeOpenAndFlushesInOrderOnOpen() {
        Delivery a = queue.offer("a");
        Delivery b = queue.offer("b");
        assertThat(a.outcome()).isEqualTo(SendOutcome.QUEUED);
        assertThat(b.outcome()).isEqualTo(SendOutcome.QUEUED);
        assertThat(a.settled().toCompletableFuture()).isNotDone();

        FakeChannel channel = new FakeChannel();
        queue.opened(channel);
        assertThat(queue.pump()).isFalse();

        assertThat(channel.sent).containsExactly("a", "b");
        assertThat(a.settled().toCompletableFuture().join()).isEqualTo(SendOutcome.SENT);
        assertThat(b.settled().toCompletableFuture().join()).isEqualTo(SendOutcome.SENT);
        assertThat(queue.offer("c").outcome()).isEqualTo(SendOutcome.SENT);
        assertThat(channel.sent).containsExactly("a", "b", "c");
    }

    @Test
    void boundedInCountAndInBytes() {
        assertThat(queue.offer("1").outcome()).isEqualTo(SendOutcome.QUEUED);
        assertThat(queue.offer("2").outcome()).isEqualTo(SendOutcome.QUEUED);
        assertThat(queue.offer("3").outcome()).isEqualTo(SendOutcome.QUEUED);
        assertThat(queue.offer("4").outcome()).isEqualTo(SendOutcome.refused(RefusalReason.QUEUE_FULL));

        OutboundQueue bytes = new OutboundQueue(POLICY, () -> now, (t, r) -> {});
        assertThat(bytes.offer("x".repeat(60)).outcome()).isEqualTo(SendOutcome.QUEUED);
        assertThat(bytes.offer("y".repeat(41)).outcome()).isEqualTo(SendOutcome.refused(RefusalReason.QUEUE_FULL));
        assertThat(bytes.offer("z".repeat(40)).outcome()).isEqualTo(SendOutcome.QUEUED);
    }

    @Test
    void refusesMessagesLargerThanTheChannelAllows() {
        assertThat(queue.offer("é".repeat(33)).outcome()).isEqualTo(SendOutcome.refused(RefusalReason.TOO_LARGE));
        assertThat(queue.offer((String) null).refused()).isTrue();
    }

    @Test
    void expiredMessagesAreRefusedAndReported() {
        Delivery old = queue.offer("old");
        now += Duration.ofSeconds(3).toNanos();
        Delivery young = queue.offer("young");
        now += Duration.ofSeconds(2).toNanos();

        assertThat(queue.pump()).as("young still waits").isTrue();
        assertThat(old.settled().toCompletableFuture().join()).isEqualTo(SendOutcome.refused(RefusalReason.EXPIRED));
        assertThat(young.settled().toCompletableFuture()).isNotDone();
        assertThat(refused).containsExactly("old:EXPIRED");

        FakeChannel channel = new FakeChannel();
        queue.opened(channel);
        queue.pump();
        assertThat(channel.sent).containsExactly("young");
        assertThat(young.settled().toCompletableFuture().join()).isEqualTo(SendOutcome.SENT);
    }

    @Test
    void pausesAtHighWaterAndResumesAtLowWater() {
        FakeChannel channel = new FakeChannel();
        queue.opened(channel);
        String thirty = "x".repeat(30);
        assertThat(queue.offer(thirty).outcome()).isEqualTo(SendOutcome.SENT); // buffered 30
        assertThat(queue.offer(thirty).outcome()).isEqualTo(SendOutcome.SENT); // buffered 60 >= 50
        Delivery waiting = queue.offer("w");
        assertThat(waiting.outcome()).isEqualTo(SendOutcome.QUEUED);
        assertThat(queue.offer("v").outcome()).as("order kept behind the queue").isEqualTo(SendOutcome.QUEUED);

        channel.buffered = 30; // below high but above low: still paused (hysteresis)
        assertThat(queue.pump()).isTrue();
        assertThat(channel.sent).hasSize(2);

        channel.buffered = 20;
        assertThat(queue.pump()).isFalse();
        assertThat(channel.sent).containsSubsequence(thirty, thirty, "w", "v");
        assertThat(waiting.settled().toCompletableFuture().join()).isEqualTo(SendOutcome.SENT);
    }

    @Test
    void closeRefusesWhatWaitsAndEverythingAfter() {
        Delivery waiting = queue.offer("w");
        queue.close();
        assertThat(waiting.settled().toCompletableFuture().join()).isEqualTo(SendOutcome.refused(RefusalReason.CLOSED));
        assertThat(refused).containsExactly("w:CLOSED");
        assertThat(queue.offer("late").outcome()).isEqualTo(SendOutcome.refused(RefusalReason.CLOSED));
        queue.close();
        assertThat(refused).hasSize(1);
    }

    @Test
    void aFailingChannelRefusesInsteadOfThrowing() {
        FakeChannel channel = new FakeChannel();
        channel.failing = true;
        queue.opened(channel);
        assertThat(queue.offer("boom").outcome()).isEqualTo(SendOutcome.refused(RefusalReason.SEND_FAILED));
    }
}
