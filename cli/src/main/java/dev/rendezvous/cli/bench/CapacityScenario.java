package dev.rendezvous.cli.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * K idle lobby connections: opened with {@code concurrency} handshakes in flight, each counted once its
 * {@code your_id} arrives. Measures the connect rate, the server's CPU per connection, and its RSS per
 * connection as a slope between K/2 and K (so the JVM's fixed costs do not count); then holds them for
 * {@code hold}, answering pings, and counts survivors.
 */
final class CapacityScenario extends Scenario {

    private final List<WsClient> clients = new ArrayList<>();
    private final AtomicInteger welcomed = new AtomicInteger();
    private final LongAdder pings = new LongAdder();
    private final Admission admission = new Admission(o.concurrency());

    CapacityScenario(BenchOptions o, PrintStream progress) {
        super(o, progress);
    }

    private final WsClient.Listener listener = new AdmittedClient(admission) {
        @Override
        public void onText(WsClient c, ByteBuf f) {
            if (FrameType.YOUR_ID.of(f)) {
                welcomed.incrementAndGet();
                admitted();
            } else if (FrameType.PING.of(f)) {
                pings.increment();
                c.send("{\"type\":\"pong\"}");
            }
        }
    };

    @Override
    BenchResult run(EventLoopGroup group) throws InterruptedException {
        long pid = Bench.serverPid(o);
        long rss0 = pid > 0 ? ProcStats.rssBytes(pid) : -1;
        long cpu0 = pid > 0 ? ProcStats.cpuNanos(pid) : -1;
        long self0 = ProcStats.selfCpuNanos();
        long start = System.nanoTime();
        int half = o.connections() / 2;
        open(group, 0, half, start);
        double halfSeconds = (System.nanoTime() - start) / 1e9;
        long cpuHalf = pid > 0 ? ProcStats.cpuNanos(pid) : -1;
        settle();
        long rssHalf = pid > 0 ? ProcStats.rssBytes(pid) : -1;
        long start2 = System.nanoTime();
        long cpu2 = pid > 0 ? ProcStats.cpuNanos(pid) : -1;
        open(group, half, o.connections(), start);
        double secondSeconds = (System.nanoTime() - start2) / 1e9;
        long cpuEnd = pid > 0 ? ProcStats.cpuNanos(pid) : -1;
        long selfEnd = ProcStats.selfCpuNanos();
        settle();
        long rssFull = pid > 0 ? ProcStats.rssBytes(pid) : -1;
        int opened = welcomed.get();

        long holdEnd = System.nanoTime() + o.hold().toNanos();
        while (System.nanoTime() < holdEnd) {
            progress.printf(
                    "\r[capacity] holding %,d connections, %,d closed by the server   ", opened, closedEarly.sum());
            progress.flush();
            Thread.sleep(250);
        }
        long survivors = opened - closedEarly.sum();
        long rssHeld = pid > 0 ? ProcStats.rssBytes(pid) : -1;
        progress.print("\r");

        int second = o.connections() - half;
        BenchResult r = new BenchResult()
                .put("scenario", "capacity")
                .put("connections", o.connections())
                .put("welcomed", opened)
                .put("failed", failedConnects.sum())
                .put("connects_per_s", Math.round(o.connections() / (halfSeconds + secondSeconds)))
                .put("survived_hold", survivors)
                .put("hold_s", o.hold().toSeconds())
                .put("pings_answered", pings.sum())
                .put("server_pid", pid);
        if (pid > 0) {
            r.put("server_rss_mb_start", mb(rss0))
                    .put("server_rss_mb_half", mb(rssHalf))
                    .put("server_rss_mb_full", mb(rssFull))
                    .put("server_rss_mb_after_hold", mb(rssHeld))
                    .put("rss_kb_per_conn_slope", PairScenario.round((rssFull - rssHalf) / 1024.0 / second))
                    .put("rss_kb_per_conn_total", PairScenario.round((rssFull - rss0) / 1024.0 / o.connections()))
                    .put(
                            "server_cpu_us_per_conn",
                            PairScenario.round((cpuEnd - cpu0 - (cpu2 - cpuHalf)) / 1e3 / o.connections()))
                    .put("server_cpu_us_per_conn_second_half", PairScenario.round((cpuEnd - cpu2) / 1e3 / second));
        }
        r.put("client_cpu_us_per_conn", PairScenario.round((selfEnd - self0) / 1e3 / o.connections()));
        r.put("load_average", Bench.loadAverage());
        return r;
    }

    /** Opens clients {@code [from, to)} with bounded handshakes in flight and waits for their welcome. */
    private void open(EventLoopGroup group, int from, int to, long start) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long lastTick = 0;
        for (int i = from; i < to; i++) {
            WsClient c = admission.connect(group.next(), o.uri(o.path()), o.sourceAddress(i), listener, deadline);
            if (c == null) {
                throw new IllegalStateException("handshakes stalled at " + welcomed.get() + " connections");
            }
            clients.add(c);
            long now = System.nanoTime();
            if (now - lastTick > 250_000_000L) {
                progress.printf(
                        "\r[capacity] %,d / %,d welcomed  (%.0f s)   ",
                        welcomed.get(), o.connections(), (now - start) / 1e9);
                progress.flush();
                lastTick = now;
            }
        }
        while (welcomed.get() + failedConnects.sum() < to && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Override
    void close() {
        closingClients();
        for (WsClient c : clients) {
            c.close();
        }
    }

    /** Lets the server's allocations and GC settle before reading its RSS. */
    private static void settle() throws InterruptedException {
        Thread.sleep(1500);
    }

    private static double mb(long bytes) {
        return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
    }
}
