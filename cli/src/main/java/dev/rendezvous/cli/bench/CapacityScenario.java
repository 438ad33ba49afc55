package dev.rendezvous.cli.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * K idle lobby connections: opened with {@code concurrency} handshakes in flight, each counted once its
 * {@code your_id} arrives. Measures the connect rate, the server's CPU per connection, and its RSS per
 * connection as a slope between K/2 and K (so the JVM's fixed costs do not count); then holds them for
 * {@code hold}, answering pings, and counts survivors.
 */
final class CapacityScenario {

    private final BenchOptions o;
    private final PrintStream progress;
    private final List<WsClient> clients = new ArrayList<>();
    private final AtomicInteger welcomed = new AtomicInteger();
    private final LongAdder failed = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder pings = new LongAdder();
    private final Semaphore inFlight;
    private volatile boolean closing;

    CapacityScenario(BenchOptions o, PrintStream progress) {
        this.o = o;
        this.progress = progress;
        this.inFlight = new Semaphore(Math.max(1, o.concurrency()));
    }

    private final WsClient.Listener listener = new WsClient.Listener() {
        @Override
        public void onText(WsClient c, ByteBuf f) {
            if (FrameType.YOUR_ID.of(f)) {
                welcomed.incrementAndGet();
                inFlight.release();
            } else if (FrameType.PING.of(f)) {
                pings.increment();
                c.send("{\"type\":\"pong\"}");
            }
        }

        @Override
        public void onClosed(WsClient c, int code) {
            if (!closing) {
                closed.increment();
            }
        }
    };

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
            progress.printf("\r[capacity] holding %,d connections, %,d closed by the server   ", opened, closed.sum());
            progress.flush();
            Thread.sleep(250);
        }
        long survivors = opened - closed.sum();
        long rssHeld = pid > 0 ? ProcStats.rssBytes(pid) : -1;
        closing = true;
        for (WsClient c : clients) {
            c.close();
        }
        progress.print("\r");

        int second = o.connections() - half;
        BenchResult r = new BenchResult()
                .put("scenario", "capacity")
                .put("connections", o.connections())
                .put("welcomed", opened)
                .put("failed", failed.sum())
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
            if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("handshakes stalled at " + welcomed.get() + " connections");
            }
            WsClient c = WsClient.connect(group.next(), o.uri(o.path()), o.sourceAddress(i), listener);
            clients.add(c);
            c.connectFuture().addListener(f -> {
                if (!f.isSuccess()) {
                    failed.increment();
                    inFlight.release();
                }
            });
            long now = System.nanoTime();
            if (now - lastTick > 250_000_000L) {
                progress.printf(
                        "\r[capacity] %,d / %,d welcomed  (%.0f s)   ",
                        welcomed.get(), o.connections(), (now - start) / 1e9);
                progress.flush();
                lastTick = now;
            }
        }
        while (welcomed.get() + failed.sum() < to && System.nanoTime() < deadline) {
            Thread.sleep(5);
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
