package dev.rendezvous.bench;

import dev.rendezvous.client.signaling.TextParts;
import dev.rendezvous.cluster.redis.NodeMain;
import dev.rendezvous.testing.redis.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Relay throughput, latency and server CPU per message of one server versus two nodes on Redis, both
 * ends of each pair on one node or on different nodes. The nodes run as child processes
 * ({@link NodeMain}), so their CPU time (and redis-server's) is measured apart from the load
 * generator's. Not a test: run it by hand (see docs/benchmarks.md).
 *
 * <pre>
 * CrossNodeBench [pairs=16] [messages=4000] [window=64] [latencyMessages=2000]
 * </pre>
 *
 * Each pair's sender sends {@code messages} {@code candidate} frames (about 200 bytes) to its peer,
 * at most {@code window} unacknowledged (the receiver counting is the acknowledgement); throughput is
 * every frame received over the time from the first send to the last receipt. Latency: one pair, one
 * frame in flight at a time, one-way time from the sender's {@code sendText} to the receiver's
 * {@code onText} (both in this JVM, one clock). Clients, nodes and redis-server share this machine.
 */
public final class CrossNodeBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PAD = "x".repeat(120);

    private CrossNodeBench() {}

    public static void main(String[] args) throws Exception {
        Load load = new Load(
                args.length > 0 ? Integer.parseInt(args[0]) : 16,
                args.length > 1 ? Integer.parseInt(args[1]) : 4000,
                args.length > 2 ? Integer.parseInt(args[2]) : 64,
                args.length > 3 ? Integer.parseInt(args[3]) : 2000);
        System.out.printf(
                Locale.ROOT,
                "pairs=%d messages/pair=%d window=%d latency messages=%d cores=%d%n",
                load.pairs(),
                load.messages(),
                load.window(),
                load.latencyMessages(),
                Runtime.getRuntime().availableProcessors());
        try (RedisServer redis = RedisServer.start()) {
            ProcessHandle redisProcess = ProcessHandle.of(redis.pid()).orElseThrow();
            try (Node single = Node.spawn("local")) {
                run("single node (in-process hub)", single, single, List.of(single.process.toHandle()), null, load);
            }
            try (Node n0 = Node.spawn(redis.uri(), "bench-0");
                    Node n1 = Node.spawn(redis.uri(), "bench-1")) {
                List<ProcessHandle> both = List.of(n0.process.toHandle(), n1.process.toHandle());
                run("2 nodes on Redis, pair on one node", n0, n0, both, redisProcess, load);
                run("2 nodes on Redis, pair across nodes", n0, n1, both, redisProcess, load);
            }
        }
    }

    /** A server node in a child process. */
    private record Node(Process process, int port) implements AutoCloseable {
        static Node spawn(String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    NodeMain.class.getName()));
            command.addAll(List.of(args));
            if (args.length == 2) {
                command.add("10000");
            }
            Process p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String l; (l = out.readLine()) != null; ) {
                if (l.startsWith("port=")) {
                    return new Node(p, Integer.parseInt(l.substring(5)));
                }
            }
            throw new IllegalStateException("node did not start");
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long cpuNanos(List<ProcessHandle> processes) {
        long sum = 0;
        for (ProcessHandle p : processes) {
            sum += p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
        return sum;
    }

    private static void run(String name, Node a, Node b, List<ProcessHandle> servers, ProcessHandle redis, Load load)
            throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        // warm-up (JIT), then the measured runs
        throughput(a, b, tag + "w", load);
        long serverCpu = cpuNanos(servers);
        long redisCpu = redis == null ? 0 : cpuNanos(List.of(redis));
        double perSecond = throughput(a, b, tag + "t", load);
        double total = (double) load.pairs() * load.messages();
        double serverUs = (cpuNanos(servers) - serverCpu) / 1e3 / total;
        double redisUs = redis == null ? 0 : (cpuNanos(List.of(redis)) - redisCpu) / 1e3 / total;
        long[] lat = latency(a, b, tag + "l", load.latencyMessages());
        System.out.printf(
                Locale.ROOT,
                "%-38s %,8.0f msg/s | server CPU %5.1f µs/msg, redis %4.1f µs/msg | one-way µs p50 %5.0f p90 %5.0f p99 %6.0f%n",
                name,
                perSecond,
                serverUs,
                redisUs,
                pct(lat, 50),
                pct(lat, 90),
                pct(lat, 99));
    }

    /** The offered load, the same for every setup: see the class comment. */
    private record Load(int pairs, int messages, int window, int latencyMessages) {}

    private static double throughput(Node a, Node b, String tag, Load load) throws Exception {
        int pairs = load.pairs();
        int messages = load.messages();
        List<Client[]> ps = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            ps.add(pair(a, b, tag + "s" + i, tag + "r" + i));
        }
        CountDownLatch done = new CountDownLatch(pairs);
        long start = System.nanoTime();
        List<Thread> senders = new ArrayList<>();
        for (Client[] p : ps) {
            Semaphore credit = new Semaphore(load.window());
            p[1].onFrame = t -> {
                credit.release();
                if (p[1].received.incrementAndGet() == messages) {
                    done.countDown();
                }
            };
            senders.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < messages; i++) {
                    credit.acquireUninterruptibly();
                    p[0].send(frame(i));
                }
            }));
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("throughput run did not finish: " + done.getCount() + " pairs left");
        }
        long elapsed = System.nanoTime() - start;
        for (Thread t : senders) {
            t.join();
        }
        ps.forEach(p -> {
            p[0].close();
            p[1].close();
        });
        return (double) pairs * messages / (elapsed / 1e9);
    }

    private static long[] latency(Node a, Node b, String tag, int n) throws Exception {
        Client[] p = pair(a, b, tag + "s", tag + "r");
        long[] samples = new long[n];
        BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        p[1].onFrame = t -> arrivals.add(t);
        for (int i = 0; i < n; i++) {
            long sent = System.nanoTime();
            p[0].send(frame(i));
            Long got = arrivals.poll(10, TimeUnit.SECONDS);
            if (got == null) {
                throw new IllegalStateException("frame " + i + " lost");
            }
            samples[i] = got - sent;
        }
        p[0].close();
        p[1].close();
        Arrays.sort(samples);
        return samples;
    }

    private static String frame(int i) {
        return "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:" + i
                + " 1 udp 2122260223 10.0.0.1 5000 typ host " + PAD + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}";
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e3;
    }

    /** A sender on {@code a} paired with a receiver on {@code b}. */
    private static Client[] pair(Node a, Node b, String sender, String receiver) throws Exception {
        Client s = Client.connect(a.port(), sender);
        Client r = Client.connect(b.port(), receiver);
        s.send("{\"type\":\"pair_request\",\"target_id\":\"" + receiver + "\"}");
        s.awaitControl("\"paired\"");
        r.awaitControl("\"paired\"");
        return new Client[] {s, r};
    }

    /** A lobby client: control frames on a queue, relayed frames to {@link #onFrame} with their arrival time. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> control = new LinkedBlockingQueue<>();
        final AtomicInteger received = new AtomicInteger();
        volatile LongConsumer onFrame = t -> {};
        private final TextParts parts = new TextParts();
        private WebSocket ws;
        private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);

        static Client connect(int port, String id) throws Exception {
            Client c = new Client();
            c.ws = HTTP.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?client_id=" + id), c)
                    .get(10, TimeUnit.SECONDS);
            c.awaitControl("\"your_id\"");
            return c;
        }

        synchronized void send(String text) {
            lastSend = lastSend.thenCompose(w -> ws.sendText(text, true));
        }

        void awaitControl(String contains) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                String m = control.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new IllegalStateException("no " + contains + " within 10 s");
                }
                if (m.contains(contains)) {
                    return;
                }
            }
        }

        void close() {
            ws.abort();
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            String text = parts.add(data, last);
            if (text != null) {
                if (text.startsWith("{\"type\":\"candidate\"")) {
                    onFrame.accept(now);
                } else {
                    control.add(text);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
