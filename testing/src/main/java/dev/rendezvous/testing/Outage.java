package dev.rendezvous.testing;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A network outage through a {@link TcpProxy}: every connection is reset (no close frame), and every new one
 * is reset as soon as it appears, for a while; then connections get through again. The fault injection runs
 * on its own virtual thread (a bounded loop over the proxy's pipes), so the test thread stays free.
 */
public final class Outage {
    private Outage() {}

    /** Starts an outage of {@code length}; the future completes when it is over. */
    public static CompletableFuture<Void> start(TcpProxy proxy, Duration length) {
        CompletableFuture<Void> over = new CompletableFuture<>();
        Set<TcpProxy.Pipe> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (TcpProxy.Pipe p : proxy.pipes()) {
            p.cut();
            seen.add(p);
        }
        long end = System.nanoTime() + length.toNanos();
        Thread.ofVirtual().name("outage").start(() -> {
            while (System.nanoTime() - end < 0) {
                for (TcpProxy.Pipe p : proxy.pipes()) {
                    if (seen.add(p)) {
                        p.cut();
                    }
                }
                LockSupport.parkNanos(200_000); // poll the proxy's list; this thread only injects the fault
            }
            over.complete(null);
        });
        return over;
    }
}
