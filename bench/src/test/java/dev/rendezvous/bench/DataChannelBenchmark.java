package dev.rendezvous.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerListener;
import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.PeerProcess;
import dev.rendezvous.client.TestPeers;
import dev.rendezvous.client.rtc.DataChannel;
import dev.rendezvous.client.rtc.Delivery;
import dev.rendezvous.client.rtc.RawChannelPair;
import dev.rendezvous.client.rtc.RtcRuntime;
import dev.rendezvous.client.rtc.SendOutcome;
import dev.rendezvous.client.rtc.SendPolicy;
import dev.rendezvous.testing.ServerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Java↔Java figures through a real server on 127.0.0.1, WebRTC in loopback mode: time from {@code paired}
 * to channel open, and data channel throughput. Not a test: it runs only with {@code -Drendezvous.bench=true}
 * (see docs/benchmarks.md) and writes {@code bench/target/benchmarks/java-peer.md}. Bounded: a fixed
 * number of pairings and a fixed volume.
 */
@EnabledIfSystemProperty(named = "rendezvous.bench", matches = "true")
class DataChannelBenchmark {
    private static final int PAIRINGS = Integer.getInteger("rendezvous.bench.pairings", 30);
    private static final long VOLUME_BYTES = Long.getLong("rendezvous.bench.mib", 256) << 20;
    private static final int[] SIZES = java.util.Arrays.stream(
                    System.getProperty("rendezvous.bench.sizesKiB", "1,16,64").split(","))
            .mapToInt(k -> Integer.parseInt(k.trim()) * 1024)
            .toArray();
    private static final long HIGH_WATER =
            Long.getLong("rendezvous.bench.highKiB", SendPolicy.DEFAULT.highWaterBytes() >> 10) << 10;

    private static final long LOW_WATER =
            Long.getLong("rendezvous.bench.lowKiB", SendPolicy.DEFAULT.lowWaterBytes() >> 10) << 10;
    /** -Drendezvous.bench.rawUdpBufferKiB=4096: raw webrtc-java with the SDK's socket tuning too (0: the system's). */
    private static final int RAW_UDP_BUFFER_KIB = Integer.getInteger("rendezvous.bench.rawUdpBufferKiB", 0);

    /** Timestamps of one pairing, taken on the event threads. */
    private static final class Timing implements PeerListener {
        volatile long pairedNanos;
        volatile CompletableFuture<Long> open = new CompletableFuture<>();
        volatile CompletableFuture<Void> left = new CompletableFuture<>();
        final AtomicLong receivedBytes = new AtomicLong();
        volatile long expectedBytes = Long.MAX_VALUE;
        volatile CompletableFuture<Long> allReceived = new CompletableFuture<>();

        @Override
        public void onPaired(String peerId, boolean initiator) {
            pairedNanos = System.nanoTime();
        }

        @Override
        public void onChannelOpen(String peerId) {
            open.complete(System.nanoTime());
        }

        @Override
        public void onPeerLeft(String peerId) {
            left.complete(null);
        }

        @Override
        public void onMessage(String peerId, String text) {
            if (receivedBytes.addAndGet(text.length()) >= expectedBytes) {
                allReceived.complete(System.nanoTime());
            }
        }

        @Override
        public void onMessage(String peerId, java.nio.ByteBuffer data) {
            if (receivedBytes.addAndGet(data.remaining()) >= expectedBytes) {
                allReceived.complete(System.nanoTime());
            }
        }

        /** Starts a run: counts received bytes from zero and completes {@link #allReceived} at {@code bytes}. */
        void expect(long bytes) {
            receivedBytes.set(0);
            allReceived = new CompletableFuture<>();
            expectedBytes = bytes;
        }

        void reset() {
            open = new CompletableFuture<>();
            left = new CompletableFuture<>();
        }
    }

    @Test
    void measure() throws Exception {
        List<String> report = new ArrayList<>();
        try (ServerFixture server = ServerFixture.start()) {
            Timing a = new Timing();
            Timing b = new Timing();
            try (Peer initiator = connect(server, "bench-a", a);
                    Peer answerer = connect(server, "bench-b", b)) {
                List<Double> initiatorOpen = new ArrayList<>();
                List<Double> bothOpen = new ArrayList<>();
                for (int i = 0; i < PAIRINGS; i++) {
                    a.reset();
                    b.reset();
                    initiator.pair("bench-b");
                    long aOpen = a.open.get(20, TimeUnit.SECONDS);
                    long bOpen = b.open.get(20, TimeUnit.SECONDS);
                    initiatorOpen.add((aOpen - a.pairedNanos) / 1e6);
                    bothOpen.add((Math.max(aOpen, bOpen) - Math.min(a.pairedNanos, b.pairedNanos)) / 1e6);
                    if (i < PAIRINGS - 1) {
                        initiator.leave(); // unpair: the answerer hears peer_disconnected; both reset
                        b.left.get(20, TimeUnit.SECONDS);
                    }
                }
                report.add("| paired → channel open (initiator), " + PAIRINGS + " pairings | " + summary(initiatorOpen)
                        + " |");
                report.add("| paired → channel open on both sides | " + summary(bothOpen) + " |");

                for (int size : new int[] {1024, 16 * 1024, 64 * 1024}) {
                    report.add("| throughput, one JVM, " + (size / 1024) + " KiB messages, " + (VOLUME_BYTES >> 20)
                            + " MiB | " + String.format(Locale.ROOT, "%.1f MiB/s", throughput(initiator, b, size))
                            + " |");
                }
                initiator.leave();
                b.left.get(20, TimeUnit.SECONDS);

                // Two JVMs, as two terminals would be: the receiver is a separate process counting bytes.
                try (PeerProcess sink =
                        PeerProcess.start(server.lobby(), "bench-sink", List.of(Long.toString(VOLUME_BYTES)))) {
                    sink.awaitLine("id bench-sink");
                    a.reset();
                    initiator.pair("bench-sink");
                    long aOpen = a.open.get(20, TimeUnit.SECONDS);
                    sink.awaitLine("open bench-a");
                    report.add("| paired → channel open, two JVMs (first pairing of a fresh JVM) | "
                            + String.format(Locale.ROOT, "%.1f ms", (aOpen - a.pairedNanos) / 1e6) + " |");
                    List<Double> twoJvmOpen = new ArrayList<>();
                    for (int i = 0; i < PAIRINGS; i++) {
                        initiator.leave();
                        sink.awaitLine("left bench-a");
                        a.reset();
                        initiator.pair("bench-sink");
                        long opened = a.open.get(20, TimeUnit.SECONDS);
                        sink.awaitLine("open bench-a");
                        twoJvmOpen.add((opened - a.pairedNanos) / 1e6);
                    }
                    report.add("| paired → channel open, two JVMs, " + PAIRINGS + " more pairings | "
                            + summary(twoJvmOpen) + " |");
                    int round = 0;
                    for (int size : new int[] {1024, 16 * 1024, 64 * 1024}) {
                        round++;
                        report.add("| throughput, two JVMs, " + (size / 1024) + " KiB messages, " + (VOLUME_BYTES >> 20)
                                + " MiB | "
                                + String.format(
                                        Locale.ROOT, "%.1f MiB/s", throughputToProcess(initiator, sink, size, round))
                                + " |");
                    }
                }
            }
        }
        report.add("| flow control | pause above " + (HIGH_WATER >> 10) + " KiB buffered, resume at "
                + (LOW_WATER >> 10) + " KiB |");
        String table = String.join("\n", report);
        System.out.println(table);
        writeReport(
                "java-peer.md",
                "| measure | result |\n|---|---|\n" + table + "\n\nload average at the end (/proc/loadavg): "
                        + loadAverage() + "\n");
    }

    /** The machine's load average now, as /proc/loadavg gives it: noted beside every figure. */
    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    /**
     * UDP datagrams the kernel dropped because a socket's receive buffer was full, machine-wide
     * ({@code RcvbufErrors} in /proc/net/snmp; -1 where there is none): each one is an SCTP packet lost on
     * loopback, which SCTP's congestion control answers by slowing down.
     */
    static long udpReceiveDrops() {
        try {
            List<String> udp = Files.readAllLines(Path.of("/proc/net/snmp")).stream()
                    .filter(line -> line.startsWith("Udp:"))
                    .toList();
            int column = List.of(udp.get(0).split(" ")).indexOf("RcvbufErrors");
            return Long.parseLong(udp.get(1).split(" ")[column]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Writes {@code text} to target/benchmarks/{@code name}. */
    private static void writeReport(String name, String text) throws IOException {
        Path out = Path.of("target", "benchmarks", name);
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
    }

    /** A send the benchmark makes: never refused; a QUEUED one is waited for (flow control: wait for room). */
    private static void paced(Delivery d) throws Exception {
        assertThat(d.refused()).isFalse();
        if (d.outcome() instanceof SendOutcome.Queued) {
            d.settled().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static double throughput(Peer sender, Timing receiver, int messageBytes) throws Exception {
        String message = "x".repeat(messageBytes);
        long count = VOLUME_BYTES / messageBytes;
        receiver.expect(count * messageBytes);
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            paced(sender.send(message).get("bench-b"));
        }
        long end = receiver.allReceived.get(120, TimeUnit.SECONDS);
        return (VOLUME_BYTES / (double) (1 << 20)) / ((end - start) / 1e9);
    }

    /**
     * Binary messages on one channel: {@code DataChannel.send(ByteBuffer)} of one reused direct buffer, as
     * the raw sender and a file transfer do, or with {@code -Drendezvous.bench.sdkBuffer=array}
     * {@code DataChannel.send(byte[])} of one reused array.
     */
    private static double binaryThroughput(DataChannel channel, Timing receiver, int messageBytes) throws Exception {
        receiver.expect((VOLUME_BYTES / messageBytes) * messageBytes);
        long start = sendBinary(channel, messageBytes);
        long end = receiver.allReceived.get(120, TimeUnit.SECONDS);
        return (VOLUME_BYTES / (double) (1 << 20)) / ((end - start) / 1e9);
    }

    /** As {@link #binaryThroughput}, to the counting sink in its own JVM; {@code run} counts from 1. */
    private static double binaryThroughputToProcess(DataChannel channel, PeerProcess sink, int messageBytes, int run)
            throws Exception {
        assertThat(VOLUME_BYTES % messageBytes)
                .as("the sink counts whole volumes")
                .isZero();
        long start = sendBinary(channel, messageBytes);
        sink.awaitLine("received " + run * VOLUME_BYTES);
        long end = System.nanoTime();
        return (VOLUME_BYTES / (double) (1 << 20)) / ((end - start) / 1e9);
    }

    /** Sends the volume as binary messages of {@code messageBytes}; returns when it started (nanoTime). */
    private static long sendBinary(DataChannel channel, int messageBytes) throws Exception {
        boolean array = "array".equals(System.getProperty("rendezvous.bench.sdkBuffer"));
        byte[] bytes = new byte[messageBytes];
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(messageBytes);
        long count = VOLUME_BYTES / messageBytes;
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            paced(array ? channel.send(bytes) : channel.send(direct)); // SENT: libwebrtc has copied it: reused
        }
        return start;
    }

    private static double throughputToProcess(Peer sender, PeerProcess sink, int messageBytes, int round)
            throws Exception {
        String message = "x".repeat(messageBytes);
        long count = VOLUME_BYTES / messageBytes;
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            paced(sender.send(message).get("bench-sink"));
        }
        sink.awaitLine("received " + round * VOLUME_BYTES);
        long end = System.nanoTime();
        return (VOLUME_BYTES / (double) (1 << 20)) / ((end - start) / 1e9);
    }

    /**
     * The SDK against raw webrtc-java in the same JVM and the same run, A/B alternating (raw, then SDK,
     * for each size, {@code rendezvous.bench.rounds} times): throughput and message rate. Writes
     * {@code bench/target/benchmarks/sdk-vs-raw.md}.
     */
    @Test
    void sdkVersusRaw() throws Exception {
        int rounds = Integer.getInteger("rendezvous.bench.rounds", 2);
        boolean twoJvms = Boolean.getBoolean("rendezvous.bench.twoJvms");
        List<String> report = new ArrayList<>();
        String uptimeBefore = loadAverage();
        try (ServerFixture server = ServerFixture.start();
                RtcRuntime rawA = RtcRuntime.create();
                RtcRuntime rawB = RtcRuntime.create()) {
            Timing a = new Timing();
            Timing b = new Timing();
            Timing c = new Timing();
            try (Peer initiator = connect(server, "bench-a", a);
                    Peer answerer = connect(server, "bench-b", b);
                    Peer toSink = twoJvms ? connect(server, "bench-c", c) : null;
                    PeerProcess sink = twoJvms
                            ? PeerProcess.start(server.lobby(), "bench-sink", List.of(Long.toString(VOLUME_BYTES)))
                            : null) {
                initiator.pair("bench-b");
                a.open.get(20, TimeUnit.SECONDS);
                b.open.get(20, TimeUnit.SECONDS);
                if (sink != null) {
                    sink.awaitLine("id bench-sink");
                    toSink.pair("bench-sink");
                    c.open.get(20, TimeUnit.SECONDS);
                    sink.awaitLine("open bench-c");
                }
                int sinkRuns = 0;
                try (RawChannelPair raw = RawChannelPair.open(rawA, rawB, RAW_UDP_BUFFER_KIB << 10)) {
                    for (int round = 1; round <= rounds; round++) {
                        for (int size : SIZES) {
                            long count = VOLUME_BYTES / size;
                            double mib = VOLUME_BYTES / (double) (1 << 20);
                            long drops = udpReceiveDrops();
                            double rawSeconds = raw.transfer(size, count, HIGH_WATER, LOW_WATER) / 1e9;
                            long rawDrops = udpReceiveDrops() - drops;
                            double sdkSeconds = mib / binaryThroughput(initiator.chat("bench-b"), b, size);
                            long sdkDrops = udpReceiveDrops() - drops - rawDrops;
                            String row = String.format(
                                    Locale.ROOT,
                                    "| %d | %d KiB | %.1f MiB/s, %.0f msg/s, %d drops | %.1f MiB/s, %.0f msg/s, %d drops | %.0f %% |",
                                    round,
                                    size / 1024,
                                    mib / rawSeconds,
                                    count / rawSeconds,
                                    rawDrops,
                                    mib / sdkSeconds,
                                    count / sdkSeconds,
                                    sdkDrops,
                                    100 * rawSeconds / sdkSeconds);
                            if (sink != null) { // the SDK across two processes, as `rendezvous send` runs
                                long before = udpReceiveDrops();
                                double twoSeconds = mib
                                        / binaryThroughputToProcess(toSink.chat("bench-sink"), sink, size, ++sinkRuns);
                                row += String.format(
                                        Locale.ROOT,
                                        " %.1f MiB/s, %.0f msg/s, %d drops | %.0f %% |",
                                        mib / twoSeconds,
                                        count / twoSeconds,
                                        udpReceiveDrops() - before,
                                        100 * sdkSeconds / twoSeconds);
                            }
                            report.add(row);
                        }
                    }
                }
            }
        }
        String sdk = "array".equals(System.getProperty("rendezvous.bench.sdkBuffer"))
                ? "send(byte[])"
                : "send(direct ByteBuffer)";
        String table = "| round | message | raw webrtc-java | SDK (DataChannel." + sdk + ") | SDK / raw |"
                + (twoJvms
                        ? " SDK to a second JVM | two JVMs / one |\n|---|---|---|---|---|---|---|\n"
                        : "\n|---|---|---|---|---|\n")
                + String.join("\n", report);
        System.out.println(table);
        writeReport(
                "sdk-vs-raw.md",
                table + "\n\n" + (VOLUME_BYTES >> 20) + " MiB per run; flow control " + (HIGH_WATER >> 10) + "/"
                        + (LOW_WATER >> 10) + " KiB; raw's UDP receive buffers: "
                        + (RAW_UDP_BUFFER_KIB == 0 ? "the system's" : RAW_UDP_BUFFER_KIB + " KiB asked for")
                        + "; /proc/loadavg before: " + uptimeBefore + ", after: "
                        + loadAverage() + "\n");
    }

    private static Peer connect(ServerFixture server, String id, Timing timing) throws Exception {
        PeerOptions options = TestPeers.loopback(server.lobby(), id);
        SendPolicy d = SendPolicy.DEFAULT;
        options = options.withSession(options.session()
                .withSendPolicy(new SendPolicy(
                        d.maxQueuedMessages(),
                        d.maxQueuedBytes(),
                        d.expiry(),
                        HIGH_WATER,
                        LOW_WATER,
                        d.maxMessageBytes())));
        return TestPeers.connect(options, timing);
    }

    private static String summary(List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return String.format(
                Locale.ROOT,
                "median %.1f ms, p90 %.1f ms, min %.1f ms, max %.1f ms",
                sorted.get(sorted.size() / 2),
                sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1),
                sorted.get(0),
                sorted.get(sorted.size() - 1));
    }
}
