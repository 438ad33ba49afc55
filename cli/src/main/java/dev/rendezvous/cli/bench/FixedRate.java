package dev.rendezvous.cli.bench;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;

/**
 * Open loop: a fixed total send rate, split evenly over the event loops. A 1 ms ticker on each loop sends
 * every message due since the start (so a late tick catches up rather than lowering the rate), handing each
 * a running slot number that tells the turns of the loop's senders apart, then flushes what it wrote in one go.
 */
final class FixedRate {

    private FixedRate() {}

    /**
     * @param byLoop the senders of each event loop (rooms, pairs), confined to that loop
     * @param perSecond the total rate, messages per second
     * @param start when the rate starts ({@link System#nanoTime})
     * @param sending whether to send at all (false: a tick does nothing)
     * @param send sends the message of one slot (0, 1, 2, … per loop) from the loop's senders, on the loop
     * @param flush flushes what {@code send} queued on the loop's senders, once per tick
     * @return the tickers, to cancel
     */
    static <T> List<ScheduledFuture<?>> schedule(
            Map<EventLoop, List<T>> byLoop,
            double perSecond,
            long start,
            BooleanSupplier sending,
            ObjLongConsumer<List<T>> send,
            Consumer<List<T>> flush) {
        double perNano = perSecond / 1e9 / byLoop.size();
        List<ScheduledFuture<?>> tickers = new ArrayList<>();
        byLoop.forEach((loop, senders) -> {
            long[] slots = new long[1]; // messages this loop has sent: the next slot's number; confined to the loop
            tickers.add(loop.scheduleAtFixedRate(
                    () -> {
                        if (!sending.getAsBoolean()) {
                            return;
                        }
                        long due = (long) ((System.nanoTime() - start) * perNano);
                        while (slots[0] < due) {
                            send.accept(senders, slots[0]++);
                        }
                        flush.accept(senders);
                    },
                    0,
                    1,
                    TimeUnit.MILLISECONDS));
        });
        return tickers;
    }
}
