package dev.rendezvous.server.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The per-client-address limits on connections: at most {@code maxPerAddress} open at once, and new ones at
 * {@code ratePerSecond} with bursts of {@code burst} (a token bucket per address). An IPv6 client counts by
 * its /64, the smallest block one subscriber is usually given: an attacker with a /64 has 2^64 addresses.
 *
 * <p>Thread-safe: called from every event loop. Each address's entry is only read and changed inside
 * {@link ConcurrentHashMap#compute}, so the count and the bucket change atomically; an entry with no open
 * connection and a full bucket is dropped by {@link #sweep()}, so the map holds only addresses that are
 * connected or were lately.
 */
public final class AddressGate {

    /** Why a connection was refused, or that it was let in. */
    public enum Verdict {
        OPEN,
        /** The address holds {@code maxPerAddress} connections already. */
        TOO_MANY,
        /** The address opened connections faster than the rate and burst allow. */
        TOO_FAST
    }

    /**
     * @param maxPerAddress open connections per address; 0 = unlimited
     * @param ratePerSecond new connections per second per address; 0 = unlimited
     * @param burst new connections an address may open at once
     * @param trustedProxies peers whose {@code X-Forwarded-For} is believed
     */
    public record Limits(int maxPerAddress, double ratePerSecond, double burst, List<AddressRange> trustedProxies) {
        public Limits {
            trustedProxies = List.copyOf(trustedProxies);
        }

        /** Whether any limit is on (otherwise the gate need not run). */
        public boolean any() {
            return maxPerAddress > 0 || ratePerSecond > 0;
        }
    }

    private static final class Entry {
        int open;
        double tokens;
        long refilledAt;
    }

    private final Limits limits;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<InetAddress, Entry> entries = new ConcurrentHashMap<>();

    /** @param nanos a monotonic clock in nanoseconds ({@link System#nanoTime} in production) */
    public AddressGate(Limits limits, LongSupplier nanos) {
        this.limits = limits;
        this.nanos = nanos;
    }

    public Limits limits() {
        return limits;
    }

    /** Whether {@code peer} is a trusted proxy: its connections are counted against the forwarded address. */
    public boolean trustedProxy(InetAddress peer) {
        for (AddressRange r : limits.trustedProxies()) {
            if (r.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A new connection from {@code address}: {@link Verdict#OPEN} counts it (the caller then calls
     * {@link #close} exactly once when it ends); any other verdict counts nothing.
     */
    public Verdict open(InetAddress address) {
        Verdict[] verdict = {Verdict.OPEN};
        long now = nanos.getAsLong();
        entries.compute(key(address), (k, e) -> {
            if (e == null) {
                e = new Entry();
                e.tokens = limits.burst();
                e.refilledAt = now;
            }
            if (limits.maxPerAddress() > 0 && e.open >= limits.maxPerAddress()) {
                verdict[0] = Verdict.TOO_MANY;
                return e;
            }
            if (limits.ratePerSecond() > 0) {
                refill(e, now);
                if (e.tokens < 1) {
                    verdict[0] = Verdict.TOO_FAST;
                    return e;
                }
                e.tokens -= 1;
            }
            e.open++;
            return e;
        });
        return verdict[0];
    }

    /** A connection counted by {@link #open} ended. */
    public void close(InetAddress address) {
        entries.computeIfPresent(key(address), (k, e) -> {
            e.open--;
            return e;
        });
    }

    /** Open connections counted for {@code address} now. */
    public int openConnections(InetAddress address) {
        Entry e = entries.get(key(address));
        return e == null ? 0 : e.open;
    }

    /** Drops the entries of addresses with no open connection and a full bucket; returns how many remain. */
    public int sweep() {
        long now = nanos.getAsLong();
        for (InetAddress k : entries.keySet()) {
            entries.computeIfPresent(k, (key, e) -> {
                if (e.open > 0) {
                    return e;
                }
                if (limits.ratePerSecond() > 0) {
                    refill(e, now);
                    return e.tokens >= limits.burst() ? null : e;
                }
                return null;
            });
        }
        return entries.size();
    }

    private void refill(Entry e, long now) {
        double elapsedSeconds = (now - e.refilledAt) / 1e9;
        e.tokens = Math.min(limits.burst(), e.tokens + elapsedSeconds * limits.ratePerSecond());
        e.refilledAt = now;
    }

    /** The address itself for IPv4; the /64 for IPv6. */
    static InetAddress key(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return address;
        }
        for (int i = 8; i < 16; i++) {
            b[i] = 0;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are always a valid IPv6 address
        }
    }
}
