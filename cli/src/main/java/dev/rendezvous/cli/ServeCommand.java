package dev.rendezvous.cli;

import ch.qos.logback.classic.LoggerContext;
import dev.rendezvous.server.BindFailedException;
import dev.rendezvous.server.SignalingServer;
import dev.rendezvous.server.config.ConfigFile;
import dev.rendezvous.server.config.ConfigLayers;
import dev.rendezvous.server.config.InvalidConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rendezvous serve}: runs the signaling server until SIGTERM or Ctrl-C, then shuts it down
 * gracefully (every session closed with 1001, bounded by {@code --shutdown-timeout-ms}).
 *
 * <p>Every setting comes from, in order of precedence: its flag, its environment variable
 * {@code RENDEZVOUS_<FLAG>} (e.g. {@code RENDEZVOUS_PORT}), the YAML file of {@code --config}, its
 * default ({@link ServeSettings} holds the table). Flags therefore have no picocli defaults: an absent
 * flag is null and falls through to the next layer.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        header = "Runs the signaling server: lobby, rooms, the page, /healthz and /metrics.",
        description = {
            "Runs the signaling server (WebSocket lobby at /ws and /, rooms at /ws/{room}, /healthz, /metrics,",
            "/api/ice-servers, web client at /).",
            "Precedence: flags > environment RENDEZVOUS_<OPTION> (e.g. RENDEZVOUS_PORT=9000) > --config FILE (YAML) > defaults.",
            "Invalid configuration fails at start naming the setting; exit status 2."
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (env: RENDEZVOUS_CONFIG).")
    Path configFile;

    @Option(names = "--print-config", description = "Print the effective configuration (secrets masked) and exit.")
    boolean printConfig;

    @Option(names = "--host", description = "Address to bind (default: 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Port to bind, 0 for any free port (default: 8765).")
    String port;

    @Option(names = "--ping-interval-ms", description = "Server ping period (default: 30000).")
    String pingIntervalMs;

    @Option(names = "--ping-timeout-ms", description = "Silence before a client is closed with 4008; must exceed the interval (default: 45000).")
    String pingTimeoutMs;

    @Option(names = "--jwt-secret", description = "Turns auth on: HS256 tokens signed with this shared secret.")
    String jwtSecret;

    @Option(names = "--jwks", description = "Turns auth on: RS256/ES256 tokens verified with this JWKS file or http(s) URL.")
    String jwks;

    @Option(names = "--jwt-issuer", description = "Required token issuer (iss), if set.")
    String jwtIssuer;

    @Option(names = "--jwt-audience", description = "Required token audience (aud), if set.")
    String jwtAudience;

    @Option(names = "--auth-timeout-ms", description = "Time a client has to send auth_token (default: 10000).")
    String authTimeoutMs;

    @Option(names = "--max-message-bytes", description = "Largest accepted frame (default: 65536).")
    String maxMessageBytes;

    @Option(names = "--rate-limit", description = "Inbound frames per second per connection, 0 = unlimited (default: 1000).")
    String rateLimit;

    @Option(names = "--rate-burst", description = "Frames a connection may send at once (default: 5000).")
    String rateBurst;

    @Option(names = "--max-outbound-bytes", description = "Bytes queued for a client before it counts as not reading and is closed with 4029 (default: 1048576).")
    String maxOutboundBytes;

    @Option(names = "--shutdown-timeout-ms", description = "Bound on graceful shutdown (default: 5000).")
    String shutdownTimeoutMs;

    @Option(names = "--io-threads", description = "Event loop threads, 0 = one per core (default: 0).")
    String ioThreads;

    @Option(names = "--ice-server", paramLabel = "URL", description = "STUN/TURN URL handed to clients; repeatable (default: none).")
    List<String> iceServers;

    @Option(names = "--turn-secret", description = "coturn's static-auth-secret: mint time-limited TURN credentials per client.")
    String turnSecret;

    @Option(names = "--turn-ttl", description = "Lifetime of minted TURN credentials, e.g. 12h (default: 1d).")
    String turnTtl;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain: serve https/wss on the same port.")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "PKCS#8 private key of --tls-cert.")
    String tlsKey;

    @Option(names = "--metrics", arity = "1", paramLabel = "true|false", description = "Serve Prometheus metrics at /metrics (default: true).")
    String metrics;

    @Option(names = "--peerjs", arity = "1", paramLabel = "true|false", description = "Serve the PeerJS server protocol (default: true).")
    String peerJs;

    @Option(names = "--peerjs-path", description = "PeerJS mount path, the client's `path` (default: /).")
    String peerJsPath;

    @Option(names = "--peerjs-key", description = "PeerJS API key; with JWT auth on the key is the token (default: peerjs).")
    String peerJsKey;

    @Option(names = "--peerjs-allow-discovery", arity = "1", paramLabel = "true|false",
            description = "Let GET {path}{key}/peers list PeerJS ids (default: false).")
    String peerJsAllowDiscovery;

    @Option(names = "--peerjs-expire-timeout", description = "Wait for an absent PeerJS id before EXPIRE, e.g. 5s (default: 5s).")
    String peerJsExpireTimeout;

    @Option(names = "--peerjs-alive-timeout", description = "Silence before a PeerJS client is closed, e.g. 90s (default: 90s).")
    String peerJsAliveTimeout;

    @Option(names = "--peerjs-concurrent-limit", description = "Most PeerJS clients at once (default: 5000).")
    String peerJsConcurrentLimit;

    private final Map<String, String> environment;

    ServeCommand() {
        this(System.getenv());
    }

    ServeCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServeSettings.Built built;
        ConfigLayers layers;
        try {
            layers = layers();
            if (printConfig) {
                out.print(layers.render(ServeSettings.ALL));
                out.flush();
                return 0;
            }
            built = ServeSettings.build(layers, Clock.systemUTC());
        } catch (InvalidConfigException e) {
            err.println("rendezvous serve: invalid configuration: " + e.getMessage());
            err.flush();
            return 2;
        }
        SignalingServer server;
        try {
            server = SignalingServer.start(cluster.applyTo(built.config()));
        } catch (BindFailedException e) {
            built.blockingWork().shutdown();
            LoggerFactory.getLogger(ServeCommand.class).debug("bind failed", e);
            err.println("rendezvous serve: " + e.getMessage() + ": " + switch (e.reason()) {
                case PORT_IN_USE -> "stop the other server or use --port 0 (any free port)";
                case ADDRESS_NOT_HERE -> "use --host 127.0.0.1, 0.0.0.0 or one of this machine's addresses";
                case PERMISSION_DENIED -> "use a port above 1023";
                case OTHER -> "check --host and --port";
            });
            err.flush();
            return 1;
        } catch (RuntimeException e) {
            built.blockingWork().shutdown();
            err.println("rendezvous serve: cannot start: " + e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            built.blockingWork().shutdown();
            stopped.countDown();
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
                logback.stop(); // flush the async appender before the JVM halts
            }
        }, "rendezvous-shutdown"));
        out.println("Rendezvous listening on " + server.lobbyUri() + " (" + server.httpUri() + ")");
        out.flush();
        stopped.await();
        return 0;
    }

    /** The four layers: flags given on this command line, the environment, the config file, defaults. */
    ConfigLayers layers() {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put(ServeSettings.HOST.key(), host);
        flags.put(ServeSettings.PORT.key(), port);
        flags.put(ServeSettings.PING_INTERVAL_MS.key(), pingIntervalMs);
        flags.put(ServeSettings.PING_TIMEOUT_MS.key(), pingTimeoutMs);
        flags.put(ServeSettings.JWT_SECRET.key(), jwtSecret);
        flags.put(ServeSettings.JWKS.key(), jwks);
        flags.put(ServeSettings.JWT_ISSUER.key(), jwtIssuer);
        flags.put(ServeSettings.JWT_AUDIENCE.key(), jwtAudience);
        flags.put(ServeSettings.AUTH_TIMEOUT_MS.key(), authTimeoutMs);
        flags.put(ServeSettings.MAX_MESSAGE_BYTES.key(), maxMessageBytes);
        flags.put(ServeSettings.RATE_LIMIT.key(), rateLimit);
        flags.put(ServeSettings.RATE_BURST.key(), rateBurst);
        flags.put(ServeSettings.MAX_OUTBOUND_BYTES.key(), maxOutboundBytes);
        flags.put(ServeSettings.SHUTDOWN_TIMEOUT_MS.key(), shutdownTimeoutMs);
        flags.put(ServeSettings.IO_THREADS.key(), ioThreads);
        flags.put(ServeSettings.ICE_SERVERS.key(), iceServers);
        flags.put(ServeSettings.TURN_SECRET.key(), turnSecret);
        flags.put(ServeSettings.TURN_TTL.key(), turnTtl);
        flags.put(ServeSettings.TLS_CERT.key(), tlsCert);
        flags.put(ServeSettings.TLS_KEY.key(), tlsKey);
        flags.put(ServeSettings.METRICS.key(), metrics);
        flags.put(ServeSettings.PEERJS.key(), peerJs);
        flags.put(ServeSettings.PEERJS_PATH.key(), peerJsPath);
        flags.put(ServeSettings.PEERJS_KEY.key(), peerJsKey);
        flags.put(ServeSettings.PEERJS_ALLOW_DISCOVERY.key(), peerJsAllowDiscovery);
        flags.put(ServeSettings.PEERJS_EXPIRE_TIMEOUT.key(), peerJsExpireTimeout);
        flags.put(ServeSettings.PEERJS_ALIVE_TIMEOUT.key(), peerJsAliveTimeout);
        flags.put(ServeSettings.PEERJS_CONCURRENT_LIMIT.key(), peerJsConcurrentLimit);
        Optional<Path> file = Optional.ofNullable(configFile)
                .or(() -> Optional.ofNullable(environment.get("RENDEZVOUS_CONFIG")).filter(s -> !s.isBlank()).map(Path::of));
        return new ConfigLayers(ConfigLayers.flagValues(flags), environment,
                file.map(f -> ConfigFile.read(f, ServeSettings.keys())).orElse(Map.of()), file);
    }
}
