package dev.rendezvous.cli.bench;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * What one bench run does. Every count and time is bounded by the caller (the command validates them).
 *
 * @param scenario relay, latency, capacity or fanout
 * @param host the server's address (127.0.0.0/8 only)
 * @param pairs relay/latency: number of sender→receiver pairs
 * @param window relay: unacknowledged messages per pair; latency: the per-pair cap on messages in flight
 * @param messageBytes approximate size of a relayed frame as sent
 * @param duration measured time (after {@code warmup}); ignored when {@code messagesPerPair} > 0
 * @param messagesPerPair relay: send exactly this many per pair, then stop (0: run for {@code duration})
 * @param rate latency and fanout: messages sent per second in total
 * @param connections capacity: idle connections to open
 * @param concurrency capacity and set-up: handshakes in flight at once
 * @param sourceAddresses client sockets bind 127.0.0.1 … 127.0.0.N round robin (more ephemeral ports)
 * @param hold capacity: how long to keep the connections open (answering pings) before closing them
 * @param rooms fanout: number of rooms
 * @param roomSize fanout: members per room
 * @param threads event loop threads of the load generator
 * @param serverPid the server's pid for CPU/RSS (0: find it from the listening port; -1: don't look)
 * @param drain how long to wait for in-flight messages after sending stopped
 */
public record BenchOptions(
        String scenario,
        String host,
        int port,
        String path,
        int pairs,
        int window,
        int messageBytes,
        Duration duration,
        Duration warmup,
        long messagesPerPair,
        int rate,
        int connections,
        int concurrency,
        int sourceAddresses,
        Duration hold,
        int rooms,
        int roomSize,
        int threads,
        long serverPid,
        Duration drain) {

    /** Defaults matching the shared Node harness's throughput run (the initial values of {@link Builder}). */
    public static BenchOptions defaults() {
        return new Builder().build();
    }

    /** A copy of these options with what {@code change} sets on a {@link Builder} that starts from them. */
    public BenchOptions with(Consumer<Builder> change) {
        Builder builder = new Builder(this);
        change.accept(builder);
        return builder.build();
    }

    public BenchOptions withScenario(String s) {
        return with(b -> b.scenario = s);
    }

    public BenchOptions withPort(int p) {
        return with(b -> b.port = p);
    }

    public BenchOptions withLoad(int pairs, int window, long messagesPerPair, int threads) {
        return with(b -> {
            b.pairs = pairs;
            b.window = window;
            b.messagesPerPair = messagesPerPair;
            b.threads = threads;
        });
    }

    public BenchOptions withTiming(Duration duration, Duration warmup, Duration hold) {
        return with(b -> {
            b.duration = duration;
            b.warmup = warmup;
            b.hold = hold;
        });
    }

    public BenchOptions withConnections(int connections, int concurrency, int sourceAddresses) {
        return with(b -> {
            b.connections = connections;
            b.concurrency = concurrency;
            b.sourceAddresses = sourceAddresses;
        });
    }

    public BenchOptions withFanout(int rooms, int roomSize) {
        return with(b -> {
            b.rooms = rooms;
            b.roomSize = roomSize;
        });
    }

    public BenchOptions withServerPid(long pid) {
        return with(b -> b.serverPid = pid);
    }

    /**
     * The one way to change options: a mutable copy, used only inside {@link #with}, so that a change names
     * the fields it sets instead of repeating all twenty in order. Its initial values are the defaults.
     */
    public static final class Builder {
        public String scenario = "relay";
        public String host = "127.0.0.1";
        public int port = 8765;
        public String path = "/ws";
        public int pairs = 1000;
        public int window = 64;
        public int messageBytes = 300;
        public Duration duration = Duration.ofSeconds(10);
        public Duration warmup = Duration.ofSeconds(2);
        public long messagesPerPair = 0;
        public int rate = 5000;
        public int connections = 10_000;
        public int concurrency = 200;
        public int sourceAddresses = 1;
        public Duration hold = Duration.ofSeconds(10);
        public int rooms = 100;
        public int roomSize = 8;
        public int threads = 1;
        public long serverPid = 0;
        public Duration drain = Duration.ofSeconds(10);

        private Builder() {}

        private Builder(BenchOptions o) {
            scenario = o.scenario;
            host = o.host;
            port = o.port;
            path = o.path;
            pairs = o.pairs;
            window = o.window;
            messageBytes = o.messageBytes;
            duration = o.duration;
            warmup = o.warmup;
            messagesPerPair = o.messagesPerPair;
            rate = o.rate;
            connections = o.connections;
            concurrency = o.concurrency;
            sourceAddresses = o.sourceAddresses;
            hold = o.hold;
            rooms = o.rooms;
            roomSize = o.roomSize;
            threads = o.threads;
            serverPid = o.serverPid;
            drain = o.drain;
        }

        private BenchOptions build() {
            return new BenchOptions(
                    scenario,
                    host,
                    port,
                    path,
                    pairs,
                    window,
                    messageBytes,
                    duration,
                    warmup,
                    messagesPerPair,
                    rate,
                    connections,
                    concurrency,
                    sourceAddresses,
                    hold,
                    rooms,
                    roomSize,
                    threads,
                    serverPid,
                    drain);
        }
    }

    String sourceAddress(int i) {
        return sourceAddresses <= 1 ? null : "127.0.0." + (1 + i % sourceAddresses);
    }

    java.net.URI uri(String p) {
        return java.net.URI.create("ws://" + host + ":" + port + p);
    }
}
