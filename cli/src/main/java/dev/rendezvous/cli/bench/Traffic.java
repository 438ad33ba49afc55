package dev.rendezvous.cli.bench;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The running totals of a relay scenario (relay, latency, fanout), added to by every client on its own
 * event loop and read by the thread that drives the run. Deliveries are also counted, with their latency,
 * inside the measured window ({@link #openWindow} to {@link #closeWindow}), so warm-up and drain do not count.
 */
final class Traffic {
    /** Messages sent. */
    final LongAdder sent = new LongAdder();
    /** Relayed messages received: once per receiver. */
    final LongAdder received = new LongAdder();
    /** Sent messages the server answered with {@code rate_limited} instead of relaying: not a loss. */
    final LongAdder refused = new LongAdder();
    /** Frames no client expected. */
    final LongAdder unexpected = new LongAdder();

    private final LongAdder measured = new LongAdder();
    private final Recorder latency = new Recorder(3_600_000_000L, 3);
    private volatile boolean measuring;
    private long serverCpuAtStart;
    private long selfCpuAtStart;

    /** A relayed message sent at {@code sentAt} arrived at {@code now} (both {@link System#nanoTime}). */
    void arrived(long sentAt, long now) {
        received.increment();
        if (measuring) {
            measured.increment();
            latency.recordValue(Math.max(0, now - sentAt));
        }
    }

    /** Deliveries counted in the measured window so far. */
    long measured() {
        return measured.sum();
    }

    /** Opens the measured window: latency starts afresh and both sides' CPU is sampled. */
    void openWindow(long serverPid) {
        latency.reset();
        measuring = true;
        serverCpuAtStart = ProcStats.cpuNanos(serverPid);
        selfCpuAtStart = ProcStats.selfCpuNanos();
    }

    /**
     * Closes the window, which lasted {@code nanos} (the caller may end it before now, at a stall), and returns
     * its figures. CPU is counted from the window's opening, or from zero if it never opened.
     */
    Window closeWindow(long nanos, long serverPid) {
        measuring = false;
        long serverCpu = serverPid > 0 ? ProcStats.cpuNanos(serverPid) - serverCpuAtStart : -1;
        long selfCpu = ProcStats.selfCpuNanos() - selfCpuAtStart;
        return new Window(nanos, measured.sum(), serverCpu, selfCpu, latency.getIntervalHistogram());
    }

    /** The measured window: its length, the deliveries in it, CPU time of each side, and latency. */
    record Window(long nanos, long delivered, long serverCpu, long selfCpu, Histogram latency) {

        double seconds() {
            return nanos / 1e9;
        }

        /** Adds the latency percentiles, then the CPU figures per delivery. */
        void addTo(BenchResult r, long serverPid) {
            r.latency(latency);
            Bench.cpu(r, serverPid, serverCpu, selfCpu, nanos, delivered);
        }
    }
}
