package dev.rendezvous.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.client.rtc.RefusalReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Records a {@link Peer}'s events as lines (see {@link PeerEventLines}) and its messages as
 * {@code from: text}; tests wait for them with deadlines.
 */
class PeerRecorder extends PeerEventLines {
    static final Duration WAIT = Duration.ofSeconds(20);

    final EventLines events;
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final List<String> undelivered = new ArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    volatile BiConsumer<String, Boolean> onPairedHook = (peer, initiator) -> {};

    PeerRecorder() {
        this(new EventLines(WAIT));
    }

    private PeerRecorder(EventLines events) {
        super(events::add);
        this.events = events;
    }

    @Override
    public void onPaired(String peerId, boolean initiator) {
        onPairedHook.accept(peerId, initiator);
        super.onPaired(peerId, initiator);
    }

    @Override
    public void onMessage(String peerId, String text) {
        messages.add(peerId + ": " + text);
    }

    @Override
    public synchronized void onUndelivered(String peerId, String text, RefusalReason reason) {
        undelivered.add(peerId + ": " + text + " " + reason);
    }

    @Override
    public void onError(String code, String message) {
        errors.add(code + ": " + message);
        super.onError(code, message);
    }

    /** Waits for the event line {@code expected}, skipping others. */
    void awaitEvent(String expected) throws InterruptedException {
        events.await(expected);
    }

    /** Waits for an event matching {@code matching}; events skipped meanwhile stay available to later waits. */
    void awaitEvent(Predicate<String> matching, String description) throws InterruptedException {
        events.await(matching, description);
    }

    String nextMessage() throws InterruptedException {
        String next = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next).as("a message within %s", WAIT).isNotNull();
        return next;
    }
}
