package dev.rendezvous.cli.bench;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Adds up counters that clients keep on their own event loops (plain fields, written only there): each
 * owner's counters are read on its loop, so the sum sees every write without making the counters atomic.
 */
final class LoopTotals {

    private LoopTotals() {}

    /**
     * @param owners what holds the counters (a pair, a room)
     * @param loop the event loop that writes an owner's counters
     * @param counters how many totals there are
     * @param add adds one owner's counters into the totals (called on its loop)
     * @return the totals; an owner whose loop did not answer within 5 s is left out
     */
    static <T> long[] sum(List<T> owners, Function<T, EventExecutor> loop, int counters, BiConsumer<T, long[]> add)
            throws InterruptedException {
        long[] totals = new long[counters];
        List<Future<?>> reads = new ArrayList<>();
        for (T owner : owners) {
            reads.add(loop.apply(owner).submit(() -> {
                synchronized (totals) {
                    add.accept(owner, totals);
                }
            }));
        }
        for (Future<?> read : reads) {
            read.await(5, TimeUnit.SECONDS);
        }
        synchronized (totals) {
            return totals.clone();
        }
    }

    /** Adds one owner's {@code counts} into {@code totals}, in order: for {@code add} of {@link #sum}. */
    static void add(long[] totals, long... counts) {
        for (int i = 0; i < counts.length; i++) {
            totals[i] += counts[i];
        }
    }
}
