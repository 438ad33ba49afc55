package dev.rendezvous.cli;

import dev.rendezvous.cli.bench.Bench;
import dev.rendezvous.cli.bench.BenchOptions;
import dev.rendezvous.cli.bench.BenchResult;
import dev.rendezvous.cli.bench.HandshakeBurst;
import dev.rendezvous.cli.bench.WsClient;
import dev.rendezvous.server.SignalingServer;
import dev.rendezvous.server.config.ConfigLayers;
import dev.rendezvous.server.peerjs.PeerJsConfig;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code rendezvous train} (hidden): the training run behind the launcher's AOT cache (docs/operations.md,
 * "JVM options"). It starts private servers on 127.0.0.1 port 0 through the same settings code as
 * {@code serve}, drives what production does through them — WebSocket upgrades, JWT auth, lobby pairing
 * and relay, room joins and broadcast, keepalive pings, bad frames, the HTTP endpoints, the PeerJS
 * endpoint ({@link PeerJsTraining}) — for a few
 * seconds, shuts them down cleanly and exits. The launcher runs it with {@code -XX:AOTCacheOutput}, so
 * the JVM records which classes it loaded and linked and which methods were hot (with their profiles)
 * and writes them to the cache a fresh {@code serve} then maps.
 *
 * <p>Each step is bounded in connections and time and throws if the server did not do what it should,
 * so a broken training run exits non-zero and the launcher keeps no cache from it.
 */
@Command(
        name = "train",
        hidden = true,
        mixinStandardHelpOptions = true,
        description = "Exercises a private loopback server for the launcher's AOT cache, then exits.")
final class TrainCommand implements Callable<Integer> {
    /**
     * Pings every 500 ms so that the keepalive path runs within the seconds of training; the timeout is
     * generous because a cold JVM on a busy machine may read late, and a timed-out client fails the run.
     */
    private static final String PING_INTERVAL_MS = "500";

    private static final String PING_TIMEOUT_MS = "60000";

    /**
     * How long an HTTP request of the run may take: as generous as the ping timeout, for the same reason (a
     * 5 s bound failed the whole run, and so left a build without its cache, at load 30 on 2 cores).
     */
    private static final int HTTP_TIMEOUT_MS = 60_000;

    @Spec
    CommandSpec spec;

    /** One step of the run, against a server of the given kind. */
    private record Step(String name, boolean auth, StepBody body) {}

    @FunctionalInterface
    private interface StepBody {
        String run(SignalingServer server, EventLoopGroup group) throws Exception;
    }

    private final byte[] secret = new byte[32];

    /** What production does, in the order a real server meets it. A new endpoint adds its step here. */
    private List<Step> steps() {
        return List.of(
                new Step("http", false, (server, group) -> http(server.port())),
                new Step(
                        "upgrades",
                        false,
                        (server, group) -> "admitted "
                                + new HandshakeBurst(server.lobbyUri(), 600, 100, null, 50)
                                        .run(group, 60, TimeUnit.SECONDS)),
                new Step("relay", false, (server, group) -> bench(server, "relay", o -> o.withLoad(100, 16, 300, 1))),
                new Step(
                        "latency",
                        false,
                        (server, group) -> bench(
                                server,
                                "latency",
                                o -> o.withLoad(100, 64, 0, 1)
                                        .withTiming(Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO))),
                new Step(
                        "rooms",
                        false,
                        (server, group) -> bench(
                                server,
                                "fanout",
                                o -> o.withTiming(Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO))),
                new Step(
                        "peerjs",
                        false,
                        (server, group) -> new PeerJsTraining(100, 10, id -> PeerJsConfig.DEFAULT_KEY)
                                .run(server.port(), group, "train")),
                new Step(
                        "auth-lobby",
                        true,
                        (server, group) -> "admitted "
                                + new HandshakeBurst(server.lobbyUri(), 100, 50, i -> token("train-" + i), 0)
                                        .run(group, 60, TimeUnit.SECONDS)),
                new Step(
                        "auth-room",
                        true,
                        (server, group) -> "admitted "
                                + new HandshakeBurst(
                                                server.roomUri("train-room"), 100, 50, i -> token("train-room-" + i), 0)
                                        .run(group, 60, TimeUnit.SECONDS)),
                new Step(
                        "auth-peerjs",
                        true,
                        (server, group) ->
                                new PeerJsTraining(50, 5, this::token).run(server.port(), group, "train-auth")));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        new SecureRandom().nextBytes(secret);
        long start = System.nanoTime();
        EventLoopGroup group = WsClient.newGroup(1);
        try {
            for (boolean auth : new boolean[] {false, true}) {
                ServeSettings.Built built = ServeSettings.build(layers(auth), Clock.systemUTC());
                SignalingServer server = SignalingServer.start(built.config());
                try {
                    for (Step step : steps()) {
                        if (step.auth() == auth) {
                            long t0 = System.nanoTime();
                            String result = step.body().run(server, group);
                            out.printf(
                                    "train: %-10s %5d ms  %s%n",
                                    step.name(), (System.nanoTime() - t0) / 1_000_000, result);
                            out.flush();
                        }
                    }
                } finally {
                    server.close();
                    built.blockingWork().shutdown();
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        out.printf("train: done in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        out.flush();
        return 0;
    }

    /** The settings a default {@code serve} runs with, on a private port, with fast pings, and auth when asked. */
    private ConfigLayers layers(boolean auth) {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put(ServeSettings.HOST.key(), "127.0.0.1");
        flags.put(ServeSettings.PORT.key(), "0");
        flags.put(ServeSettings.PING_INTERVAL_MS.key(), PING_INTERVAL_MS);
        flags.put(ServeSettings.PING_TIMEOUT_MS.key(), PING_TIMEOUT_MS);
        if (auth) {
            flags.put(ServeSettings.JWT_SECRET.key(), HexFormat.of().formatHex(secret));
        }
        return new ConfigLayers(ConfigLayers.flagValues(flags), Map.of(), Map.of(), Optional.empty());
    }

    private String token(String subject) {
        try {
            byte[] key = HexFormat.of().formatHex(secret).getBytes(StandardCharsets.UTF_8);
            return TokenCommand.hs256(
                    key, subject, null, null, null, Clock.systemUTC().instant(), Duration.ofMinutes(5));
        } catch (Exception e) {
            throw new IllegalStateException("cannot mint a training token", e);
        }
    }

    /** A bench scenario against {@code server}, small and bounded; fails unless every message arrived once, in order. */
    private static String bench(SignalingServer server, String scenario, UnaryOperator<BenchOptions> shape)
            throws InterruptedException {
        BenchOptions o = shape.apply(BenchOptions.defaults()
                        .withScenario(scenario)
                        .withPort(server.port())
                        .withServerPid(-1))
                .withFanout(25, 4);
        BenchResult r = Bench.run(o, new PrintStream(OutputStream.nullOutputStream()));
        for (String bad : List.of("lost", "duplicated", "reordered", "wrong_sender", "duplicated_or_reordered")) {
            if (r.count(bad) > 0) {
                throw new IllegalStateException(scenario + ": " + r.count(bad) + " " + bad);
            }
        }
        return "latency " + r.fields().get("latency_ms");
    }

    /** GETs of the HTTP endpoints a deployment polls (health, metrics, ICE servers) and the web client. */
    private static String http(int port) throws IOException {
        int ok = 0;
        for (int round = 0; round < 5; round++) {
            for (String path : List.of("/healthz", "/metrics", "/api/ice-servers", "/")) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), HTTP_TIMEOUT_MS);
                    s.setSoTimeout(HTTP_TIMEOUT_MS);
                    OutputStream o = s.getOutputStream();
                    o.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    InputStream in = s.getInputStream();
                    String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                    in.transferTo(OutputStream.nullOutputStream());
                    if (!status.startsWith("HTTP/1.1 ")) {
                        throw new IOException(path + " answered " + status);
                    }
                    ok++;
                }
            }
        }
        return ok + " requests";
    }
}
