package dev.rendezvous.client.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.client.Peer;
import dev.rendezvous.client.rtc.ChannelListener;
import dev.rendezvous.client.rtc.ChannelOptions;
import dev.rendezvous.client.rtc.DataChannel;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A sender speaking the file protocol by hand on a channel of its own, for tests of what a receiver
 * refuses: what it sends ({@link #meta}, or anything on {@link #channel}), and the replies it gets.
 */
public final class HandSender implements ChannelListener {
    public final DataChannel channel;
    public final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Duration wait;

    /** Opens channel {@code label} (a {@code file:} label) from {@code from} to {@code to}. */
    public HandSender(Peer from, String to, String label, Duration wait) {
        this.wait = wait;
        this.channel = from.openChannel(to, label, ChannelOptions.RELIABLE, this);
    }

    @Override
    public void onMessage(DataChannel c, String text) {
        replies.add(text);
    }

    @Override
    public void onClosed(DataChannel c) {
        closed.complete(null);
    }

    /** The next reply, waited for at most the deadline this sender was made with. */
    public String reply() throws InterruptedException {
        String reply = replies.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reply).as("a reply within %s", wait).isNotNull();
        return reply;
    }

    /** Announces a file, as a sender's first message does. */
    public void meta(String name, long size, String sha256) {
        channel.send(new FileMessage.Meta(name, size, sha256).toJson());
    }
}
