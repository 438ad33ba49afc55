package dev.rendezvous.client.signaling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The frames a resumable session has sent, numbered as the server counts them (v1.1): kept until the server's
 * {@code received} in a {@code resumed} says they arrived, so that those it missed can be sent again in order.
 * Frames sent while the connection is gone wait here too. Bounded: written frames beyond the bound are
 * forgotten oldest first (a server reads them long before a thousand more are sent); a frame that would put
 * more than the bound of <em>unwritten</em> frames here is refused.
 *
 * <p>Not thread-safe: guarded by its {@link SignalingClient}'s lock.
 */
final class SentLog {
    /** One frame: its number, its text, and the future of the send that made it. */
    static final class Entry {
        final long seq;
        final String text;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        boolean written;
        boolean gone; // forgotten by the log (acknowledged, trimmed or reset)

        Entry(long seq, String text) {
            this.seq = seq;
            this.text = text;
        }
    }

    private final int maxFrames;
    private final long maxChars;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long lastSeq; // frames counted so far (the number of the newest)
    private long chars;
    private int unwritten;

    SentLog(int maxFrames, long maxChars) {
        this.maxFrames = maxFrames;
        this.maxChars = maxChars;
    }

    /** Numbers and keeps a frame; null when too many unwritten frames wait already. */
    Entry append(String text) {
        if (unwritten >= maxFrames || (unwritten > 0 && unwrittenChars() + text.length() > maxChars)) {
            return null;
        }
        Entry e = new Entry(++lastSeq, text);
        entries.addLast(e);
        chars += text.length();
        unwritten++;
        return e;
    }

    /** The frame went out on a connection (not proof the server read it). */
    void written(Entry e) {
        if (!e.written && !e.gone) {
            e.written = true;
            unwritten--;
        }
        trim();
    }

    /** A write failed with its connection: the frame waits for the next one. */
    void unwritten(Entry e) {
        if (e.written && !e.gone) {
            e.written = false;
            unwritten++;
        }
    }

    /**
     * The server read frames 1..{@code received}: forgets them and returns the rest, in order, marked
     * unwritten (to be sent on the new connection). Null if frames after {@code received} were already
     * forgotten, or {@code received} is beyond what was sent: the session cannot be brought up to date.
     */
    List<Entry> resendAfter(long received) {
        if (received > lastSeq) {
            return null;
        }
        while (!entries.isEmpty() && entries.peekFirst().seq <= received) {
            drop(entries.pollFirst());
        }
        long first = entries.isEmpty() ? lastSeq + 1 : entries.peekFirst().seq;
        if (first != received + 1) {
            return null;
        }
        List<Entry> rest = new ArrayList<>(entries);
        rest.forEach(this::unwritten);
        return rest;
    }

    /** Empties the log (a new session: numbering starts again), returning what was never written. */
    List<Entry> reset() {
        List<Entry> pending = entries.stream().filter(e -> !e.written).toList();
        entries.forEach(e -> e.gone = true);
        entries.clear();
        chars = 0;
        unwritten = 0;
        lastSeq = 0;
        return pending;
    }

    long lastSeq() {
        return lastSeq;
    }

    int size() {
        return entries.size();
    }

    int unwrittenCount() {
        return unwritten;
    }

    private long unwrittenChars() {
        long n = 0;
        for (Entry e : entries) {
            if (!e.written) {
                n += e.text.length();
            }
        }
        return n;
    }

    private void trim() {
        while ((entries.size() > maxFrames || chars > maxChars) && !entries.isEmpty() && entries.peekFirst().written) {
            drop(entries.pollFirst());
        }
    }

    /** The frames not written yet, in order (to go out once a connection is open again). */
    List<Entry> unwrittenEntries() {
        return entries.stream().filter(e -> !e.written).toList();
    }

    private void drop(Entry e) {
        e.gone = true;
        chars -= e.text.length();
        if (!e.written) {
            unwritten--;
        }
    }
}
