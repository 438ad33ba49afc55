package dev.rendezvous.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.Queue;

/** A {@link Transport} whose clock only moves when the test says so; timers fire in {@link #advanceMillis}. */
final class ManualTransport implements Transport {
    private record Timer(long at, long seq, Runnable task, boolean[] cancelled) {}

    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>((x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.seq, y.seq));
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private long now = 1_000_000_000L;
    private long seq;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Runnable schedule(Runnable task, long delayNanos) {
        boolean[] cancelled = {false};
        timers.add(new Timer(now + delayNanos, seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Set: {@link #execute} throws, as a stopped event loop does. */
    volatile boolean stopped;

    @Override
    public void execute(Runnable task) {
        if (stopped) {
            throw new java.util.concurrent.RejectedExecutionException("event loop stopped");
        }
        tasks.add(task);
    }

    @Override
    public ByteBuf frameBuffer(int jsonBytes) {
        return UnpooledByteBufAllocator.DEFAULT.buffer(jsonBytes);
    }

    /** Runs tasks handed to {@link #execute}. */
    void runPending() {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
        }
    }

    /** Moves the clock forward by {@code millis}, firing every timer due on the way, in order. */
    void advanceMillis(long millis) {
        long target = now + millis * 1_000_000L;
        while (!timers.isEmpty() && timers.peek().at <= target) {
            Timer t = timers.poll();
            now = Math.max(now, t.at);
            if (!t.cancelled[0]) {
                t.task.run();
            }
            runPending();
        }
        now = target;
    }

    int liveTimers() {
        return (int) timers.stream().filter(t -> !t.cancelled[0]).count();
    }
}
