package dev.rendezvous.server.session;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay's per-message parsing work on a ~300-byte trickle candidate: the streaming scan plus the
 * byte splice the server does, against a full decode + re-encode through the protocol codec (what a
 * re-serialising relay would do), and the UTF-8 check alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FrameScannerBench {
    static final String CANDIDATE = "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:842163049 1 udp 1677729535 "
            + "192.0.2.17 53705 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag Xq3v network-cost 999\",\"sdpMid\":\"0\","
            + "\"sdpMLineIndex\":0,\"usernameFragment\":\"Xq3v\"},\"to\":\"6c1f3e0a-8d4e-4a51-9a7e-2f5b1c9d0e11\",\"seq\":123456}";

    private final FrameScanner scanner = new FrameScanner();
    private final byte[] stamp = "\"from\":\"0b7e1f2c-3d4a-4b5c-8d6e-7f8091a2b3c4\"".getBytes(StandardCharsets.UTF_8);
    private ByteBuf frame;
    private byte[] bytes;

    @Setup
    public void setUp() {
        bytes = CANDIDATE.getBytes(StandardCharsets.UTF_8);
        frame = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    }

    @TearDown
    public void tearDown() {
        frame.release();
    }

    /** What the server does per relayed frame: copy out, scan, splice into a pooled buffer. */
    @Benchmark
    public int scanAndSplice() {
        scanner.scan(frame);
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer(10 + FrameSplicer.maxLength(scanner, stamp.length));
        out.writerIndex(10).readerIndex(10); // the transport's headroom, as in the server
        FrameSplicer.writeStamped(scanner, out, stamp, false);
        int n = out.readableBytes();
        out.release();
        return n;
    }

    @Benchmark
    public Inbound scanOnly() {
        return scanner.scan(frame);
    }

    @Benchmark
    public boolean utf8Check() {
        return Utf8.valid(bytes, bytes.length);
    }

    /** The alternative the scanner avoids: decode to a record and encode again (drops unknown fields, too). */
    @Benchmark
    public int decodeAndReencode() throws ProtocolException {
        Message m = MessageCodec.decode(CANDIDATE);
        return MessageCodec.encode(m).length();
    }
}
