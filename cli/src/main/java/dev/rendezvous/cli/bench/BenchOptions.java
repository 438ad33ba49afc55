package dev.rendezvous.cli.bench;

import java.time.Duration;

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

    /** Defaults matching the shared Node harness's throughput run. */
    public static BenchOptions defaults() {
        return new BenchOptions(
                "relay",
                "127.0.0.1",
                8765,
                "/ws",
                1000,
                64,
                300,
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                0,
                5000,
                10_000,
                200,
                1,
                Duration.ofSeconds(10),
                100,
                8,
                1,
                0,
                Duration.ofSeconds(10));
    }

    public BenchOptions withScenario(String s) {
        return new BenchOptions(
                s,
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

    public BenchOptions withPort(int p) {
        return new BenchOptions(
                scenario,
                host,
                p,
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

    public BenchOptions withLoad(int pairs, int window, long messagesPerPair, int threads) {
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

    public BenchOptions withTiming(Duration duration, Duration warmup, Duration hold) {
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

    public BenchOptions withFanout(int rooms, int roomSize) {
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

    public BenchOptions withServerPid(long pid) {
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
                pid,
                drain);
    }

    String sourceAddress(int i) {
        return sourceAddresses <= 1 ? null : "127.0.0." + (1 + i % sourceAddresses);
    }

    java.net.URI uri(String p) {
        return java.net.URI.create("ws://" + host + ":" + port + p);
    }
}
