package dev.rendezvous.cli;

import dev.rendezvous.cluster.redis.RedisHub;
import dev.rendezvous.cluster.redis.RedisHubConfig;
import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.admin.AdminToken;
import dev.rendezvous.server.auth.Authenticator;
import dev.rendezvous.server.auth.ClientIdBinding;
import dev.rendezvous.server.auth.JwtAuthenticator;
import dev.rendezvous.server.config.ConfigLayers;
import dev.rendezvous.server.config.InvalidConfigException;
import dev.rendezvous.server.config.PemTls;
import dev.rendezvous.server.config.Setting;
import dev.rendezvous.server.ice.IceConfig;
import dev.rendezvous.server.ice.IceServersEndpoint;
import dev.rendezvous.server.metrics.MetricsEndpoint;
import dev.rendezvous.server.metrics.ServerMetrics;
import dev.rendezvous.server.net.AddressRange;
import dev.rendezvous.server.peerjs.PeerJsConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The one place each setting of {@code rendezvous serve} is declared — YAML key, flag, environment
 * variable, default, help text — and how the resolved values become a {@link ServerConfig} (auth, ICE
 * servers with minted TURN credentials, {@code /api/ice-servers}, {@code /metrics}, TLS, the cluster hub).
 * The flags ({@link SettingOptions}), the YAML keys ({@link #keys()}), {@code --print-config} and the table
 * in docs/operations.md (held to this list by OperationsDocTest) all come from {@link #ALL}.
 *
 * <p>To add a setting: declare it below with {@link #declare}, in the order the docs should list it; a
 * setting that maps onto one {@link ServerConfig.Builder} method says so with {@code .into(...)} and needs
 * no other code; one that needs others or builds something is wired by hand in {@link #build}.
 *
 * <p>Longer than ~450 lines on purpose: most of it is the declaration list, one entry per setting, and
 * keeping every setting in one list is the point of the class (split, the docs order and the
 * one-source check would need a second list).
 */
final class ServeSettings {

    private static final List<Setting<?>> DECLARED = new ArrayList<>();

    /**
     * Every setting, in the order of declaration, which is the order of {@code --help},
     * {@code --print-config} and the docs. A view of the declarations, so it is complete whatever the order of
     * the fields below.
     */
    static final List<Setting<?>> ALL = Collections.unmodifiableList(DECLARED);

    static final Setting<String> HOST = declare(Setting.text(
                    "host",
                    "--host",
                    "RENDEZVOUS_HOST",
                    ServerConfig.DEFAULT_HOST,
                    "Address to bind (0.0.0.0 for all interfaces).")
            .label("ADDRESS")
            .into(ServerConfig.Builder::host));
    static final Setting<Integer> PORT = declare(Setting.integer(
                    "port",
                    "--port",
                    "RENDEZVOUS_PORT",
                    ServerConfig.DEFAULT_PORT,
                    0,
                    65_535,
                    "Port to bind, 0 for any free port (the printed URL shows the real one).")
            .into(ServerConfig.Builder::port));
    static final Setting<Integer> PING_INTERVAL_MS = declare(Setting.integer(
                    "keepalive.ping_interval_ms",
                    "--ping-interval-ms",
                    "RENDEZVOUS_PING_INTERVAL_MS",
                    millis(ServerConfig.DEFAULT_PING_INTERVAL),
                    1,
                    Integer.MAX_VALUE,
                    "Server ping period.")
            .into((b, ms) -> b.pingInterval(Duration.ofMillis(ms))));
    static final Setting<Integer> PING_TIMEOUT_MS = declare(Setting.integer(
                    "keepalive.ping_timeout_ms",
                    "--ping-timeout-ms",
                    "RENDEZVOUS_PING_TIMEOUT_MS",
                    millis(ServerConfig.DEFAULT_PING_TIMEOUT),
                    1,
                    Integer.MAX_VALUE,
                    "Silence before a client is closed with 4008; must exceed the ping interval.")
            .into((b, ms) -> b.pingTimeout(Duration.ofMillis(ms))));
    static final Setting<Duration> RESUME_GRACE = declare(Setting.duration(
                    "resume_grace",
                    "--resume-grace",
                    "RENDEZVOUS_RESUME_GRACE",
                    ServerConfig.DEFAULT_RESUME_GRACE,
                    Duration.ZERO,
                    "How long a resumable session (`resumable=1`) survives a connection lost without a close frame; `0` turns resume off.")
            .into(ServerConfig.Builder::resumeGrace));
    static final Setting<String> JWT_SECRET = declare(Setting.text(
                    "auth.jwt_secret",
                    "--jwt-secret",
                    "RENDEZVOUS_JWT_SECRET",
                    null,
                    "Turns auth on: HS256 tokens signed with this shared secret (at least 32 bytes).")
            .label("SECRET")
            .shownDefault("unset (auth off)")
            .masked());
    static final Setting<String> JWKS = declare(Setting.text(
                    "auth.jwks",
                    "--jwks",
                    "RENDEZVOUS_JWKS",
                    null,
                    "Turns auth on: RS256/ES256 tokens verified with this JWKS file or http(s) URL.")
            .label("FILE|URL")
            .shownDefault("unset (auth off)"));
    static final Setting<String> JWT_ISSUER = declare(
            Setting.text("auth.issuer", "--jwt-issuer", "RENDEZVOUS_JWT_ISSUER", null, "Required token issuer (`iss`).")
                    .label("ISSUER")
                    .shownDefault("unset (any)"));
    static final Setting<String> JWT_AUDIENCE = declare(Setting.text(
                    "auth.audience",
                    "--jwt-audience",
                    "RENDEZVOUS_JWT_AUDIENCE",
                    null,
                    "Required token audience (`aud`).")
            .label("AUDIENCE")
            .shownDefault("unset (any)"));
    static final Setting<Integer> AUTH_TIMEOUT_MS = declare(Setting.integer(
                    "auth.timeout_ms",
                    "--auth-timeout-ms",
                    "RENDEZVOUS_AUTH_TIMEOUT_MS",
                    millis(ServerConfig.DEFAULT_AUTH_TIMEOUT),
                    1,
                    Integer.MAX_VALUE,
                    "Time a client has to send `auth_token`.")
            .into((b, ms) -> b.authTimeout(Duration.ofMillis(ms))));
    static final Setting<String> CLIENT_ID_BINDING = declare(Setting.text(
                    "auth.client_id_binding",
                    "--client-id-binding",
                    "RENDEZVOUS_CLIENT_ID_BINDING",
                    ClientIdBinding.NONE.wireName(),
                    "Ids a token without a `client_id` claim may take: "
                            + "`none` (any free id) or `subject` (its `sub`, or `sub:anything`; no id asked for means `sub`). "
                            + "A `client_id` claim always binds the token to that id.")
            .label("none|subject"));
    static final Setting<Boolean> REQUIRE_EXP = declare(Setting.bool(
            "auth.require_exp",
            "--require-exp",
            "RENDEZVOUS_REQUIRE_EXP",
            false,
            "Refuse tokens without an expiry (`exp`): such a token is good forever."));
    static final Setting<Integer> MAX_MESSAGE_BYTES = declare(Setting.integer(
                    "limits.max_message_bytes",
                    "--max-message-bytes",
                    "RENDEZVOUS_MAX_MESSAGE_BYTES",
                    ServerConfig.DEFAULT_MAX_MESSAGE_BYTES,
                    64,
                    Integer.MAX_VALUE,
                    "Largest accepted frame payload; a larger one closes with 1009.")
            .into(ServerConfig.Builder::maxMessageBytes));
    static final Setting<Double> RATE_LIMIT = declare(Setting.decimal(
            "limits.rate_limit",
            "--rate-limit",
            "RENDEZVOUS_RATE_LIMIT",
            ServerConfig.DEFAULT_RATE_LIMIT_PER_SECOND,
            0,
            "Inbound frames per second per connection, 0 = unlimited."));
    static final Setting<Double> RATE_BURST = declare(Setting.decimal(
            "limits.rate_burst",
            "--rate-burst",
            "RENDEZVOUS_RATE_BURST",
            ServerConfig.DEFAULT_RATE_LIMIT_BURST,
            1,
            "Frames a connection may send at once."));
    static final Setting<Double> RATE_LIMIT_BYTES = declare(Setting.decimal(
                    "limits.rate_limit_bytes",
                    "--rate-limit-bytes",
                    "RENDEZVOUS_RATE_LIMIT_BYTES",
                    ServerConfig.DEFAULT_RATE_LIMIT_BYTES_PER_SECOND,
                    0,
                    "Inbound payload bytes per second per connection (burst: twice that, at most half of max-outbound-bytes, at least one largest frame), 0 = unlimited; "
                            + "over it the sender gets rate_limited, then 4029, never its receivers.")
            .into(ServerConfig.Builder::rateLimitBytes));
    static final Setting<Integer> MAX_OUTBOUND_BYTES = declare(Setting.integer(
                    "limits.max_outbound_bytes",
                    "--max-outbound-bytes",
                    "RENDEZVOUS_MAX_OUTBOUND_BYTES",
                    ServerConfig.DEFAULT_MAX_OUTBOUND_BYTES,
                    1024,
                    Integer.MAX_VALUE,
                    "Bytes queued for a client before it counts as not reading and is closed with 4029.")
            .into(ServerConfig.Builder::maxOutboundBytes));
    static final Setting<Integer> MAX_CONNECTIONS_PER_ADDRESS = declare(Setting.integer(
                    "limits.max_connections_per_address",
                    "--max-connections-per-address",
                    "RENDEZVOUS_MAX_CONNECTIONS_PER_ADDRESS",
                    ServerConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
                    0,
                    Integer.MAX_VALUE,
                    "Open connections one client address (IPv6: one /64) may hold, 0 = unlimited; a new one over it is "
                            + "closed unread (behind a trusted proxy: 429).")
            .into(ServerConfig.Builder::maxConnectionsPerAddress));
    static final Setting<Double> CONNECTION_RATE = declare(Setting.decimal(
            "limits.connection_rate",
            "--connection-rate",
            "RENDEZVOUS_CONNECTION_RATE",
            ServerConfig.DEFAULT_CONNECTION_RATE_PER_SECOND,
            0,
            "New connections per second one client address may open, 0 = unlimited; over it they are closed unread."));
    static final Setting<Double> CONNECTION_BURST = declare(Setting.decimal(
            "limits.connection_burst",
            "--connection-burst",
            "RENDEZVOUS_CONNECTION_BURST",
            ServerConfig.DEFAULT_CONNECTION_BURST,
            1,
            "New connections one client address may open at once (then `connection-rate` a second)."));
    static final Setting<Duration> UNFINISHED_MESSAGE_TIMEOUT = declare(Setting.duration(
                    "limits.unfinished_message_timeout",
                    "--unfinished-message-timeout",
                    "RENDEZVOUS_UNFINISHED_MESSAGE_TIMEOUT",
                    ServerConfig.DEFAULT_UNFINISHED_MESSAGE_TIMEOUT,
                    Duration.ofMillis(1),
                    "A fragmented WebSocket message must be finished this long after its first frame, else close 1008.")
            .into(ServerConfig.Builder::unfinishedMessageTimeout));
    static final Setting<List<String>> ALLOWED_ORIGINS = declare(Setting.list(
                    "http.allowed_origins",
                    "--allowed-origin",
                    "RENDEZVOUS_ALLOWED_ORIGINS",
                    "Browser origins allowed at the WebSocket upgrade and the HTTP API besides the server's own "
                            + "(and loopback pages while it listens on loopback): `https://app.example.com`, `https://*.example.com`, "
                            + "`*.example.com`, or `*`; others get 403. See docs/security.md.")
            .label("ORIGIN")
            .into(ServerConfig.Builder::allowedOrigins));
    static final Setting<List<String>> ALLOWED_HOSTS = declare(Setting.list(
                    "http.allowed_hosts",
                    "--allowed-host",
                    "RENDEZVOUS_ALLOWED_HOSTS",
                    "Host names the server answers to (against DNS rebinding); default: loopback names "
                            + "while it listens on loopback, else any. Others get 403.")
            .label("HOST")
            .into(ServerConfig.Builder::allowedHosts));
    static final Setting<List<String>> TRUSTED_PROXIES = declare(Setting.list(
                    "http.trusted_proxies",
                    "--trusted-proxy",
                    "RENDEZVOUS_TRUSTED_PROXIES",
                    "Proxies (IP addresses or CIDR ranges) whose `X-Forwarded-For` names the client for the "
                            + "per-address limits; from anyone else the header is ignored. See docs/security.md.")
            .label("CIDR")
            .into(ServerConfig.Builder::trustedProxies));
    static final Setting<Integer> SHUTDOWN_TIMEOUT_MS = declare(Setting.integer(
                    "shutdown_timeout_ms",
                    "--shutdown-timeout-ms",
                    "RENDEZVOUS_SHUTDOWN_TIMEOUT_MS",
                    millis(ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT),
                    0,
                    Integer.MAX_VALUE,
                    "Bound on graceful shutdown (sessions closed with 1001).")
            .into((b, ms) -> b.shutdownTimeout(Duration.ofMillis(ms))));
    static final Setting<Integer> IO_THREADS = declare(Setting.integer(
                    "io_threads",
                    "--io-threads",
                    "RENDEZVOUS_IO_THREADS",
                    0,
                    0,
                    1024,
                    "Event loop threads; 0 = one per core (the JVM's available processors).")
            .into(ServerConfig.Builder::ioThreads));
    static final Setting<List<String>> ICE_SERVERS = declare(Setting.list(
                    "ice.servers",
                    "--ice-server",
                    "RENDEZVOUS_ICE_SERVERS",
                    "STUN/TURN URLs handed to clients in `your_id` and `/api/ice-servers`.")
            .label("URL"));
    static final Setting<String> TURN_SECRET = declare(Setting.text(
                    "ice.turn_secret",
                    "--turn-secret",
                    "RENDEZVOUS_TURN_SECRET",
                    null,
                    "coturn's `static-auth-secret`: mints time-limited TURN credentials per client; required with any `turn:`/`turns:` URL.")
            .label("SECRET")
            .masked());
    static final Setting<Duration> TURN_TTL = declare(Setting.duration(
            "ice.turn_ttl",
            "--turn-ttl",
            "RENDEZVOUS_TURN_TTL",
            IceConfig.DEFAULT_TURN_TTL,
            Duration.ofSeconds(1),
            "Lifetime of each minted TURN credential."));
    static final Setting<Path> TLS_CERT = declare(Setting.path(
                    "tls.cert",
                    "--tls-cert",
                    "RENDEZVOUS_TLS_CERT",
                    "PEM certificate chain; with `tls.key`, serves https/wss on the same port.")
            .label("PEM")
            .shownDefault("unset (plain http/ws)"));
    static final Setting<Path> TLS_KEY =
            declare(Setting.path("tls.key", "--tls-key", "RENDEZVOUS_TLS_KEY", "PEM PKCS#8 private key of `tls.cert`.")
                    .label("PEM"));
    static final Setting<Boolean> METRICS = declare(Setting.bool(
            "metrics.enabled", "--metrics", "RENDEZVOUS_METRICS", true, "Serve Prometheus metrics at `/metrics`."));
    static final Setting<String> METRICS_TOKEN = declare(Setting.text(
                    "metrics.token",
                    "--metrics-token",
                    "RENDEZVOUS_METRICS_TOKEN",
                    null,
                    "`/metrics` only for scrapers that send `Authorization: Bearer` this token (at least "
                            + "16 characters); others get 401.")
            .label("SECRET")
            .shownDefault("unset (open, origin-checked)")
            .masked());
    static final Setting<String> ADMIN_TOKEN = declare(Setting.text(
                    "admin.token",
                    "--admin-token",
                    "RENDEZVOUS_ADMIN_TOKEN",
                    null,
                    "Turns the admin API and page (`/admin/`) on, for clients that send this bearer"
                            + " token (at least 16 characters); `rendezvous status` and `rooms` use it.")
            .label("SECRET")
            .shownDefault("unset (admin API off)")
            .masked());
    static final Setting<Boolean> PEERJS = declare(Setting.bool(
                    "peerjs.enabled",
                    "--peerjs",
                    "RENDEZVOUS_PEERJS",
                    true,
                    "Serve the PeerJS server protocol beside v1: unmodified PeerJS apps ([peerjs.md](peerjs.md)).")
            .into(peerJs("peerjs.enabled", PeerJsConfig::withEnabled)));
    static final Setting<String> PEERJS_PATH = declare(Setting.text(
                    "peerjs.path",
                    "--peerjs-path",
                    "RENDEZVOUS_PEERJS_PATH",
                    PeerJsConfig.DEFAULT_PATH,
                    "The PeerJS client's `path`: HTTP at `{path}{key}/id`, the WebSocket at `{path}peerjs`.")
            .label("PATH")
            .into(peerJs("peerjs.path", PeerJsConfig::withPath)));
    static final Setting<String> PEERJS_KEY = declare(Setting.text(
                    "peerjs.key",
                    "--peerjs-key",
                    "RENDEZVOUS_PEERJS_KEY",
                    PeerJsConfig.DEFAULT_KEY,
                    "The PeerJS client's `key` (auth off; with JWT auth on, the key is the token).")
            .label("KEY")
            .into(peerJs("peerjs.key", PeerJsConfig::withKey)));
    static final Setting<Boolean> PEERJS_ALLOW_DISCOVERY = declare(Setting.bool(
                    "peerjs.allow_discovery",
                    "--peerjs-allow-discovery",
                    "RENDEZVOUS_PEERJS_ALLOW_DISCOVERY",
                    false,
                    "`GET {path}{key}/peers` lists the connected PeerJS ids (401 otherwise).")
            .into(peerJs("peerjs.allow_discovery", PeerJsConfig::withAllowDiscovery)));
    static final Setting<Duration> PEERJS_EXPIRE_TIMEOUT = declare(Setting.duration(
                    "peerjs.expire_timeout",
                    "--peerjs-expire-timeout",
                    "RENDEZVOUS_PEERJS_EXPIRE_TIMEOUT",
                    PeerJsConfig.DEFAULT_EXPIRE_TIMEOUT,
                    Duration.ofMillis(1),
                    "Messages for a PeerJS id that is not connected wait this long, then the sender gets `EXPIRE`.")
            .into(peerJs("peerjs.expire_timeout", PeerJsConfig::withExpireTimeout)));
    static final Setting<Duration> PEERJS_ALIVE_TIMEOUT = declare(Setting.duration(
                    "peerjs.alive_timeout",
                    "--peerjs-alive-timeout",
                    "RENDEZVOUS_PEERJS_ALIVE_TIMEOUT",
                    PeerJsConfig.DEFAULT_ALIVE_TIMEOUT,
                    Duration.ofMillis(1),
                    "A PeerJS client without `HEARTBEAT` this long is closed (4008).")
            .into(peerJs("peerjs.alive_timeout", PeerJsConfig::withAliveTimeout)));
    static final Setting<Integer> PEERJS_CONCURRENT_LIMIT = declare(Setting.integer(
                    "peerjs.concurrent_limit",
                    "--peerjs-concurrent-limit",
                    "RENDEZVOUS_PEERJS_CONCURRENT_LIMIT",
                    PeerJsConfig.DEFAULT_CONCURRENT_LIMIT,
                    1,
                    Integer.MAX_VALUE,
                    "Most PeerJS clients on this server at once.")
            .into(peerJs("peerjs.concurrent_limit", PeerJsConfig::withConcurrentLimit)));
    static final Setting<String> REDIS = declare(Setting.text(
                    "cluster.redis",
                    "--redis",
                    "RENDEZVOUS_REDIS",
                    null,
                    "Joins the cluster of every node on this Redis (`redis://host:port`); the URI may hold a password.")
            .label("URI")
            .shownDefault("unset (one node, in-process)")
            .masked());
    static final Setting<String> NODE_ID = declare(Setting.text(
                    "cluster.node_id",
                    "--node-id",
                    "RENDEZVOUS_NODE_ID",
                    null,
                    "This node's id in the cluster: 1–64 characters of `[A-Za-z0-9._-]`, unique per running node.")
            .label("ID")
            .shownDefault("random (`node-xxxxxxxx`)"));
    static final Setting<Integer> NODE_TTL_MS = declare(Setting.integer(
            "cluster.node_ttl_ms",
            "--node-ttl-ms",
            "RENDEZVOUS_NODE_TTL_MS",
            millis(RedisHubConfig.DEFAULT_NODE_TTL),
            1,
            Integer.MAX_VALUE,
            "A node silent this long counts as dead: the others then announce its clients' departures (within about"
                    + " 4/3 of it). Heartbeat every third."));

    private static <T> Setting<T> declare(Setting<T> setting) {
        DECLARED.add(setting);
        return setting;
    }

    /** Applies one PeerJS setting; a value the endpoint refuses fails naming {@code key}. */
    private static <T> BiConsumer<ServerConfig.Builder, T> peerJs(
            String key, BiFunction<PeerJsConfig, T, PeerJsConfig> with) {
        return (builder, value) -> {
            try {
                builder.peerJs(p -> with.apply(p, value));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(key, e.getMessage());
            }
        };
    }

    private static int millis(Duration d) {
        return Math.toIntExact(d.toMillis());
    }

    /** Every YAML key, for the config file reader's "unknown setting (did you mean …?)". */
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
        ALL.forEach(layers::value); // every value given is read, also one this configuration does not use
        ServerConfig.Builder builder = ServerConfig.builder();
        ALL.forEach(setting -> setting.applyTo(builder, layers));
        int pingInterval = layers.value(PING_INTERVAL_MS);
        int pingTimeout = layers.value(PING_TIMEOUT_MS);
        if (pingTimeout <= pingInterval) {
            throw new InvalidConfigException(
                    PING_TIMEOUT_MS.key(),
                    pingTimeout + " must be greater than " + PING_INTERVAL_MS.key() + " (" + pingInterval + ")");
        }
        token(layers, ADMIN_TOKEN, " (it is all that guards the admin API)").ifPresent(builder::adminToken);
        layers.value(TRUSTED_PROXIES).forEach(proxy -> check(TRUSTED_PROXIES, () -> AddressRange.parse(proxy)));
        Authenticator authenticator = authenticator(layers);
        cluster(layers).ifPresent(c -> builder.hubFactory(RedisHub.factory(c)));
        IceConfig ice;
        try {
            ice = IceConfig.of(
                    layers.value(ICE_SERVERS),
                    Optional.ofNullable(layers.value(TURN_SECRET)),
                    layers.value(TURN_TTL),
                    clock);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().contains("TURN secret") ? TURN_SECRET.key() : ICE_SERVERS.key();
            throw new InvalidConfigException(key, e.getMessage());
        }
        // Token checks against a JWKS URL and metric rendering may take a while: never on an event loop.
        ExecutorService blockingWork = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("rendezvous-http-", 0).factory());
        builder.authenticator(authenticator)
                .rateLimit(layers.value(RATE_LIMIT), layers.value(RATE_BURST))
                .connectionRate(layers.value(CONNECTION_RATE), layers.value(CONNECTION_BURST))
                .iceServers(ice.source())
                .httpEndpoint(IceServersEndpoint.PATH, new IceServersEndpoint(ice, authenticator, blockingWork));
        Optional<ServerMetrics> metrics = Optional.empty();
        if (layers.value(METRICS)) {
            ServerMetrics m = new ServerMetrics();
            AdminToken scrapers =
                    token(layers, METRICS_TOKEN, "").map(AdminToken::new).orElse(null);
            builder.observer(m).httpEndpoint(MetricsEndpoint.PATH, new MetricsEndpoint(m, blockingWork, scrapers));
            metrics = Optional.of(m);
        }
        Path cert = layers.value(TLS_CERT);
        Path key = layers.value(TLS_KEY);
        if ((cert == null) != (key == null)) {
            String missing = cert == null ? TLS_CERT.key() : TLS_KEY.key();
            throw new InvalidConfigException(
                    missing,
                    "is required when " + (cert == null ? TLS_KEY.key() : TLS_CERT.key())
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

    /**
     * A bearer token setting's value (admin, metrics), stripped, when set; one shorter than 16 characters is
     * refused naming its key, the message completed by {@code why} (e.g. what the token alone guards).
     */
    private static Optional<String> token(ConfigLayers layers, Setting<String> setting, String why) {
        String token = layers.value(setting);
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        if (token.strip().length() < 16) {
            throw new InvalidConfigException(
                    setting.key(), "must be at least 16 characters" + why + ": e.g. openssl rand -hex 24");
        }
        return Optional.of(token.strip());
    }

    /** The cluster to join when {@code cluster.redis} is set; each problem names its own key. */
    private static Optional<RedisHubConfig> cluster(ConfigLayers layers) {
        String redis = layers.value(REDIS);
        if (redis == null || redis.isBlank()) {
            return Optional.empty();
        }
        RedisHubConfig cluster = check(REDIS, () -> RedisHubConfig.of(redis.strip()));
        String nodeId = layers.value(NODE_ID);
        if (nodeId != null && !nodeId.isBlank()) {
            RedisHubConfig withoutId = cluster;
            cluster = check(NODE_ID, () -> withoutId.withNodeId(nodeId.strip()));
        }
        RedisHubConfig withoutTtl = cluster;
        return Optional.of(
                check(NODE_TTL_MS, () -> withoutTtl.withNodeTtl(Duration.ofMillis(layers.value(NODE_TTL_MS)))));
    }

    private static <T> T check(Setting<?> setting, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(setting.key(), e.getMessage());
        }
    }

    private static Authenticator authenticator(ConfigLayers layers) {
        String secret = layers.value(JWT_SECRET);
        String jwks = layers.value(JWKS);
        if (secret != null && !secret.isEmpty() && jwks != null && !jwks.isEmpty()) {
            throw new InvalidConfigException(
                    JWKS.key(), "set either " + JWT_SECRET.key() + " or " + JWKS.key() + ", not both");
        }
        ClientIdBinding binding =
                check(CLIENT_ID_BINDING, () -> ClientIdBinding.parse(layers.value(CLIENT_ID_BINDING)));
        JwtAuthenticator.Options options = new JwtAuthenticator.Options(
                layers.value(JWT_ISSUER),
                layers.value(JWT_AUDIENCE),
                JwtAuthenticator.DEFAULT_CLOCK_SKEW,
                binding,
                layers.value(REQUIRE_EXP));
        if (secret != null && !secret.isEmpty()) {
            byte[] key = secret.getBytes(StandardCharsets.UTF_8);
            if (key.length < JwtAuthenticator.MIN_SECRET_BYTES) {
                // The same floor as `rendezvous token`: HS256 needs a key as long as its hash, and a server
                // must not accept a secret its own tool refuses.
                throw new InvalidConfigException(
                        JWT_SECRET.key(),
                        "must be at least " + JwtAuthenticator.MIN_SECRET_BYTES + " bytes for HS256 (got " + key.length
                                + "): e.g. openssl rand -hex 32");
            }
            return JwtAuthenticator.hmac(key, options);
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
