package dev.rendezvous.server;

import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.server.auth.Authenticator;
import dev.rendezvous.server.http.HttpEndpoint;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.hub.LocalHub;
import dev.rendezvous.server.peerjs.PeerJsConfig;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Every setting of a {@link SignalingServer}. Build with {@link #builder()}; unset values take the
 * defaults documented on each builder method.
 *
 * @param authenticator null: auth off
 * @param sslContext null: plain ws/http; otherwise TLS first in the pipeline (wss/https)
 * @param iceServers client id → {@code ice_servers} for its {@code your_id}
 * @param hubFactory builds the hub, given the observer (in-process by default)
 * @param httpEndpoints extra HTTP endpoints by exact path
 * @param ioThreads event loop threads; 0 = one per core ({@link Runtime#availableProcessors()})
 * @param peerJs the PeerJS server endpoint ({@link PeerJsConfig#DISABLED}: off)
 * @param adminToken turns the admin API and page on ({@code /admin/}), or null (off: 404)
 * @param resumeGrace how long a resumable session survives a lost connection (v1.1); zero turns resume off
 * @param maxConnectionsPerAddress open connections one client address may hold; 0 = unlimited
 * @param connectionRatePerSecond new connections per second one client address may open; 0 = unlimited
 * @param connectionBurst new connections one client address may open at once
 * @param trustedProxies addresses or CIDR ranges whose {@code X-Forwarded-For} names the client
 * @param unfinishedMessageTimeout how long a fragmented message may stay unfinished before the connection is closed
 */
public record ServerConfig(
        String host,
        int port,
        Duration pingInterval,
        Duration pingTimeout,
        Authenticator authenticator,
        Duration authTimeout,
        int maxMessageBytes,
        double rateLimitPerSecond,
        double rateLimitBurst,
        double rateLimitBytesPerSecond,
        int maxOutboundBytes,
        SslContext sslContext,
        Function<String, List<IceServer>> iceServers,
        HubObserver observer,
        Function<HubObserver, Hub> hubFactory,
        Map<String, HttpEndpoint> httpEndpoints,
        Duration shutdownTimeout,
        int ioThreads,
        boolean nativeTransport,
        PeerJsConfig peerJs,
        String adminToken,
        Duration resumeGrace,
        List<String> allowedOrigins,
        List<String> allowedHosts,
        int maxConnectionsPerAddress,
        double connectionRatePerSecond,
        double connectionBurst,
        List<String> trustedProxies,
        Duration unfinishedMessageTimeout) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8765;
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofMillis(30_000);
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofMillis(45_000);
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65_536;
    public static final double DEFAULT_RATE_LIMIT_PER_SECOND = 1_000;
    public static final double DEFAULT_RATE_LIMIT_BURST = 5_000;
    public static final int DEFAULT_MAX_OUTBOUND_BYTES = 1 << 20;
    /**
     * 4 MiB/s of inbound frames per connection: hundreds of SDPs a second and the project's own load and chaos
     * tests, yet far below what a healthy receiver reads; the burst cap (half the outbound bound) is what keeps
     * one sender from filling a receiver.
     */
    public static final double DEFAULT_RATE_LIMIT_BYTES_PER_SECOND = 4 << 20;

    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESUME_GRACE = Duration.ofSeconds(15);
    /**
     * 1 000 open connections per client address: a whole office behind one NAT, yet one attacker can hold only
     * this many sockets (and buffers) however it tries. Local load tests from one address name a higher one.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;
    /** 100 new connections a second per client address, in bursts of 1 000 (a NAT's reconnect storm after a restart). */
    public static final double DEFAULT_CONNECTION_RATE_PER_SECOND = 100;

    public static final double DEFAULT_CONNECTION_BURST = 1_000;
    /** A fragmented message must be finished within 10 s (pings cannot hold its buffer open for longer). */
    public static final Duration DEFAULT_UNFINISHED_MESSAGE_TIMEOUT = Duration.ofSeconds(10);

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (pingInterval.toMillis() <= 0 || pingTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("ping timeout (" + pingTimeout.toMillis()
                    + " ms) must be greater than the ping interval (" + pingInterval.toMillis() + " ms), both > 0");
        }
        if (authTimeout.toMillis() <= 0) {
            throw new IllegalArgumentException("auth timeout must be > 0");
        }
        if (maxMessageBytes < 64) {
            throw new IllegalArgumentException("max message bytes must be at least 64, got " + maxMessageBytes);
        }
        if (rateLimitPerSecond < 0 || (rateLimitPerSecond > 0 && rateLimitBurst < 1)) {
            throw new IllegalArgumentException("rate limit must be >= 0 with a burst >= 1");
        }
        if (rateLimitBytesPerSecond < 0) {
            throw new IllegalArgumentException("byte rate limit must be >= 0, got " + rateLimitBytesPerSecond);
        }
        if (maxOutboundBytes < 1024) {
            throw new IllegalArgumentException("max outbound bytes must be at least 1024, got " + maxOutboundBytes);
        }
        Objects.requireNonNull(iceServers, "iceServers");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(hubFactory, "hubFactory");
        httpEndpoints = Map.copyOf(httpEndpoints);
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHosts = List.copyOf(allowedHosts);
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(peerJs, "peerJs");
        if (adminToken != null && adminToken.length() < 16) {
            throw new IllegalArgumentException(
                    "the admin token must be at least 16 characters (it guards the admin API)");
        }
        Objects.requireNonNull(resumeGrace, "resumeGrace");
        if (resumeGrace.isNegative()) {
            throw new IllegalArgumentException("resume grace must be >= 0");
        }
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException(
                    "max connections per address must be >= 0, got " + maxConnectionsPerAddress);
        }
        if (connectionRatePerSecond < 0 || (connectionRatePerSecond > 0 && connectionBurst < 1)) {
            throw new IllegalArgumentException("connection rate must be >= 0 with a burst >= 1");
        }
        trustedProxies = List.copyOf(trustedProxies);
        trustedProxies.forEach(dev.rendezvous.server.net.AddressRange::parse); // a bad entry fails here, naming itself
        if (unfinishedMessageTimeout.toMillis() <= 0) {
            throw new IllegalArgumentException("unfinished message timeout must be > 0");
        }
    }

    /** Whether clients must present a token. */
    public boolean authEnabled() {
        return authenticator != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.pingInterval = pingInterval;
        b.pingTimeout = pingTimeout;
        b.authenticator = authenticator;
        b.authTimeout = authTimeout;
        b.maxMessageBytes = maxMessageBytes;
        b.rateLimitPerSecond = rateLimitPerSecond;
        b.rateLimitBurst = rateLimitBurst;
        b.rateLimitBytesPerSecond = rateLimitBytesPerSecond;
        b.maxOutboundBytes = maxOutboundBytes;
        b.sslContext = sslContext;
        b.iceServers = iceServers;
        b.resumeGrace = resumeGrace;
        b.observer = observer;
        b.hubFactory = hubFactory;
        b.httpEndpoints.putAll(httpEndpoints);
        b.shutdownTimeout = shutdownTimeout;
        b.ioThreads = ioThreads;
        b.nativeTransport = nativeTransport;
        b.peerJs = peerJs;
        b.adminToken = adminToken;
        b.allowedOrigins = allowedOrigins;
        b.allowedHosts = allowedHosts;
        b.maxConnectionsPerAddress = maxConnectionsPerAddress;
        b.connectionRatePerSecond = connectionRatePerSecond;
        b.connectionBurst = connectionBurst;
        b.trustedProxies = trustedProxies;
        b.unfinishedMessageTimeout = unfinishedMessageTimeout;
        return b;
    }

    /** Builds a {@link ServerConfig}; every setter documents its default. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration pingTimeout = DEFAULT_PING_TIMEOUT;
        private Duration resumeGrace = DEFAULT_RESUME_GRACE;
        private Authenticator authenticator;
        private Duration authTimeout = DEFAULT_AUTH_TIMEOUT;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private double rateLimitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
        private double rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
        private double rateLimitBytesPerSecond = DEFAULT_RATE_LIMIT_BYTES_PER_SECOND;
        private int maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;
        private SslContext sslContext;
        private Function<String, List<IceServer>> iceServers = id -> List.of();
        private HubObserver observer = HubObserver.NONE;
        private Function<HubObserver, Hub> hubFactory = LocalHub::new;
        private final Map<String, HttpEndpoint> httpEndpoints = new LinkedHashMap<>();
        private List<String> allowedOrigins = List.of();
        private List<String> allowedHosts = List.of();
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private int ioThreads;
        private boolean nativeTransport = true;
        private PeerJsConfig peerJs = PeerJsConfig.DEFAULT;
        private String adminToken;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private double connectionRatePerSecond = DEFAULT_CONNECTION_RATE_PER_SECOND;
        private double connectionBurst = DEFAULT_CONNECTION_BURST;
        private List<String> trustedProxies = List.of();
        private Duration unfinishedMessageTimeout = DEFAULT_UNFINISHED_MESSAGE_TIMEOUT;

        private Builder() {}

        /** Address to bind; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Port to bind, 0 for any free port; default 8765. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Server ping period; default 30 s. */
        public Builder pingInterval(Duration d) {
            this.pingInterval = d;
            return this;
        }

        /** Silence after which a client is closed with 4008; default 45 s; must exceed the interval. */
        public Builder pingTimeout(Duration d) {
            this.pingTimeout = d;
            return this;
        }

        /** Token verifier; default null (auth off). */
        public Builder authenticator(Authenticator a) {
            this.authenticator = a;
            return this;
        }

        /** Time a client has to send {@code auth_token}; default 10 s. */
        public Builder authTimeout(Duration d) {
            this.authTimeout = d;
            return this;
        }

        /** Largest accepted frame payload in bytes; default 65 536. */
        public Builder maxMessageBytes(int n) {
            this.maxMessageBytes = n;
            return this;
        }

        /** Inbound frames per second per connection, 0 = unlimited; default 1000, burst 5000. */
        public Builder rateLimit(double perSecond, double burst) {
            this.rateLimitPerSecond = perSecond;
            this.rateLimitBurst = burst;
            return this;
        }

        /**
         * Inbound payload bytes per second per connection, 0 = unlimited; default 4 MiB/s. The burst is twice
         * the rate but at most half of {@link #maxOutboundBytes} (one sender alone never fills a receiver's
         * bound), and at least one frame of {@link #maxMessageBytes}. Over it, a frame is refused like one over
         * the frame rate ({@code rate_limited}, then 4029 for the sender): a sender cannot fill its receivers'
         * outbound bounds and get them closed as slow consumers.
         */
        public Builder rateLimitBytes(double perSecond) {
            this.rateLimitBytesPerSecond = perSecond;
            return this;
        }

        /** Bytes queued for a client before it counts as not reading (closed 4029); default 1 MiB. */
        public Builder maxOutboundBytes(int n) {
            this.maxOutboundBytes = n;
            return this;
        }

        /** TLS for wss/https; default none. */
        public Builder sslContext(SslContext ssl) {
            this.sslContext = ssl;
            return this;
        }

        /** The {@code ice_servers} handed to each client id; default an empty list. */
        public Builder iceServers(Function<String, List<IceServer>> provider) {
            this.iceServers = provider;
            return this;
        }

        /** Metrics hook; default observes nothing. */
        public Builder observer(HubObserver o) {
            this.observer = o;
            return this;
        }

        /** Hub implementation; default {@link LocalHub}. */
        public Builder hubFactory(Function<HubObserver, Hub> factory) {
            this.hubFactory = factory;
            return this;
        }

        /** Adds an HTTP endpoint at an exact path (e.g. {@code /metrics}). */
        public Builder httpEndpoint(String path, HttpEndpoint endpoint) {
            this.httpEndpoints.put(path, endpoint);
            return this;
        }

        /** Bound on graceful shutdown; default 5 s. */
        public Builder shutdownTimeout(Duration d) {
            this.shutdownTimeout = d;
            return this;
        }

        /** Event loop threads; default 0: one per core ({@link Runtime#availableProcessors()}). */
        public Builder ioThreads(int n) {
            this.ioThreads = n;
            return this;
        }

        /**
         * Origins (exact, {@code https://*.example.com}, {@code *.example.com} or {@code *}) allowed besides the
         * defaults of {@link dev.rendezvous.server.http.OriginPolicy}; default none.
         */
        public Builder allowedOrigins(List<String> origins) {
            this.allowedOrigins = List.copyOf(origins);
            return this;
        }

        /** Host names the server answers to (DNS rebinding); default: loopback names on a loopback bind, else any. */
        public Builder allowedHosts(List<String> hosts) {
            this.allowedHosts = List.copyOf(hosts);
            return this;
        }

        /** How long a resumable session survives a lost connection (v1.1); default 15 s, zero turns resume off. */
        public Builder resumeGrace(Duration d) {
            this.resumeGrace = d;
            return this;
        }

        /** Use native epoll when available; default true. */
        public Builder nativeTransport(boolean enabled) {
            this.nativeTransport = enabled;
            return this;
        }

        /** The PeerJS server endpoint; default on, with peerjs-server's defaults ({@link PeerJsConfig#DEFAULT}). */
        public Builder peerJs(PeerJsConfig config) {
            this.peerJs = config;
            return this;
        }

        /** Changes the PeerJS endpoint's settings so far (one setting at a time, e.g. {@code p -> p.withKey("k")}). */
        public Builder peerJs(UnaryOperator<PeerJsConfig> change) {
            this.peerJs = change.apply(peerJs);
            return this;
        }

        /** Turns the admin API and page on, guarded by this bearer token; default unset (off). */
        public Builder adminToken(String token) {
            this.adminToken = token;
            return this;
        }

        /**
         * Open connections one client address may hold (IPv6: one /64), 0 = unlimited; default 1 000. Over it a new
         * connection is closed at once (or, from a trusted proxy, answered 429).
         */
        public Builder maxConnectionsPerAddress(int n) {
            this.maxConnectionsPerAddress = n;
            return this;
        }

        /** New connections per second one client address may open, 0 = unlimited; default 100/s in bursts of 1 000. */
        public Builder connectionRate(double perSecond, double burst) {
            this.connectionRatePerSecond = perSecond;
            this.connectionBurst = burst;
            return this;
        }

        /**
         * Proxies (addresses or CIDR ranges) whose {@code X-Forwarded-For} names the client: connections from them
         * are counted against the forwarded address, every other connection against its own; default none.
         */
        public Builder trustedProxies(List<String> proxies) {
            this.trustedProxies = List.copyOf(proxies);
            return this;
        }

        /** How long a fragmented message may stay unfinished (then close 1008); default 10 s. */
        public Builder unfinishedMessageTimeout(Duration d) {
            this.unfinishedMessageTimeout = d;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(
                    host,
                    port,
                    pingInterval,
                    pingTimeout,
                    authenticator,
                    authTimeout,
                    maxMessageBytes,
                    rateLimitPerSecond,
                    rateLimitBurst,
                    rateLimitBytesPerSecond,
                    maxOutboundBytes,
                    sslContext,
                    iceServers,
                    observer,
                    hubFactory,
                    httpEndpoints,
                    shutdownTimeout,
                    ioThreads,
                    nativeTransport,
                    peerJs,
                    adminToken,
                    resumeGrace,
                    allowedOrigins,
                    allowedHosts,
                    maxConnectionsPerAddress,
                    connectionRatePerSecond,
                    connectionBurst,
                    trustedProxies,
                    unfinishedMessageTimeout);
        }
    }
}
