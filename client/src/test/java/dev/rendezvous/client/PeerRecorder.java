package dev.rendezvous.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.client.rtc.ConnectionState;
import dev.rendezvous.client.rtc.RefusalReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Records a {@link Peer}'s events as lines ({@code paired bob true}, {@code open bob}, {@code left bob},
 * {@code connected bob}, {@code error peer_not_found}) and its messages as {@code from: text}; tests wait
 * for them with deadlines.
 */
final class PeerRecorder implements PeerListener {
    static final Duration WAIT = Duration.ofSeconds(20);

    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final List<String> undelivered = new ArrayList<>();
    final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> backlog = new ArrayList<>(); // events skipped by a wait, guarded by this
    volatile BiConsumer<String, Boolean> onPairedHook = (peer, initiator) -> {};

    @Override
    public void onPaired(String peerId, boolean initiator) {
        onPairedHook.accept(peerId, initiator);
        events.add("paired " + peerId + " " + initiator);
    }

    @Override
    public void onPeerJoined(String peerId, String username) {
        events.add("joined " + peerId);
    }

    @Override
    public void onPeerLeft(String peerId) {
        events.add("left " + peerId);
    }

    @Override
    public void onConnectionState(String peerId, ConnectionState state) {
        if (state == ConnectionState.CONNECTED) {
            events.add("connected " + peerId);
        }
    }

    @Override
    public void onChannelOpen(String peerId) {
        events.add("open " + peerId);
    }

    @Override
    public void onChannelClosed(String peerId) {
        events.add("closed " + peerId);
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
    public void onSignalingClosed(int code, String reason) {
        events.add("signaling closed " + code);
    }

    @Override
    public void onError(String code, String message) {
        errors.add(code + ": " + message);
        events.add("error " + code);
    }

    /** Waits for the event line {@code expected}, skipping others. */
    void awaitEvent(String expected) throws InterruptedException {
        awaitEvent(expected::equals, expected);
    }

    /** Waits for an event matching {@code matching}; events skipped meanwhile stay available to later waits. */
    synchronized void awaitEvent(Predicate<String> matching, String description) throws InterruptedException {
        for (var it = backlog.iterator(); it.hasNext(); ) {
            if (matching.test(it.next())) {
                it.remove();
                return;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String next = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                throw new AssertionError("no event " + description + " within " + WAIT + "; saw " + backlog);
            }
            if (matching.test(next)) {
                return;
            }
            backlog.add(next);
        }
    }

    String nextMessage() throws InterruptedException {
        String next = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next).as("a message within %s", WAIT).isNotNull();
        return next;
    }
}
