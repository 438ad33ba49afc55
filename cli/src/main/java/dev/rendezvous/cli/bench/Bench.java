package dev.rendezvous.cli.bench;

import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/** Runs one scenario of {@link BenchOptions} and returns its figures. */
public final class Bench {
    private Bench() {}

    /** Runs {@code o}; progress lines go to {@code progress} (a carriage-return line, redrawn each second). */
    public static BenchResult run(BenchOptions o, PrintStream progress) throws InterruptedException {
        if (!o.host().startsWith("127.")) {
            throw new IllegalArgumentException("bench only targets 127.0.0.0/8, not " + o.host());
        }
        Scenario scenario = switch (o.scenario()) {
            case "relay" -> new PairScenario(o, false, progress);
            case "latency" -> new PairScenario(o, true, progress);
            case "capacity" -> new CapacityScenario(o, progress);
            case "fanout" -> new FanoutScenario(o, progress);
            default -> throw new IllegalArgumentException("unknown scenario " + o.scenario());
        };
        EventLoopGroup group = WsClient.newGroup(Math.max(1, o.threads()));
        try {
            return scenario.run(group);
        } finally {
            scenario.close();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    /** The server's pid: given, found from the listening port, or -1. */
    static long serverPid(BenchOptions o) {
        if (o.serverPid() != 0) {
            return o.serverPid();
        }
        return ProcStats.listeningPid(o.port()).orElse(-1);
    }

    /** Adds the CPU figures of both sides over {@code nanos} of wall time for {@code units} messages. */
    static void cpu(BenchResult r, long serverPid, long serverCpu, long selfCpu, long nanos, long units) {
        r.put("server_pid", serverPid);
        if (serverPid > 0 && serverCpu >= 0) {
            r.put("server_cpu_pct", PairScenario.round(100.0 * serverCpu / nanos));
            r.put("server_cpu_us_per_msg", units > 0 ? PairScenario.round(serverCpu / 1e3 / units) : null);
        }
        r.put("client_cpu_pct", PairScenario.round(100.0 * selfCpu / nanos));
        r.put("client_cpu_us_per_msg", units > 0 ? PairScenario.round(selfCpu / 1e3 / units) : null);
        r.put("load_average", loadAverage());
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .trim();
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
