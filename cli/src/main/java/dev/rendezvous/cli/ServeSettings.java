package dev.rendezvous.cli;

import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.auth.Authenticator;
import dev.rendezvous.server.auth.JwtAuthenticator;
import dev.rendezvous.server.config.ConfigLayers;
import dev.rendezvous.server.config.InvalidConfigException;
import dev.rendezvous.server.config.PemTls;
import dev.rendezvous.server.config.Setting;
import dev.rendezvous.server.ice.IceConfig;
import dev.rendezvous.server.ice.IceServersEndpoint;
import dev.rendezvous.server.metrics.MetricsEndpoint;
import dev.rendezvous.server.metrics.ServerMetrics;
import dev.rendezvous.server.peerjs.PeerJsConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Every setting of {@code rendezvous serve} — YAML key, flag, environment variable, default — and how the
 * resolved values become a {@link ServerConfig} (auth, ICE servers with minted TURN credentials,
 * {@code /api/ice-servers}, {@code /metrics}, TLS). docs/operations.md lists the same table.
 */
final class ServeSettings {

    static final Setting<String> HOST = Setting.text("host", "--host", "RENDEZVOUS_HOST",
            ServerConfig.DEFAULT_HOST, "Address to bind.");
    static final Setting<Integer> PORT = Setting.integer("port", "--port", "RENDEZVOUS_PORT",
            ServerConfig.DEFAULT_PORT, 0, 65_535, "Port to bind, 0 for any free port.");
    static final Setting<Integer> PING_INTERVAL_MS = Setting.integer("keepalive.ping_interval_ms", "--ping-interval-ms",
            "RENDEZVOUS_PING_INTERVAL_MS", (int) ServerConfig.DEFAULT_PING_INTERVAL.toMillis(), 1, Integer.MAX_VALUE,
            "Server ping period.");
    static final Setting<Integer> PING_TIMEOUT_MS = Setting.integer("keepalive.ping_timeout_ms", "--ping-timeout-ms",
            "RENDEZVOUS_PING_TIMEOUT_MS", (int) ServerConfig.DEFAULT_PING_TIMEOUT.toMillis(), 1, Integer.MAX_VALUE,
            "Silence before a client is closed with 4008; must exceed the ping interval.");
    static final Setting<String> JWT_SECRET = Setting.text("auth.jwt_secret", "--jwt-secret", "RENDEZVOUS_JWT_SECRET",
            null, "Turns auth on: HS256 tokens signed with this shared secret.").masked();
    static final Setting<String> JWKS = Setting.text("auth.jwks", "--jwks", "RENDEZVOUS_JWKS",
            null, "Turns auth on: RS256/ES256 tokens verified with this JWKS file or http(s) URL.");
    static final Setting<String> JWT_ISSUER = Setting.text("auth.issuer", "--jwt-issuer", "RENDEZVOUS_JWT_ISSUER",
            null, "Required token issuer (iss), if set.");
    static final Setting<String> JWT_AUDIENCE = Setting.text("auth.audience", "--jwt-audience", "RENDEZVOUS_JWT_AUDIENCE",
            null, "Required token audience (aud), if set.");
    static final Setting<Integer> AUTH_TIMEOUT_MS = Setting.integer("auth.timeout_ms", "--auth-timeout-ms",
            "RENDEZVOUS_AUTH_TIMEOUT_MS", (int) ServerConfig.DEFAULT_AUTH_TIMEOUT.toMillis(), 1, Integer.MAX_VALUE,
            "Time a client has to send auth_token.");
    static final Setting<Integer> MAX_MESSAGE_BYTES = Setting.integer("limits.max_message_bytes", "--max-message-bytes",
            "RENDEZVOUS_MAX_MESSAGE_BYTES", ServerConfig.DEFAULT_MAX_MESSAGE_BYTES, 64, Integer.MAX_VALUE,
            "Largest accepted frame payload (close 1009 above).");
    static final Setting<Double> RATE_LIMIT = Setting.decimal("limits.rate_limit", "--rate-limit", "RENDEZVOUS_RATE_LIMIT",
            ServerConfig.DEFAULT_RATE_LIMIT_PER_SECOND, 0, "Inbound frames per second per connection, 0 = unlimited.");
    static final Setting<Double> RATE_BURST = Setting.decimal("limits.rate_burst", "--rate-burst", "RENDEZVOUS_RATE_BURST",
            ServerConfig.DEFAULT_RATE_LIMIT_BURST, 1, "Frames a connection may send at once.");
    static final Setting<Integer> MAX_OUTBOUND_BYTES = Setting.integer("limits.max_outbound_bytes", "--max-outbound-bytes",
            "RENDEZVOUS_MAX_OUTBOUND_BYTES", ServerConfig.DEFAULT_MAX_OUTBOUND_BYTES, 1024, Integer.MAX_VALUE,
            "Bytes queued for a client before it counts as not reading and is closed with 4029.");
    static final Setting<Integer> SHUTDOWN_TIMEOUT_MS = Setting.integer("shutdown_timeout_ms", "--shutdown-timeout-ms",
            "RENDEZVOUS_SHUTDOWN_TIMEOUT_MS", (int) ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT.toMillis(), 0, Integer.MAX_VALUE,
            "Bound on graceful shutdown.");
    static final Setting<Integer> IO_THREADS = Setting.integer("io_threads", "--io-threads", "RENDEZVOUS_IO_THREADS",
            0, 0, 1024, "Event loop threads, 0 = Netty's default.");
    static final Setting<List<String>> ICE_SERVERS = Setting.list("ice.servers", "--ice-server", "RENDEZVOUS_ICE_SERVERS",
            "STUN/TURN URLs handed to clients (repeat the flag; comma-separated in the env var). Default none.");
    static final Setting<String> TURN_SECRET = Setting.text("ice.turn_secret", "--turn-secret", "RENDEZVOUS_TURN_SECRET",
            null, "coturn's static-auth-secret: mints time-limited TURN credentials per client.").masked();
    static final Setting<Duration> TURN_TTL = Setting.duration("ice.turn_ttl", "--turn-ttl", "RENDEZVOUS_TURN_TTL",
            IceConfig.DEFAULT_TURN_TTL, Duration.ofSeconds(1), "Lifetime of each minted TURN credential.");
    static final Setting<Path> TLS_CERT = Setting.path("tls.cert", "--tls-cert", "RENDEZVOUS_TLS_CERT",
            "PEM certificate chain: serve https/wss on the same port (with tls.key).");
    static final Setting<Path> TLS_KEY = Setting.path("tls.key", "--tls-key", "RENDEZVOUS_TLS_KEY",
            "PEM PKCS#8 private key of tls.cert.");
    static final Setting<Boolean> METRICS = Setting.bool("metrics.enabled", "--metrics", "RENDEZVOUS_METRICS",
            true, "Serve Prometheus metrics at /metrics.");
    static final Setting<Boolean> PEERJS = Setting.bool("peerjs.enabled", "--peerjs", "RENDEZVOUS_PEERJS",
            true, "Serve the PeerJS server protocol (unmodified PeerJS apps) beside v1.");
    static final Setting<String> PEERJS_PATH = Setting.text("peerjs.path", "--peerjs-path", "RENDEZVOUS_PEERJS_PATH",
            PeerJsConfig.DEFAULT_PATH, "PeerJS mount path (the client's `path`): HTTP at {path}{key}/id, WebSocket at {path}peerjs.");
    static final Setting<String> PEERJS_KEY = Setting.text("peerjs.key", "--peerjs-key", "RENDEZVOUS_PEERJS_KEY",
            PeerJsConfig.DEFAULT_KEY, "PeerJS API key clients must send (auth off; with JWT auth on the key is the token).");
    static final Setting<Boolean> PEERJS_ALLOW_DISCOVERY = Setting.bool("peerjs.allow_discovery", "--peerjs-allow-discovery",
            "RENDEZVOUS_PEERJS_ALLOW_DISCOVERY", false, "Let GET {path}{key}/peers list the connected PeerJS ids.");
    static final Setting<Duration> PEERJS_EXPIRE_TIMEOUT = Setting.duration("peerjs.expire_timeout", "--peerjs-expire-timeout",
            "RENDEZVOUS_PEERJS_EXPIRE_TIMEOUT", PeerJsConfig.DEFAULT_EXPIRE_TIMEOUT, Duration.ofMillis(1),
            "How long messages for a PeerJS id that is not connected wait before the sender gets EXPIRE.");
    static final Setting<Duration> PEERJS_ALIVE_TIMEOUT = Setting.duration("peerjs.alive_timeout", "--peerjs-alive-timeout",
            "RENDEZVOUS_PEERJS_ALIVE_TIMEOUT", PeerJsConfig.DEFAULT_ALIVE_TIMEOUT, Duration.ofMillis(1),
            "Silence (no HEARTBEAT) after which a PeerJS client is closed.");
    static final Setting<Integer> PEERJS_CONCURRENT_LIMIT = Setting.integer("peerjs.concurrent_limit", "--peerjs-concurrent-limit",
            "RENDEZVOUS_PEERJS_CONCURRENT_LIMIT", PeerJsConfig.DEFAULT_CONCURRENT_LIMIT, 1, Integer.MAX_VALUE,
            "Most PeerJS clients connected at once.");

    /** Every setting, in the order {@code --print-config} and the docs show them. */
    static final List<Setting<?>> ALL = List.of(HOST, PORT, PING_INTERVAL_MS, PING_TIMEOUT_MS,
            JWT_SECRET, JWKS, JWT_ISSUER, JWT_AUDIENCE, AUTH_TIMEOUT_MS,
            MAX_MESSAGE_BYTES, RATE_LIMIT, RATE_BURST, MAX_OUTBOUND_BYTES, SHUTDOWN_TIMEOUT_MS, IO_THREADS,
            ICE_SERVERS, TURN_SECRET, TURN_TTL, TLS_CERT, TLS_KEY, METRICS,
            PEERJS, PEERJS_PATH, PEERJS_KEY, PEERJS_ALLOW_DISCOVERY, PEERJS_EXPIRE_TIMEOUT, PEERJS_ALIVE_TIMEOUT,
            PEERJS_CONCURRENT_LIMIT);

    static Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        ALL.forEach(s -> keys.add(s.key()));
        return keys;
    }

    /** What {@link #build} made: the server configuration and the parts the caller may show or close. */
    record Built(ServerConfig config, Optional<ServerMetrics> metrics, IceConfig ice, ExecutorService blockingWork) {}

    private ServeSettings() {}

    /**
     * Resolves every setting and builds the server configuration, or throws
     * {@link InvalidConfigException} naming the offending key.
     */
    static Built build(ConfigLayers layers, Clock clock) {
        int pingInterval = layers.value(PING_INTERVAL_MS);
        int pingTimeout = layers.value(PING_TIMEOUT_MS);
        if (pingTimeout <= pingInterval) {
            throw new InvalidConfigException(PING_TIMEOUT_MS.key(), pingTimeout + " must be greater than "
                    + PING_INTERVAL_MS.key() + " (" + pingInterval + ")");
        }
        Authenticator authenticator = authenticator(layers);
        IceConfig ice;
        try {
            ice = IceConfig.of(layers.value(ICE_SERVERS), Optional.ofNullable(layers.value(TURN_SECRET)),
                    layers.value(TURN_TTL), clock);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().contains("TURN secret") ? TURN_SECRET.key() : ICE_SERVERS.key();
            throw new InvalidConfigException(key, e.getMessage());
        }
        // Token checks against a JWKS URL and metric rendering may take a while: never on an event loop.
        ExecutorService blockingWork = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rendezvous-http-", 0).factory());
        ServerConfig.Builder builder = ServerConfig.builder()
                .host(layers.value(HOST))
                .port(layers.value(PORT))
                .pingInterval(Duration.ofMillis(pingInterval))
                .pingTimeout(Duration.ofMillis(pingTimeout))
                .authenticator(authenticator)
                .authTimeout(Duration.ofMillis(layers.value(AUTH_TIMEOUT_MS)))
                .maxMessageBytes(layers.value(MAX_MESSAGE_BYTES))
                .rateLimit(layers.value(RATE_LIMIT), layers.value(RATE_BURST))
                .maxOutboundBytes(layers.value(MAX_OUTBOUND_BYTES))
                .shutdownTimeout(Duration.ofMillis(layers.value(SHUTDOWN_TIMEOUT_MS)))
                .ioThreads(layers.value(IO_THREADS))
                .iceServers(ice::serversFor)
                .httpEndpoint(IceServersEndpoint.PATH, new IceServersEndpoint(ice, authenticator, blockingWork));
        Optional<ServerMetrics> metrics = Optional.empty();
        if (layers.value(METRICS)) {
            ServerMetrics m = new ServerMetrics();
            builder.observer(m).httpEndpoint(MetricsEndpoint.PATH, new MetricsEndpoint(m, blockingWork));
            metrics = Optional.of(m);
        }
        String peerJsPath = layers.value(PEERJS_PATH);
        if (peerJsPath == null || !peerJsPath.startsWith("/")) {
            throw new InvalidConfigException(PEERJS_PATH.key(), "must start with /, got " + peerJsPath);
        }
        String peerJsKey = layers.value(PEERJS_KEY);
        if (peerJsKey == null || peerJsKey.isEmpty() || peerJsKey.contains("/")) {
            throw new InvalidConfigException(PEERJS_KEY.key(), "must be non-empty without /");
        }
        builder.peerJs(p -> p.withEnabled(layers.value(PEERJS)))
                .peerJs(p -> p.withPath(peerJsPath))
                .peerJs(p -> p.withKey(peerJsKey))
                .peerJs(p -> p.withAllowDiscovery(layers.value(PEERJS_ALLOW_DISCOVERY)))
                .peerJs(p -> p.withExpireTimeout(layers.value(PEERJS_EXPIRE_TIMEOUT)))
                .peerJs(p -> p.withAliveTimeout(layers.value(PEERJS_ALIVE_TIMEOUT)))
                .peerJs(p -> p.withConcurrentLimit(layers.value(PEERJS_CONCURRENT_LIMIT)));
        Path cert = layers.value(TLS_CERT);
        Path key = layers.value(TLS_KEY);
        if ((cert == null) != (key == null)) {
            String missing = cert == null ? TLS_CERT.key() : TLS_KEY.key();
            throw new InvalidConfigException(missing, "is required when " + (cert == null ? TLS_KEY.key() : TLS_CERT.key())
                    + " is set (TLS needs both the certificate and its key)");
        }
        if (cert != null) {
            builder.sslContext(PemTls.serverContext(cert, key, TLS_CERT.key(), TLS_KEY.key()));
        }
        try {
            return new Built(builder.build(), metrics, ice, blockingWork);
        } catch (IllegalArgumentException e) {
            blockingWork.shutdown();
            throw new InvalidConfigException("config", e.getMessage());
        }
    }

    private static Authenticator authenticator(ConfigLayers layers) {
        String secret = layers.value(JWT_SECRET);
        String jwks = layers.value(JWKS);
        if (secret != null && !secret.isEmpty() && jwks != null && !jwks.isEmpty()) {
            throw new InvalidConfigException(JWKS.key(), "set either " + JWT_SECRET.key() + " or " + JWKS.key() + ", not both");
        }
        JwtAuthenticator.Options options = new JwtAuthenticator.Options(
                layers.value(JWT_ISSUER), layers.value(JWT_AUDIENCE), JwtAuthenticator.DEFAULT_CLOCK_SKEW);
        if (secret != null && !secret.isEmpty()) {
            return JwtAuthenticator.hmac(secret.getBytes(StandardCharsets.UTF_8), options);
        }
        if (jwks != null && !jwks.isEmpty()) {
            try {
                return JwtAuthenticator.jwks(jwks, options);
            } catch (Exception e) {
                throw new InvalidConfigException(JWKS.key(), "cannot load " + jwks + ": " + e.getMessage());
            }
        }
        return null;
    }
}
