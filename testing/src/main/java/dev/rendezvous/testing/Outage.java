package dev.rendezvous.testing;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A network outage through a {@link TcpProxy}: every connection is reset (no close frame), and every new one
 * is reset as soon as it appears, until the test ends the outage; then connections get through again. The
 * fault injection runs on its own virtual thread (a bounded loop over the proxy's pipes), so the test thread
 * stays free to check what happens meanwhile — which is why a test ends the outage itself
 * ({@link #endAfter}) rather than racing a fixed timer on a loaded machine.
 */
public final class Outage {
    private static final long FOREVER = Long.MAX_VALUE;
    private final long started = System.nanoTime();
    private final CompletableFuture<Void> over = new CompletableFuture<>();
    private volatile long lengthNanos = FOREVER;

    private Outage(TcpProxy proxy) {
        Set<TcpProxy.Pipe> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (TcpProxy.Pipe p : proxy.pipes()) {
            p.cut();
            seen.add(p);
        }
        Thread.ofVirtual().name("outage").start(() -> {
            while (System.nanoTime() - started < lengthNanos) {
                for (TcpProxy.Pipe p : proxy.pipes()) {
                    if (seen.add(p)) {
                        p.cut();
                    }
                }
                LockSupport.parkNanos(200_000); // poll the proxy's list; this thread only injects the fault
            }
            over.complete(null);
        });
    }

    /** Starts an outage that lasts until {@link #endAfter} or {@link #end}. */
    public static Outage begin(TcpProxy proxy) {
        return new Outage(proxy);
    }

    /** Starts an outage of {@code length}; the future completes when it is over. */
    public static CompletableFuture<Void> start(TcpProxy proxy, Duration length) {
        return begin(proxy).endAfter(length);
    }

    /** Ends the outage once it has lasted {@code atLeast} (at once if it already has); completes when over. */
    public CompletableFuture<Void> endAfter(Duration atLeast) {
        lengthNanos = atLeast.toNanos();
        return over.copy();
    }

    /** Ends the outage now. */
    public CompletableFuture<Void> end() {
        return endAfter(Duration.ZERO);
    }

    public boolean isOver() {
        return over.isDone();
    }
}
