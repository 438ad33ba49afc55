package dev.rendezvous.cli;

import ch.qos.logback.classic.LoggerContext;
import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.SignalingServer;
import dev.rendezvous.server.auth.Authenticator;
import dev.rendezvous.server.auth.JwtAuthenticator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rendezvous serve}: runs the signaling server until SIGTERM or Ctrl-C, then shuts it down
 * gracefully (every session closed with 1001, bounded by {@code --shutdown-timeout-ms}). Every flag can
 * also be set with the environment variable {@code RENDEZVOUS_<FLAG>} (e.g. {@code RENDEZVOUS_PORT}).
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the signaling server (WebSocket lobby at /ws and /, rooms at /ws/{room}, /healthz, web client at /).",
            "Every option can also be set as an environment variable RENDEZVOUS_<OPTION>, e.g. RENDEZVOUS_PORT=9000."
        })
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:RENDEZVOUS_HOST:-127.0.0.1}", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:RENDEZVOUS_PORT:-8765}", description = "Port to bind, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--ping-interval-ms", defaultValue = "${env:RENDEZVOUS_PING_INTERVAL_MS:-30000}", description = "Server ping period (default: ${DEFAULT-VALUE}).")
    long pingIntervalMs;

    @Option(names = "--ping-timeout-ms", defaultValue = "${env:RENDEZVOUS_PING_TIMEOUT_MS:-45000}", description = "Silence before a client is closed with 4008; must exceed the interval (default: ${DEFAULT-VALUE}).")
    long pingTimeoutMs;

    @Option(names = "--jwt-secret", defaultValue = "${env:RENDEZVOUS_JWT_SECRET}", description = "Turns auth on: HS256 tokens signed with this shared secret.")
    String jwtSecret;

    @Option(names = "--jwks", defaultValue = "${env:RENDEZVOUS_JWKS}", description = "Turns auth on: RS256/ES256 tokens verified with this JWKS file or http(s) URL.")
    String jwks;

    @Option(names = "--jwt-issuer", defaultValue = "${env:RENDEZVOUS_JWT_ISSUER}", description = "Required token issuer (iss), if set.")
    String jwtIssuer;

    @Option(names = "--jwt-audience", defaultValue = "${env:RENDEZVOUS_JWT_AUDIENCE}", description = "Required token audience (aud), if set.")
    String jwtAudience;

    @Option(names = "--auth-timeout-ms", defaultValue = "${env:RENDEZVOUS_AUTH_TIMEOUT_MS:-10000}", description = "Time a client has to send auth_token (default: ${DEFAULT-VALUE}).")
    long authTimeoutMs;

    @Option(names = "--max-message-bytes", defaultValue = "${env:RENDEZVOUS_MAX_MESSAGE_BYTES:-65536}", description = "Largest accepted frame (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--rate-limit", defaultValue = "${env:RENDEZVOUS_RATE_LIMIT:-1000}", description = "Inbound frames per second per connection, 0 = unlimited (default: ${DEFAULT-VALUE}).")
    double rateLimit;

    @Option(names = "--rate-burst", defaultValue = "${env:RENDEZVOUS_RATE_BURST:-2000}", description = "Frames a connection may send at once (default: ${DEFAULT-VALUE}).")
    double rateBurst;

    @Option(names = "--max-outbound-bytes", defaultValue = "${env:RENDEZVOUS_MAX_OUTBOUND_BYTES:-1048576}", description = "Bytes queued for a client before it counts as not reading and is closed with 4029 (default: ${DEFAULT-VALUE}).")
    int maxOutboundBytes;

    @Option(names = "--shutdown-timeout-ms", defaultValue = "${env:RENDEZVOUS_SHUTDOWN_TIMEOUT_MS:-5000}", description = "Bound on graceful shutdown (default: ${DEFAULT-VALUE}).")
    long shutdownTimeoutMs;

    @Option(names = "--io-threads", defaultValue = "${env:RENDEZVOUS_IO_THREADS:-0}", description = "Event loop threads, 0 = one per core (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        try {
            config = ServerConfig.builder()
                    .host(host)
                    .port(port)
                    .pingInterval(Duration.ofMillis(pingIntervalMs))
                    .pingTimeout(Duration.ofMillis(pingTimeoutMs))
                    .authenticator(authenticator())
                    .authTimeout(Duration.ofMillis(authTimeoutMs))
                    .maxMessageBytes(maxMessageBytes)
                    .rateLimit(rateLimit, rateBurst)
                    .maxOutboundBytes(maxOutboundBytes)
                    .shutdownTimeout(Duration.ofMillis(shutdownTimeoutMs))
                    .ioThreads(ioThreads)
                    .build();
            config = cluster.applyTo(config);
        } catch (IllegalArgumentException e) {
            System.err.println("rendezvous serve: " + e.getMessage());
            return 2;
        }
        SignalingServer server;
        try {
            server = SignalingServer.start(config);
        } catch (IllegalStateException e) { // e.g. Redis cannot be reached
            System.err.println("rendezvous serve: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
                logback.stop(); // flush the async appender before the JVM halts
            }
        }, "rendezvous-shutdown"));
        System.out.println("Rendezvous listening on " + server.lobbyUri() + " (" + server.httpUri() + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private Authenticator authenticator() throws Exception {
        if (jwtSecret != null && jwks != null) {
            throw new IllegalArgumentException("use either --jwt-secret or --jwks, not both");
        }
        JwtAuthenticator.Options options = new JwtAuthenticator.Options(jwtIssuer, jwtAudience, JwtAuthenticator.DEFAULT_CLOCK_SKEW);
        if (jwtSecret != null && !jwtSecret.isEmpty()) {
            return JwtAuthenticator.hmac(jwtSecret.getBytes(StandardCharsets.UTF_8), options);
        }
        if (jwks != null && !jwks.isEmpty()) {
            return JwtAuthenticator.jwks(jwks, options);
        }
        return null;
    }
}
