package dev.rendezvous.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Thread-CPU nanoseconds per relayed frame through {@link ConnectionRelayBench}'s setup, in a plain loop: CPU time
 * rather than wall time, so other processes on a shared machine mostly drop out (docs/benchmarks.md,
 * "Relay guard for the dispatch rework"). Warms up with 12 M frames, then prints the median and best of 5
 * rounds of 2 M frames of each kind.
 */
public final class RelayCpuPerFrame {
    private RelayCpuPerFrame() {}

    public static void main(String[] args) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ConnectionRelayBench b = new ConnectionRelayBench();
        b.setUp();
        int n = 2_000_000;
        long sink = 0;
        for (int i = 0; i < 3 * n; i++) {
            sink += b.unaddressed();
            sink += b.addressed();
        } // warm-up
        StringBuilder out = new StringBuilder();
        for (String kind : new String[] {"unaddressed", "addressed"}) {
            double best = Double.MAX_VALUE;
            double[] all = new double[5];
            for (int r = 0; r < 5; r++) {
                long c0 = mx.getCurrentThreadCpuTime();
                if (kind.equals("unaddressed")) for (int i = 0; i < n; i++) sink += b.unaddressed();
                else for (int i = 0; i < n; i++) sink += b.addressed();
                all[r] = (mx.getCurrentThreadCpuTime() - c0) / (double) n;
                best = Math.min(best, all[r]);
            }
            java.util.Arrays.sort(all);
            out.append(String.format("%s cpu ns/op median %.1f min %.1f; ", kind, all[2], best));
        }
        System.out.println(out + "(" + sink + ")");
    }
}
