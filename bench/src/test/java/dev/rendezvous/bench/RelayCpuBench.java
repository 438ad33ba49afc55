package dev.rendezvous.bench;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.testing.ServerExtension;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A benchmark, not a test (it asserts nothing and is skipped unless asked for): server event-loop CPU
 * per relayed message and relay rate, 50 lobby pairs of raw-socket clients in this JVM, each sender
 * pipelining 4 000 candidate frames of ~290 bytes. Run:
 * {@code mvn -B -pl bench -am test -Dtest=RelayCpuBench -Dsurefire.failIfNoSpecifiedTests=false -Drendezvous.bench=true}
 * and read {@code bench/target/surefire-reports/dev.rendezvous.bench.RelayCpuBench-output.txt}.
 * The load generator shares the machine (and this JVM), so the rate is a floor; the CPU figure counts
 * only the server's event-loop threads. The first rounds include JIT warm-up.
 */
@EnabledIfSystemProperty(named = "rendezvous.bench", matches = "true")
class RelayCpuBench {
    @RegisterExtension
    final ServerExtension server =
            ServerExtension.create(c -> c.rateLimit(0, 0).rateLimitBytes(0).maxOutboundBytes(64 << 20));

    static long loopCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("multiThreadIo")) {
                total += mx.getThreadCpuTime(t.threadId());
            }
        }
        return total;
    }

    static final class Raw {
        final Socket s;
        final DataInputStream in;
        final OutputStream out;
        String id;

        Raw(int port, String path) throws Exception {
            s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.setTcpNoDelay(true);
            in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 65536));
            out = s.getOutputStream();
            out.write(("GET " + path
                            + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes());
            int m = 0;
            while (m < 4) {
                int b = in.read();
                m = (b == '\r' && (m == 0 || m == 2)) || (b == '\n' && (m == 1 || m == 3)) ? m + 1 : 0;
            }
            id = ((Message.YourId) MessageCodec.decode(readText())).id();
        }

        String readText() throws Exception {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7f;
            if (len == 126) len = in.readUnsignedShort();
            else if (len == 127) len = in.readLong();
            byte[] p = new byte[(int) len];
            in.readFully(p);
            return new String(p, StandardCharsets.UTF_8);
        }

        static byte[] frame(byte[] payload) {
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write(0x81);
            if (payload.length < 126) f.write(0x80 | payload.length);
            else {
                f.write(0x80 | 126);
                f.write(payload.length >>> 8);
                f.write(payload.length);
            }
            byte[] mask = {1, 2, 3, 4};
            f.write(mask, 0, 4);
            for (int i = 0; i < payload.length; i++) f.write(payload[i] ^ mask[i & 3]);
            return f.toByteArray();
        }
    }

    @Test
    void relayCpuPerMessage() throws Exception {
        int pairs = 50;
        int perSender = 4000;
        String prefix =
                "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:842163049 1 udp 1677729535 127.0.0.1 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sXe2 network-cost 999\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"sXe2\"},\"seq\":";
        List<Raw[]> ps = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            Raw a = new Raw(server.port(), "/ws");
            Raw b = new Raw(server.port(), "/ws");
            a.out.write(Raw.frame(("{\"type\":\"pair_request\",\"target_id\":\"" + b.id + "\"}").getBytes()));
            a.readText();
            b.readText();
            ps.add(new Raw[] {a, b});
        }
        for (int round = 0; round < 5; round++) {
            long cpu0 = loopCpu();
            long t0 = System.nanoTime();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<?>> fs = new ArrayList<>();
                for (Raw[] p : ps) {
                    fs.add(pool.submit(() -> {
                        ByteArrayOutputStream batch = new ByteArrayOutputStream();
                        for (int k = 0; k < perSender; k++) {
                            batch.write(Raw.frame((prefix + k + "}").getBytes(StandardCharsets.UTF_8)));
                            if (batch.size() > 32_000) {
                                p[0].out.write(batch.toByteArray());
                                batch.reset();
                            }
                        }
                        p[0].out.write(batch.toByteArray());
                        return null;
                    }));
                    fs.add(pool.submit(() -> {
                        for (int k = 0; k < perSender; k++) p[1].readText();
                        return null;
                    }));
                }
                for (Future<?> f : fs) f.get();
            }
            long wall = System.nanoTime() - t0;
            long cpu = loopCpu() - cpu0;
            long msgs = (long) pairs * perSender;
            System.err.printf(
                    "round %d: %d msgs in %.2f s, %.0f msg/s, server event-loop CPU %.2f us/msg%n",
                    round, msgs, wall / 1e9, msgs / (wall / 1e9), cpu / 1e3 / msgs);
        }
        for (Raw[] p : ps) {
            p[0].s.close();
            p[1].s.close();
        }
    }
}
