package dev.rendezvous.cli;

import dev.rendezvous.client.rtc.DataChannel;
import dev.rendezvous.client.rtc.Delivery;
import dev.rendezvous.client.rtc.RefusalReason;
import dev.rendezvous.client.rtc.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What became of every line {@code chat} sent, so that at the end of input it can say which lines did
 * not arrive: each line's delivery per peer, in order. A line is undelivered to a peer if it was
 * refused, is still queued, or sits in the tail of bytes the peer's channel still had not sent when
 * the connection was given up. Thread-safe (lines are added on the reading thread and on the peer's
 * event thread, which releases lines held for a pairing).
 */
final class ChatDeliveries {
    /** One line sent to one peer. */
    private record Sent(String peerId, String text, Delivery delivery, DataChannel channel) {
        long bytes() {
            return text.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private final List<Sent> sent = new ArrayList<>(); // guarded by this, in send order

    /** {@code channel} is the channel it went on (null if the peer's session is already gone). */
    synchronized void record(String peerId, String text, Delivery delivery, DataChannel channel) {
        sent.add(new Sent(peerId, text, delivery, channel));
    }

    /** Waits until every queued line is settled (sent or refused), at most until {@code deadlineNanos}. */
    void awaitSettled(long deadlineNanos) throws InterruptedException {
        CompletableFuture<?>[] waiting;
        synchronized (this) {
            waiting = sent.stream()
                    .map(s -> s.delivery().settled().toCompletableFuture())
                    .filter(f -> !f.isDone())
                    .toArray(CompletableFuture[]::new);
        }
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        try {
            CompletableFuture.allOf(waiting).get(left, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // What did not settle is named by undelivered().
        }
    }

    /**
     * Each undelivered line with why, in send order ({@code "to bob: hello (connection closed)"}). A
     * channel's {@code bufferedAmount()} says how many bytes it never sent: that many bytes from the end
     * of what went on it.
     */
    synchronized List<String> undelivered() {
        Map<Sent, String> why = new LinkedHashMap<>();
        Map<DataChannel, Long> tailLeft = new LinkedHashMap<>();
        for (int i = sent.size() - 1; i >= 0; i--) {
            Sent s = sent.get(i);
            SendOutcome outcome = s.delivery().settled().toCompletableFuture().getNow(SendOutcome.QUEUED);
            switch (outcome) {
                case SendOutcome.Refused r -> why.put(s, describe(r.reason()));
                case SendOutcome.Queued q -> why.put(s, "still queued when chat gave up");
                case SendOutcome.Sent ok -> {
                    if (s.channel() == null) {
                        break;
                    }
                    long left = tailLeft.computeIfAbsent(s.channel(), DataChannel::bufferedAmount);
                    if (left > 0) {
                        why.put(s, "not sent before the connection closed");
                        tailLeft.put(s.channel(), left - s.bytes());
                    }
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (Sent s : sent) {
            String reason = why.get(s);
            if (reason != null) {
                lines.add("to " + s.peerId() + ": " + ChatConsole.oneLine(s.text()) + " (" + reason + ")");
            }
        }
        return lines;
    }

    static String describe(RefusalReason reason) {
        return switch (reason) {
            case CLOSED -> "connection closed";
            case QUEUE_FULL -> "too many messages waiting";
            case EXPIRED -> "expired before the channel opened";
            case TOO_LARGE -> "message too large";
            case SEND_FAILED -> "the data channel refused it";
        };
    }
}
