package dev.rendezvous.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Event lines a test waits for with a deadline (what a recorder or a peer process writes, in arrival
 * order). A wait for one line skips the others; skipped lines stay available to later waits, so a test
 * may wait for events in another order than the one they came in. Writers add from any thread; waits are
 * serialised.
 */
public final class EventLines {
    private final Duration wait;
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> backlog = new ArrayList<>(); // lines skipped by a wait, guarded by this

    public EventLines(Duration wait) {
        this.wait = wait;
    }

    public void add(String line) {
        unread.add(line);
    }

    /** Lines no wait has taken or skipped yet. */
    public List<String> unread() {
        return List.copyOf(unread);
    }

    /** The next line not taken or skipped yet, whatever it is (the backlog is not looked at). */
    public String next() throws InterruptedException {
        String next = unread.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("no event within " + wait);
        }
        return next;
    }

    /** Waits for the line {@code expected}. */
    public void await(String expected) throws InterruptedException {
        await(expected::equals, "\"" + expected + "\"");
    }

    /**
     * Waits for a line {@code matching}, first among the lines earlier waits skipped; fails naming
     * {@code description} and every line skipped so far.
     */
    public synchronized void await(Predicate<String> matching, String description) throws InterruptedException {
        for (var it = backlog.iterator(); it.hasNext(); ) {
            if (matching.test(it.next())) {
                it.remove();
                return;
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String next = left > 0 ? unread.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                throw new AssertionError("no event " + description + " within " + wait + "; saw " + backlog);
            }
            if (matching.test(next)) {
                return;
            }
            backlog.add(next);
        }
    }
}
