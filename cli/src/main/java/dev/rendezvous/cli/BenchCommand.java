package dev.rendezvous.cli;

import dev.rendezvous.cli.bench.Bench;
import dev.rendezvous.cli.bench.BenchOptions;
import dev.rendezvous.cli.bench.BenchResult;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rendezvous bench SCENARIO}: a load generator over real WebSockets against a protocol-v1 server
 * on 127.0.0.1. Prints a progress line while it runs, then the figures (or one JSON object with
 * {@code --json}). Every count and duration is bounded.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Load generator for a protocol-v1 server on 127.0.0.1.",
            "Scenarios: relay (N pairs, bounded in-flight window), latency (fixed total rate),",
            "capacity (K idle connections: connect rate, server RSS and CPU per connection), fanout (rooms broadcasting).",
            "Example: rendezvous bench relay --port 8765 --pairs 1000 --window 64 --duration 10"
        })
final class BenchCommand implements Callable<Integer> {
    private static final int MAX_CONNECTIONS = 60_000;
    /** Every option's default is {@link BenchOptions}' own (the fields' initial values), written once, there. */
    private static final BenchOptions DEFAULTS = BenchOptions.defaults();

    @Parameters(index = "0", description = "relay | latency | capacity | fanout")
    String scenario;

    @Option(names = "--host", description = "Server address, 127.0.0.0/8 only (default: ${DEFAULT-VALUE}).")
    String host = DEFAULTS.host();

    @Option(names = "--port", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port = DEFAULTS.port();

    @Option(names = "--pairs", description = "relay/latency: pairs (default: ${DEFAULT-VALUE}).")
    int pairs = DEFAULTS.pairs();

    @Option(
            names = "--window",
            description = "relay: messages in flight per pair; latency: per-pair cap (default: ${DEFAULT-VALUE}).")
    int window = DEFAULTS.window();

    @Option(names = "--message-bytes", description = "Size of a relayed frame (default: ${DEFAULT-VALUE}).")
    int messageBytes = DEFAULTS.messageBytes();

    @Option(names = "--duration", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int durationSeconds = seconds(DEFAULTS.duration());

    @Option(names = "--warmup", description = "Seconds of load before measuring (default: ${DEFAULT-VALUE}).")
    int warmupSeconds = seconds(DEFAULTS.warmup());

    @Option(
            names = "--messages-per-pair",
            description = "relay: send exactly this many per pair instead of running for --duration.")
    long messagesPerPair = DEFAULTS.messagesPerPair();

    @Option(
            names = "--rate",
            description = "latency/fanout: messages sent per second in total (default: ${DEFAULT-VALUE}).")
    int rate = DEFAULTS.rate();

    @Option(names = "--conns", description = "capacity: idle connections (default: ${DEFAULT-VALUE}).")
    int connections = DEFAULTS.connections();

    @Option(names = "--concurrency", description = "Handshakes in flight (default: ${DEFAULT-VALUE}).")
    int concurrency = DEFAULTS.concurrency();

    @Option(names = "--src-addrs", description = "Bind client sockets to 127.0.0.1..N (default: ${DEFAULT-VALUE}).")
    int sourceAddresses = DEFAULTS.sourceAddresses();

    @Option(names = "--hold", description = "capacity: seconds to hold the connections (default: ${DEFAULT-VALUE}).")
    int holdSeconds = seconds(DEFAULTS.hold());

    @Option(names = "--rooms", description = "fanout: rooms (default: ${DEFAULT-VALUE}).")
    int rooms = DEFAULTS.rooms();

    @Option(names = "--room-size", description = "fanout: members per room (default: ${DEFAULT-VALUE}).")
    int roomSize = DEFAULTS.roomSize();

    @Option(names = "--threads", description = "Load generator event loops (default: ${DEFAULT-VALUE}).")
    int threads = DEFAULTS.threads();

    @Option(names = "--server-pid", description = "Server pid for CPU/RSS; 0 finds the process listening on --port.")
    long serverPid = DEFAULTS.serverPid();

    @Option(names = "--json", description = "Print one JSON object instead of the summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String problem = validate();
        if (problem != null) {
            System.err.println("rendezvous bench: " + problem);
            return 2;
        }
        BenchOptions o = DEFAULTS.withScenario(scenario)
                .withPort(port)
                .withLoad(pairs, window, messagesPerPair, threads)
                .withTiming(
                        Duration.ofSeconds(durationSeconds),
                        Duration.ofSeconds(warmupSeconds),
                        Duration.ofSeconds(holdSeconds))
                .withConnections(connections, concurrency, sourceAddresses)
                .withFanout(rooms, roomSize)
                .withServerPid(serverPid)
                .with(b -> {
                    b.host = host;
                    b.messageBytes = messageBytes;
                    b.rate = rate;
                });
        BenchResult result;
        try {
            result = Bench.run(o, System.err);
        } catch (IllegalStateException e) {
            System.err.println("rendezvous bench: " + e.getMessage());
            return 1;
        }
        if (json) {
            System.out.println(result.json());
        } else {
            System.out.println("rendezvous bench " + scenario + " against ws://" + host + ":" + port);
            System.out.print(result.summary());
        }
        if (result.count("refused_by_server") > 0) {
            System.err.println(
                    "rendezvous bench: server rate-limited: it refused " + result.count("refused_by_server")
                            + " messages (rate_limited), counted apart from losses; start it with --rate-limit 0 or lower the load");
        }
        boolean clean = result.count("refused_by_server") <= 0
                && result.count("lost") <= 0
                && result.count("duplicated") <= 0
                && result.count("reordered") <= 0
                && result.count("wrong_sender") <= 0
                && result.count("duplicated_or_reordered") <= 0;
        return clean ? 0 : 1;
    }

    private static int seconds(Duration d) {
        return Math.toIntExact(d.toSeconds());
    }

    private String validate() {
        if (!java.util.Set.of("relay", "latency", "capacity", "fanout").contains(scenario)) {
            return "unknown scenario " + scenario + " (relay, latency, capacity, fanout)";
        }
        if (!host.startsWith("127.")) {
            return "--host must be in 127.0.0.0/8";
        }
        if (pairs < 1
                || 2L * pairs > MAX_CONNECTIONS
                || connections < 1
                || connections > MAX_CONNECTIONS
                || (long) rooms * roomSize > MAX_CONNECTIONS) {
            return "connections are bounded to " + MAX_CONNECTIONS;
        }
        if (durationSeconds < 1
                || durationSeconds > 600
                || warmupSeconds < 0
                || warmupSeconds > 60
                || holdSeconds < 0
                || holdSeconds > 600) {
            return "--duration must be 1-600 s, --warmup 0-60 s, --hold 0-600 s";
        }
        if (window < 1
                || window > 10_000
                || rate < 1
                || rate > 10_000_000
                || messageBytes < 200
                || messageBytes > 60_000) {
            return "--window 1-10000, --rate 1-10M, --message-bytes 200-60000";
        }
        if (messagesPerPair < 0
                || messagesPerPair > 100_000_000
                || threads < 1
                || threads > 64
                || concurrency < 1
                || sourceAddresses < 1
                || sourceAddresses > 254
                || roomSize < 2
                || rooms < 1) {
            return "out-of-range option";
        }
        return null;
    }
}
