package dev.rendezvous.server;

import dev.rendezvous.server.admin.AdminApi;
import dev.rendezvous.server.admin.AdminToken;
import dev.rendezvous.server.admin.LocalNode;
import dev.rendezvous.server.admin.NodeInfo;
import dev.rendezvous.server.admin.SessionSnapshot;
import dev.rendezvous.server.http.HttpEndpoint;
import dev.rendezvous.server.http.HttpSite;
import dev.rendezvous.server.http.OriginPolicy;
import dev.rendezvous.server.http.StaticFiles;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.net.AddressGate;
import dev.rendezvous.server.net.AddressRange;
import dev.rendezvous.server.peerjs.PeerJsEndpoint;
import dev.rendezvous.server.session.ConnectionSettings;
import dev.rendezvous.server.session.ResumeDirectory;
import dev.rendezvous.server.session.ResumeOwner;
import dev.rendezvous.server.transport.ServerInitializer;
import dev.rendezvous.server.transport.WebSocketLimits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running signaling server: WebSocket lobby ({@code /ws}, {@code /}) and rooms ({@code /ws/{room}}),
 * {@code GET /healthz} and the web client, all on one port.
 *
 * <pre>{@code
 * try (SignalingServer server = SignalingServer.start(ServerConfig.builder().port(0).build())) {
 *     URI lobby = server.lobbyUri();
 * }
 * }</pre>
 *
 * {@link #close()} is graceful: it stops accepting, closes every session with 1001, and returns within
 * the configured shutdown timeout (plus a moment for the event loops to stop).
 */
public final class SignalingServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);

    private final ServerConfig config;
    private final Hub hub;
    private final EventLoopGroup group;
    private final ExecutorService authExecutor;
    private final Channel serverChannel;
    private final ChannelGroup sessions = new DefaultChannelGroup("sessions", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long startedNanos = System.nanoTime();
    private final long startedMillis = System.currentTimeMillis();
    private final boolean nativeTransport;
    private final ResumeDirectory resumes = new ResumeDirectory();
    /** This node's sessions resumed by clients on other nodes of a cluster (v1.1). */
    private final ResumeOwner resumeOwner;
    /** Null when the PeerJS endpoint is off. */
    private final PeerJsEndpoint peerJs;

    private SignalingServer(ServerConfig config) throws InterruptedException {
        this.config = config;
        this.hub = config.hubFactory().apply(config.observer());
        this.nativeTransport = config.nativeTransport() && Epoll.isAvailable();
        IoHandlerFactory io = nativeTransport ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        int threads = config.ioThreads() > 0
                ? config.ioThreads()
                : Runtime.getRuntime().availableProcessors();
        this.group = new MultiThreadIoEventLoopGroup(threads, io);
        this.authExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("rendezvous-auth-", 0).factory());
        ConnectionSettings settings = new ConnectionSettings(
                hub,
                config.observer(),
                config.pingInterval(),
                config.pingTimeout(),
                config.authenticator(),
                config.authTimeout(),
                authExecutor,
                config.iceServers(),
                config.rateLimitPerSecond(),
                config.rateLimitBurst(),
                config.rateLimitBytesPerSecond(),
                // A sender's burst is at most half a receiver's outbound bound: alone it can never fill it.
                Math.max(
                        Math.min(2 * config.rateLimitBytesPerSecond(), config.maxOutboundBytes() / 2.0),
                        config.maxMessageBytes()),
                config.resumeGrace(),
                resumes);
        this.resumeOwner = new ResumeOwner(settings, group);
        hub.serveResumes(resumeOwner);
        this.peerJs = !config.peerJs().enabled() ? null : new PeerJsEndpoint(config.peerJs(), group, settings);
        HttpSite site = new HttpSite(
                new StaticFiles("web", SignalingServer.class.getClassLoader()),
                endpoints(config),
                this::healthJson,
                new OriginPolicy(
                        config.allowedOrigins(),
                        config.allowedHosts(),
                        isLoopback(config.host()),
                        config.sslContext() != null));
        ServerInitializer initializer = new ServerInitializer(
                settings,
                peerJs,
                new WebSocketLimits(config.maxMessageBytes(), config.unfinishedMessageTimeout()),
                config.sslContext(),
                site,
                this::opened,
                addressGate(config, group));
        Class<? extends ServerChannel> channelType =
                nativeTransport ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.maxOutboundBytes() / 2, config.maxOutboundBytes()))
                .childHandler(initializer);
        try {
            ChannelFuture bound = bootstrap.bind(config.host(), config.port()).await();
            if (!bound.isSuccess()) {
                throw new BindFailedException(config.host(), config.port(), bound.cause());
            }
            this.serverChannel = bound.channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            authExecutor.shutdownNow();
            hub.close();
            throw e;
        }
    }

    /**
     * The per-address limits, or null when none is on; its idle entries are swept every 10 s on one event loop
     * (the sweep stops with the group).
     */
    private static AddressGate addressGate(ServerConfig config, EventLoopGroup group) {
        AddressGate.Limits limits = new AddressGate.Limits(
                config.maxConnectionsPerAddress(),
                config.connectionRatePerSecond(),
                config.connectionBurst(),
                config.trustedProxies().stream().map(AddressRange::parse).toList());
        if (!limits.any() && limits.trustedProxies().isEmpty()) {
            return null; // nothing to count, and no forwarded address to believe (for the logs)
        }
        AddressGate gate = new AddressGate(limits, System::nanoTime);
        group.next().scheduleAtFixedRate(gate::sweep, 10, 10, TimeUnit.SECONDS);
        return gate;
    }

    /** The configured HTTP endpoints, plus the admin API's when an admin token is set. */
    private Map<String, HttpEndpoint> endpoints(ServerConfig config) {
        if (config.adminToken() == null) {
            return config.httpEndpoints();
        }
        AdminApi admin = new AdminApi(
                new AdminToken(config.adminToken()),
                new LocalNode(this::nodeInfo, this::sessionSnapshots),
                hub,
                SignalingServer.class.getClassLoader());
        hub.publishView(admin::localView);
        Map<String, HttpEndpoint> all = new LinkedHashMap<>(config.httpEndpoints());
        all.putAll(admin.endpoints());
        return all;
    }

    private NodeInfo nodeInfo() {
        String id = hub.backplane().map(Hub.Backplane::node).orElse("local");
        String address = serverChannel == null ? "" : httpUri().toString();
        return new NodeInfo(id, address, startedMillis, connections.get());
    }

    /** Every session of this node, each read on its own event loop. */
    private CompletionStage<List<SessionSnapshot>> sessionSnapshots() {
        List<CompletableFuture<SessionSnapshot>> parts = new ArrayList<>();
        for (Channel ch : sessions) {
            parts.add(ServerInitializer.snapshot(ch));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(done -> parts.stream()
                        .map(CompletableFuture::join)
                        .filter(Objects::nonNull)
                        .toList());
    }

    /** Binds and starts serving; throws if the address cannot be bound. */
    public static SignalingServer start(ServerConfig config) throws InterruptedException {
        SignalingServer server = new SignalingServer(config);
        log.info(
                "listening on {} (transport {}, auth {})",
                server.httpUri(),
                server.nativeTransport ? "epoll" : "nio",
                config.authEnabled() ? "on" : "off");
        return server;
    }

    private void opened(Channel channel) {
        connections.incrementAndGet();
        sessions.add(channel);
        channel.closeFuture().addListener(f -> connections.decrementAndGet());
        if (closed.get()) {
            ServerInitializer.requestShutdown(channel); // upgraded while shutting down
        }
    }

    /** {@code ws://host:port{peerjs-path}peerjs}: the PeerJS WebSocket (query parameters not included). */
    public URI peerJsUri() {
        return lobbyUri().resolve(config.peerJs().socketPath());
    }

    public ServerConfig config() {
        return config;
    }

    public Hub hub() {
        return hub;
    }

    /** The bound address (with the real port when configured with port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** Open WebSocket connections. */
    public int connections() {
        return connections.get();
    }

    /** Whether the native epoll transport is in use. */
    public boolean nativeTransport() {
        return nativeTransport;
    }

    /** {@code ws://host:port/} (wss with TLS): the lobby. */
    public URI lobbyUri() {
        return URI.create((config.sslContext() != null ? "wss" : "ws") + "://" + hostForUri() + ":" + port() + "/");
    }

    /** {@code ws://host:port/ws/{room}}. */
    public URI roomUri(String room) {
        return lobbyUri().resolve("/ws/" + room);
    }

    /** {@code http://host:port/} (https with TLS). */
    public URI httpUri() {
        return URI.create((config.sslContext() != null ? "https" : "http") + "://" + hostForUri() + ":" + port() + "/");
    }

    private String hostForUri() {
        String h = address().getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /** The body of {@code GET /healthz}. */
    public String healthJson() {
        Hub.HubState s = hub.state();
        double uptime = (System.nanoTime() - startedNanos) / 1e9;
        String backplane = hub.backplane()
                .map(b -> String.format(
                        Locale.ROOT,
                        ",\"backplane\":{\"kind\":\"%s\",\"state\":\"%s\",\"node\":\"%s\"}",
                        b.kind(),
                        b.up() ? "up" : "down",
                        b.node()))
                .orElse("");
        return String.format(
                Locale.ROOT,
                "{\"status\":\"%s\",\"uptime\":%.3f,\"connections\":%d,\"sessions\":%d,\"pairs\":%d,\"rooms\":%d,\"transport\":\"%s\"%s}",
                closed.get() ? "stopping" : "ok",
                uptime,
                connections.get(),
                s.sessions(),
                s.pairs(),
                s.rooms(),
                nativeTransport ? "epoll" : "nio",
                backplane);
    }

    /**
     * Graceful stop: stop accepting, close every session with 1001, wait for them within the shutdown
     * timeout, then stop the event loops. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        log.info("shutting down: closing {} connections", connections.get());
        serverChannel.close().awaitUninterruptibly(remainingMillis(deadline));
        hub.goingAway(); // before the first close: no session being closed is told that its peer left
        if (peerJs != null) {
            peerJs.goingAway();
        }
        resumes.shutdown(); // detached sessions have no connection to close: they depart here
        resumeOwner.shutdown(); // sessions carried for clients on other nodes close 1001 there, as sockets do here
        for (Channel ch : sessions) {
            ServerInitializer.requestShutdown(ch);
        }
        for (Channel ch : sessions) {
            if (!ch.closeFuture().awaitUninterruptibly(remainingMillis(deadline))) {
                break;
            }
        }
        group.shutdownGracefully(0, Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(remainingMillis(deadline) + 1_000);
        authExecutor.shutdownNow();
        hub.close(); // after every session departed: a backplane publishes those departures first
        log.info("stopped");
    }

    /** Whether {@code host} (the bind address) is a loopback address; an unresolvable name counts as not. */
    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Resumable sessions held now, attached or detached (v1.1; tests and leak checks). */
    public int resumableSessions() {
        return resumes.size();
    }

    /** Resumable sessions detached now, within their resume grace (v1.1). */
    public int detachedSessions() {
        return resumes.detached();
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
