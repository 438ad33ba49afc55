package dev.rendezvous.client.rtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records a session's events; tests wait on them with deadlines. */
final class SessionRecorder implements PeerSessionListener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final List<String> undelivered = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    final CompletableFuture<Void> open = new CompletableFuture<>();
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final CompletableFuture<Void> channelClosed = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    @Override
    public void onConnectionState(PeerSession session, ConnectionState state) {
        if (state == ConnectionState.CONNECTED) {
            connected.complete(null);
        }
    }

    @Override
    public void onOpen(DataChannel channel) {
        open.complete(null);
    }

    @Override
    public void onClosed(DataChannel channel) {
        channelClosed.complete(null);
    }

    @Override
    public void onMessage(DataChannel channel, String text) {
        messages.add(text);
    }

    @Override
    public synchronized void onUndelivered(DataChannel channel, String text, RefusalReason reason) {
        undelivered.add(text + ":" + reason);
    }

    @Override
    public synchronized void onError(PeerSession session, String message) {
        errors.add(message);
    }

    @Override
    public void onClosed(PeerSession session) {
        closed.complete(null);
    }

    String nextMessage(Duration timeout) throws InterruptedException {
        String next = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next).as("a message within %s", timeout).isNotNull();
        return next;
    }
}
