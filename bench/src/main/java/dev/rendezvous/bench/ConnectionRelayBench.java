package dev.rendezvous.bench;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.hub.Link;
import dev.rendezvous.server.hub.LocalHub;
import dev.rendezvous.server.session.ConnectRequest;
import dev.rendezvous.server.session.Connection;
import dev.rendezvous.server.session.ConnectionSettings;
import dev.rendezvous.server.session.ResumeDirectory;
import dev.rendezvous.server.session.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The session layer's whole per-frame relay path through public API only: {@code Connection.onText} on
 * an admitted, paired lobby connection — scan, dispatch, splice into a pooled buffer, route through the
 * {@link LocalHub} to the peer's link (which releases the frame: no I/O). Run with {@code -prof gc}: its
 * {@code gc.alloc.rate.norm} is the heap allocated per relayed frame, the figure that must not grow.
 * {@code unaddressed} is the harness's frame (no {@code to}); {@code addressed} names the peer in {@code to}.
 * {@code resumable=true} opts both sessions in to resume (v1.1): every relayed frame is counted and kept
 * (by reference) in the receiver's bounded buffer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx512m", "-Xmn64m"})
@State(Scope.Thread)
public class ConnectionRelayBench {
    static final String CANDIDATE =
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:842163049 1 udp 1677729535 "
                    + "127.0.0.1 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sXe2 network-cost 999\",\"sdpMid\":\"0\","
                    + "\"sdpMLineIndex\":0,\"usernameFragment\":\"sXe2\"},\"seq\":123456";

    /** Drops what it is given; counts it so the work cannot be optimised away. */
    static final class CountingLink implements Link {
        long frames;

        @Override
        public void send(ByteBuf utf8Json) {
            frames++;
            utf8Json.release();
        }

        @Override
        public void close(CloseCode code, String reason) {}
    }

    /**
     * Timers never fire (the bench runs for seconds, the keepalive is minutes). Implements both the
     * buffer method of the transport before the dispatch rework ({@code alloc}) and after it
     * ({@code frameBuffer}) without {@code @Override}, so this one source compiles against either build.
     */
    static final class BenchTransport implements Transport {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Runnable schedule(Runnable task, long delayNanos) {
            return () -> {};
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        public ByteBufAllocator alloc() {
            return PooledByteBufAllocator.DEFAULT;
        }

        public ByteBuf frameBuffer(int jsonBytes) {
            ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer(10 + jsonBytes);
            return out.writerIndex(10).readerIndex(10);
        }
    }

    private final CountingLink linkA = new CountingLink();
    private final CountingLink linkB = new CountingLink();
    private Connection a;

    /** Both sessions resumable (v1.1), or plain v1. */
    @Param({"false", "true"})
    public boolean resumable;

    private byte[] unaddressed;
    private byte[] addressed;

    /**
     * Settings for sessions on {@code hub} with no sockets behind them: timers that never fire within a
     * run, no ICE servers, no rate limits; a resume grace only for {@code resumable} sessions.
     */
    static ConnectionSettings settings(LocalHub hub, boolean resumable) {
        return new ConnectionSettings(
                hub,
                new HubObserver() {},
                Duration.ofMinutes(10),
                Duration.ofMinutes(20),
                null,
                Duration.ofSeconds(10),
                Runnable::run,
                id -> List.of(),
                0,
                0,
                0,
                0,
                resumable ? Duration.ofSeconds(15) : Duration.ZERO,
                new ResumeDirectory());
    }

    @Setup
    public void setUp() {
        LocalHub hub = new LocalHub();
        ConnectionSettings settings = settings(hub, resumable);
        a = new Connection(
                settings, linkA, new BenchTransport(), new ConnectRequest(null, "a", null, "bench", resumable, false));
        Connection b = new Connection(
                settings, linkB, new BenchTransport(), new ConnectRequest(null, "b", null, "bench", resumable, false));
        a.open();
        b.open();
        byte[] pair = "{\"type\":\"pair_request\",\"target_id\":\"b\"}".getBytes(StandardCharsets.UTF_8);
        a.onText(pair, pair.length);
        if (a.session() == null || linkB.frames != 2) { // your_id, paired
            throw new IllegalStateException("the bench connections did not pair");
        }
        unaddressed = (CANDIDATE + "}").getBytes(StandardCharsets.UTF_8);
        addressed = (CANDIDATE + ",\"to\":\"b\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public long unaddressed() {
        a.onText(unaddressed, unaddressed.length);
        return linkB.frames;
    }

    @Benchmark
    public long addressed() {
        a.onText(addressed, addressed.length);
        return linkB.frames;
    }
}
