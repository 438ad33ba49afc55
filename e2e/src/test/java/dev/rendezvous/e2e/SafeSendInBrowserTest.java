package dev.rendezvous.e2e;

import static dev.rendezvous.e2e.ModuleHarness.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page's safe send ({@code js/safe-sender.js}) in real Chromium, against a scripted data channel (a
 * test double: these are logic tests; the real channel is exercised by the chat tests) and a clock the
 * test drives. The double fails the test if {@code send} is ever called while it is not open.
 */
class SafeSendInBrowserTest {

    /** A fake RTCDataChannel and a fake clock, installed as globals; `sent` records what reached the wire. */
    private static final String HARNESS = """
      async () => {
        const module = await import('/js/safe-sender.js');
        class FakeChannel extends EventTarget {
          readyState = 'connecting';
          bufferedAmount = 0;
          bufferedAmountLowThreshold = 0;
          sent = [];
          violations = [];
          throwOnSend = false;
          send(text) {
            if (this.readyState !== 'open') this.violations.push(`send while ${this.readyState}`);
            if (this.throwOnSend) throw new Error('OperationError: simulated');
            this.sent.push(text);
          }
          become(state) { this.readyState = state; this.dispatchEvent(new Event(state === 'open' ? 'open' : 'close')); }
        }
        window.clock = { now: 0 };
        window.channel = new FakeChannel();
        window.settled = [];
        window.events = [];
        window.module = module;
        window.newSender = (limits = {}) => new module.SafeSender({
          limits, now: () => window.clock.now, onEvent: (kind, detail) => window.events.push({ kind, ...detail }) });
        window.track = (label) => (result) => window.settled.push({ label, ...result });
      }
      """;

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(5));

    @Test
    void messagesSentBeforeOpenAreQueuedAndFlushedInOrderOnOpen() {
        Map<String, Object> result = run("""
        const sender = newSender();
        sender.attach(channel);
        const immediate = ['one', 'two', 'three'].map((text) => sender.send(text, track(text)).outcome);
        const sentBeforeOpen = channel.sent.length;
        channel.become('open');
        const afterOpen = sender.send('four').outcome;
        return { immediate, sentBeforeOpen, afterOpen, sent: channel.sent, settled, violations: channel.violations, queued: sender.queuedCount };
        """);
        assertThat(result.get("immediate")).isEqualTo(List.of("queued", "queued", "queued"));
        assertThat(result.get("sentBeforeOpen")).isEqualTo(0);
        assertThat(result.get("afterOpen")).isEqualTo("sent");
        assertThat(result.get("sent")).isEqualTo(List.of("one", "two", "three", "four"));
        assertThat(result.get("settled"))
                .isEqualTo(List.of(
                        Map.of("label", "one", "outcome", "sent"),
                        Map.of("label", "two", "outcome", "sent"),
                        Map.of("label", "three", "outcome", "sent")));
        assertThat(result.get("violations")).isEqualTo(List.of());
        assertThat(result.get("queued")).isEqualTo(0);
    }

    @Test
    void theQueueIsBoundedInCountAndBytesAndOversizedMessagesAreRefused() {
        Map<String, Object> result = run("""
        const byCount = newSender({ maxQueuedMessages: 2 });
        const counts = ['a', 'b', 'c'].map((text) => byCount.send(text));
        const byBytes = newSender({ maxQueuedBytes: 10 });
        const bytes = [byBytes.send('12345678'), byBytes.send('éé')];   // 8 bytes, then 4 more: over 10
        const tooLarge = newSender({ maxMessageBytes: 4 }).send('12345');
        return { counts, bytes, tooLarge };
        """);
        List<?> counts = (List<?>) result.get("counts");
        assertThat(counts.subList(0, 2))
                .allSatisfy(r -> assertThat(map(r).get("outcome")).isEqualTo("queued"));
        assertThat(map(counts.get(2))).containsEntry("outcome", "refused").containsEntry("code", "queue_full");
        List<?> bytes = (List<?>) result.get("bytes");
        assertThat(map(bytes.get(0))).containsEntry("outcome", "queued");
        assertThat(map(bytes.get(1))).containsEntry("outcome", "refused").containsEntry("code", "queue_full");
        assertThat(map(result.get("tooLarge")))
                .containsEntry("outcome", "refused")
                .containsEntry("code", "too_large");
    }

    @Test
    void queuedMessagesExpireAndAreReportedNeverSent() {
        Map<String, Object> result = run("""
        const sender = newSender({ queueExpiryMs: 1000 });
        sender.attach(channel);
        sender.send('old', track('old'));
        clock.now = 600;
        sender.send('young', track('young'));
        clock.now = 1000;                     // 'old' is now exactly 1000 ms old
        sender.expireNow();
        const afterExpiry = [...settled];
        channel.become('open');
        return { afterExpiry, sent: channel.sent, settled, events };
        """);
        assertOnlyRefusal(result.get("afterExpiry"), "old", "expired");
        assertThat(result.get("sent")).isEqualTo(List.of("young"));
        assertThat(result.get("events"))
                .asList()
                .anySatisfy(e -> assertThat(map(e)).containsEntry("kind", "expired"));
    }

    @Test
    void afterCloseSendsAreRefusedWithAReasonAndQueuedOnesAreReported() {
        Map<String, Object> result = run("""
        const sender = newSender();
        sender.attach(channel);
        sender.send('waiting', track('waiting'));
        channel.become('closed');
        const later = sender.send('too late');
        return { settled, later, sent: channel.sent, violations: channel.violations };
        """);
        assertOnlyRefusal(result.get("settled"), "waiting", "closed");
        assertThat(map(result.get("later")))
                .containsEntry("outcome", "refused")
                .containsEntry("code", "closed")
                .containsEntry("reason", "data channel closed");
        assertThat(result.get("sent")).isEqualTo(List.of());
        assertThat(result.get("violations")).isEqualTo(List.of());
    }

    @Test
    void aFullSendBufferHoldsMessagesUntilBufferedAmountLow() {
        Map<String, Object> result = run("""
        const sender = newSender({ highWaterMark: 100, lowWaterMark: 10 });
        sender.attach(channel);
        channel.become('open');
        const first = sender.send('first').outcome;
        channel.bufferedAmount = 150;         // the browser has not drained yet
        const held = [sender.send('second').outcome, sender.send('third').outcome];
        const sentWhileFull = [...channel.sent];
        channel.bufferedAmount = 5;
        channel.dispatchEvent(new Event('bufferedamountlow'));
        return { first, held, sentWhileFull, sent: channel.sent, threshold: channel.bufferedAmountLowThreshold };
        """);
        assertThat(result.get("first")).isEqualTo("sent");
        assertThat(result.get("held")).isEqualTo(List.of("queued", "queued"));
        assertThat(result.get("sentWhileFull")).isEqualTo(List.of("first"));
        assertThat(result.get("sent")).isEqualTo(List.of("first", "second", "third"));
        assertThat(result.get("threshold")).isEqualTo(10);
    }

    @Test
    void aSendTheBrowserRejectsIsReportedNotThrown() {
        Map<String, Object> result = run("""
        const sender = newSender();
        sender.attach(channel);
        channel.become('open');
        channel.throwOnSend = true;
        const outcome = sender.send('boom');
        return { outcome, events };
        """);
        assertThat(map(result.get("outcome")))
                .containsEntry("outcome", "refused")
                .containsEntry("code", "send_failed");
        assertThat(result.get("events"))
                .asList()
                .anySatisfy(e -> assertThat(map(e)).containsEntry("kind", "send_failed"));
    }

    /** {@code settled} holds one result: the message labelled {@code label}, refused with {@code code}. */
    private static void assertOnlyRefusal(Object settled, String label, String code) {
        assertThat(settled)
                .asList()
                .singleElement()
                .satisfies(r -> assertThat(map(r))
                        .containsEntry("label", label)
                        .containsEntry("outcome", "refused")
                        .containsEntry("code", code));
    }

    private static Map<String, Object> run(String body) {
        return ModuleHarness.run(e2e, HARNESS, body);
    }
}
