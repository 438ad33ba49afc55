package dev.rendezvous.bench;

import dev.rendezvous.server.hub.LocalHub;
import dev.rendezvous.server.session.ConnectRequest;
import dev.rendezvous.server.session.Connection;
import dev.rendezvous.server.session.ConnectionSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap retained per idle admitted session, v1 against resumable (v1.1): admits {@code N} lobby sessions of
 * each kind on a {@link LocalHub} (links that drop frames, timers that never fire, no sockets) and
 * divides the heap growth after a full GC by {@code N}. The socket and Netty channel cost the same for
 * both kinds and are not counted. Run: {@code java -cp bench/target/benchmarks.jar dev.rendezvous.bench.IdleSessionMemory [N]}.
 */
public final class IdleSessionMemory {
    private IdleSessionMemory() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        for (int round = 0; round < 3; round++) { // the first round warms up class loading and the JIT
            long v1 = perSession(n, false);
            long resumable = perSession(n, true);
            System.out.printf(
                    "round %d: v1 %d B/session, resumable %d B/session, difference %d B%n",
                    round, v1, resumable, resumable - v1);
        }
    }

    private static long perSession(int n, boolean resumable) throws InterruptedException {
        LocalHub hub = new LocalHub();
        ConnectionSettings settings = ConnectionRelayBench.settings(hub, resumable);
        List<Connection> held = new ArrayList<>(n);
        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            Connection c = new Connection(
                    settings,
                    new ConnectionRelayBench.CountingLink(),
                    new ConnectionRelayBench.BenchTransport(),
                    new ConnectRequest(null, null, null, "mem", resumable, false));
            c.open();
            held.add(c);
        }
        long after = usedAfterGc();
        if (hub.state().sessions() != n) {
            throw new IllegalStateException("admitted " + hub.state().sessions() + " of " + n);
        }
        long per = (after - before) / n;
        held.forEach(Connection::onClosed);
        return per;
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50); // a benchmark tool, not a test: let the collector settle
        }
        return mem.getHeapMemoryUsage().getUsed();
    }
}
