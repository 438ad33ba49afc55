package dev.rendezvous.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * CPU time per relayed frame (thread CPU time, so other processes' load mostly drops out), v1 against
 * resumable sessions (v1.1), alternating A/B in one JVM: {@link ConnectionRelayBench}'s relay in a plain
 * loop, warmed up, then the median of 5 rounds per kind. Run:
 * {@code java -Xmx512m -Xmn64m -cp "bench/target/classes:bench/target/lib/*" dev.rendezvous.bench.ResumeRelayCpu}.
 */
public final class ResumeRelayCpu {
    private ResumeRelayCpu() {}

    public static void main(String[] args) {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        ConnectionRelayBench v1 = bench(false);
        ConnectionRelayBench resumable = bench(true);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 6; i++) { // warm-up of both paths
            run(v1, frames);
            run(resumable, frames);
        }
        double[] a = new double[5];
        double[] b = new double[5];
        for (int round = 0; round < 5; round++) { // A/B alternating
            long t0 = cpu.getCurrentThreadCpuTime();
            run(v1, frames);
            long t1 = cpu.getCurrentThreadCpuTime();
            run(resumable, frames);
            long t2 = cpu.getCurrentThreadCpuTime();
            a[round] = (t1 - t0) / (double) frames;
            b[round] = (t2 - t1) / (double) frames;
        }
        Arrays.sort(a);
        Arrays.sort(b);
        System.out.printf(
                "unaddressed ns CPU/frame: v1 median %.0f (%s), resumable median %.0f (%s), ratio %.3f%n",
                a[2], Arrays.toString(round(a)), b[2], Arrays.toString(round(b)), b[2] / a[2]);
    }

    private static ConnectionRelayBench bench(boolean resumable) {
        ConnectionRelayBench b = new ConnectionRelayBench();
        b.resumable = resumable;
        b.setUp();
        return b;
    }

    private static long run(ConnectionRelayBench b, int frames) {
        long sink = 0;
        for (int i = 0; i < frames; i++) {
            sink += b.unaddressed();
        }
        return sink;
    }

    private static long[] round(double[] v) {
        return Arrays.stream(v).mapToLong(Math::round).toArray();
    }
}
