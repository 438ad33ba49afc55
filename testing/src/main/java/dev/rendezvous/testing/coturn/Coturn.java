package dev.rendezvous.testing.coturn;

import dev.rendezvous.server.ice.IceConfig;
import dev.rendezvous.server.ice.TurnCredential;
import dev.rendezvous.server.ice.TurnCredentialMinter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * One coturn process on 127.0.0.1 with {@code use-auth-secret}: UDP and TCP on a free listening port,
 * relay ports from a private range, loopback peers allowed, no TLS/DTLS/CLI. Typical use:
 *
 * <pre>{@code
 * assumeTrue(Coturn.isInstalled(), "coturn is not installed");
 * try (Coturn turn = Coturn.start()) {
 *     IceConfig ice = turn.iceConfig();               // clients get a credential minted for their id:
 *     ServerConfig config = ServerConfig.builder().port(0).iceServers(ice::serversFor).build();
 *     TurnCredential c = turn.credential("alice");      // or mint one directly
 *     String url = turn.turnUrl();                      // "turn:127.0.0.1:<port>?transport=udp"
 * }
 * }</pre>
 *
 * With JUnit 5, {@link CoturnExtension} starts one per test class and injects it as a parameter. Peers
 * then use relay-only policy ({@code iceTransportPolicy: "relay"}) with the {@code ice_servers} of
 * their {@code your_id}; every packet stays on 127.0.0.1.
 *
 * {@link #close()} stops the process through its handle (SIGTERM, then SIGKILL after 5 s) and deletes
 * the working directory.
 */
public final class Coturn implements AutoCloseable {

    public static final String REALM = "rendezvous.test";
    private static final Path BINARY = Path.of("/usr/bin/turnserver");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final int RELAY_PORT_COUNT = 100;

    private final Process process;
    private final Path directory;
    private final int port;
    private final String secret;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Coturn(Process process, Path directory, int port, String secret) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.secret = secret;
    }

    /** Whether Debian's {@code turnserver} is installed (tests {@code assumeTrue} on it). */
    public static boolean isInstalled() {
        return Files.isExecutable(BINARY);
    }

    /** Starts coturn with a fresh random secret. */
    public static Coturn start() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return start(HexFormat.of().formatHex(random));
    }

    /** Starts coturn with {@code static-auth-secret=secret} and waits until it answers a binding request. */
    public static Coturn start(String secret) {
        try {
            Path directory = Files.createTempDirectory("rendezvous-coturn-");
            int port = freeUdpAndTcpPort();
            int minRelay = 49_152
                    + ThreadLocalRandom.current().nextInt((65_535 - 49_152 - RELAY_PORT_COUNT) / RELAY_PORT_COUNT)
                            * RELAY_PORT_COUNT;
            Path config = directory.resolve("turnserver.conf");
            Files.write(
                    config,
                    List.of(
                            "listening-ip=127.0.0.1",
                            "relay-ip=127.0.0.1",
                            "listening-port=" + port,
                            "min-port=" + minRelay,
                            "max-port=" + (minRelay + RELAY_PORT_COUNT - 1),
                            "realm=" + REALM,
                            "use-auth-secret",
                            "static-auth-secret=" + secret,
                            // Every peer in our tests is on loopback; coturn refuses loopback peers by default.
                            "allow-loopback-peers",
                            "no-multicast-peers",
                            "no-tls",
                            "no-dtls",
                            "no-cli",
                            "no-rfc5780",
                            "fingerprint",
                            "verbose",
                            "simple-log",
                            "log-file=" + directory.resolve("turnserver.log"),
                            "pidfile=" + directory.resolve("turnserver.pid"),
                            "userdb=" + directory.resolve("turndb")));
            Process process = new ProcessBuilder(BINARY.toString(), "-c", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stdout.log").toFile())
                    .start();
            Coturn coturn = new Coturn(process, directory, port, secret);
            coturn.awaitReady();
            return coturn;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start coturn", e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = logTail();
                close();
                throw new IllegalStateException("coturn exited with " + process.exitValue() + " at start:\n" + log);
            }
            // Each try waits up to 500 ms for an answer: this loop never spins idle.
            if (answersBinding(Duration.ofMillis(500))) {
                return;
            }
        }
        String log = logTail();
        close();
        throw new IllegalStateException(
                "coturn did not answer a binding request within " + START_TIMEOUT + ":\n" + log);
    }

    /**
     * Whether coturn answers one STUN binding request over UDP within {@code timeout} with a success
     * response to the same transaction (RFC 5389 header only: enough to know it is up). The full STUN/TURN
     * client that checks what coturn grants is {@code rendezvous doctor}'s probe, in the cli module.
     */
    public boolean answersBinding(Duration timeout) {
        byte[] transaction = new byte[12];
        ThreadLocalRandom.current().nextBytes(transaction);
        ByteBuffer request = ByteBuffer.allocate(20)
                .putShort((short) 0x0001) // Binding Request
                .putShort((short) 0) // no attributes
                .putInt(0x2112A442) // magic cookie
                .put(transaction);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            socket.send(new DatagramPacket(request.array(), 20, server));
            byte[] answer = new byte[1500];
            DatagramPacket packet = new DatagramPacket(answer, answer.length);
            socket.receive(packet);
            return packet.getLength() >= 20
                    && answer[0] == 0x01
                    && answer[1] == 0x01 // Binding Success Response
                    && Arrays.equals(answer, 8, 20, transaction, 0, 12);
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("binding request to coturn on port " + port, e);
        }
    }

    /** The UDP and TCP listening port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The {@code static-auth-secret} it was started with. */
    public String secret() {
        return secret;
    }

    public String stunUrl() {
        return "stun:127.0.0.1:" + port;
    }

    /** The TURN URL over UDP. */
    public String turnUrl() {
        return "turn:127.0.0.1:" + port + "?transport=udp";
    }

    /** The TURN URL over TCP. */
    public String turnTcpUrl() {
        return "turn:127.0.0.1:" + port + "?transport=tcp";
    }

    /** A minter of credentials this coturn accepts, valid for {@code ttl}. */
    public TurnCredentialMinter minter(Duration ttl) {
        return new TurnCredentialMinter(secret, ttl, Clock.systemUTC());
    }

    /** A minter of credentials this coturn accepts, valid for an hour. */
    public TurnCredentialMinter minter() {
        return minter(Duration.ofHours(1));
    }

    /** A credential for {@code clientId}, valid for an hour. */
    public TurnCredential credential(String clientId) {
        return minter().mint(clientId);
    }

    /** The ICE configuration a server hands its clients to relay through this coturn (UDP TURN only). */
    public IceConfig iceConfig() {
        return IceConfig.of(List.of(turnUrl()), Optional.of(secret), Duration.ofHours(1), Clock.systemUTC());
    }

    /** The process handle: tests may check it is alive, never kill others by name. */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    public Path logFile() {
        return directory.resolve("turnserver.log");
    }

    /** The last 60 lines of coturn's logs, for failure messages. */
    public String logTail() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("stdout.log", "turnserver.log")) {
            Path file = directory.resolve(name);
            try {
                if (Files.exists(file)) {
                    List<String> lines = Files.readAllLines(file);
                    out.append("--- ").append(name).append('\n');
                    lines.subList(Math.max(0, lines.size() - 60), lines.size())
                            .forEach(l -> out.append(l).append('\n'));
                }
            } catch (IOException | UncheckedIOException e) {
                out.append("(could not read ")
                        .append(name)
                        .append(": ")
                        .append(e.getMessage())
                        .append(")\n");
            }
        }
        return out.toString();
    }

    /** Stops coturn by its handle and removes its working directory; runs once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(directory);
        }
    }

    /** A port free for both UDP and TCP on 127.0.0.1 right now (coturn listens on both). */
    private static int freeUdpAndTcpPort() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
                int candidate = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket()) {
                    tcp.bind(new InetSocketAddress(loopback, candidate));
                    return candidate;
                } catch (IOException taken) {
                    // TCP side busy: try another UDP port.
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on 127.0.0.1 after 50 attempts");
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
    }
}
