package dev.rendezvous.server.logging;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many log lines clients may cause: a token bucket shared by the whole process (the log file is one
 * per process, and a kicked client just reconnects, so a per-connection limit alone would not bound it).
 * {@value #LINES_PER_SECOND} lines a second, bursts of {@value #BURST}; a line over the budget is not
 * written but counted ({@link #suppressed()}, exported as {@code rendezvous_log_lines_suppressed_total}).
 * The errors themselves are always counted in {@code rendezvous_errors_sent_total{code}}.
 *
 * <p>Lock-free: one compare-and-set per line that asks, none on the relay path.
 */
public final class LogBudget {
    static final int LINES_PER_SECOND = 20;
    static final int BURST = 100;
    private static final long NANOS_PER_LINE = 1_000_000_000L / LINES_PER_SECOND;

    /** Client-caused lines (refusals, protocol violations, rate limits). */
    public static final LogBudget CLIENTS = new LogBudget(System::nanoTime);

    /** A clock in nanoseconds (tests drive their own). */
    public interface Clock {
        long nanoTime();
    }

    private final Clock clock;
    /** The time at which the bucket is empty again; a line spends {@link #NANOS_PER_LINE} of it. */
    private final AtomicLong emptyAt;

    private final AtomicLong suppressed = new AtomicLong();

    LogBudget(Clock clock) {
        this.clock = clock;
        this.emptyAt = new AtomicLong(clock.nanoTime() - BURST * NANOS_PER_LINE);
    }

    /** True when one more line may be written now; else the line is counted as suppressed. */
    public boolean tryLine() {
        long now = clock.nanoTime();
        while (true) {
            long at = emptyAt.get();
            long start = Math.max(at, now - BURST * NANOS_PER_LINE);
            long next = start + NANOS_PER_LINE;
            if (next > now) {
                suppressed.incrementAndGet();
                return false;
            }
            if (emptyAt.compareAndSet(at, next)) {
                return true;
            }
        }
    }

    /** Lines not written for want of budget, since the process started. */
    public long suppressed() {
        return suppressed.get();
    }
}
