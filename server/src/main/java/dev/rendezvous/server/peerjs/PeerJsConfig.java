package dev.rendezvous.server.peerjs;

import java.time.Duration;
import java.util.Objects;

/**
 * The PeerJS endpoint's settings; defaults are peerjs-server 1.0.x's.
 *
 * @param enabled whether the endpoint is served at all
 * @param path the mount path, starting and ending with {@code /}: HTTP at {@code {path}{key}/id}, the
 *     WebSocket at {@code {path}peerjs}
 * @param key the API key clients must present (auth off); with JWT auth on, the key is the token
 * @param allowDiscovery whether {@code GET {path}{key}/peers} lists the connected ids (401 otherwise)
 * @param expireTimeout how long messages for an id that is not connected wait before the sender gets
 *     {@code EXPIRE}
 * @param aliveTimeout silence (no {@code HEARTBEAT}) after which a client is closed
 * @param concurrentLimit most PeerJS clients connected at once
 * @param maxQueuedPerPeer most messages waiting for one id that is not connected (ours; more are
 *     answered with {@code EXPIRE} at once)
 */
public record PeerJsConfig(
        boolean enabled,
        String path,
        String key,
        boolean allowDiscovery,
        Duration expireTimeout,
        Duration aliveTimeout,
        int concurrentLimit,
        int maxQueuedPerPeer) {

    /**
     * The hub scope of PeerJS sessions: not a valid v1 room name, so no v1 client can join, address or pair
     * with a PeerJS client, while each id stays taken for both kinds. Observers see it as the session's room.
     */
    public static final String HUB_SCOPE = "peerjs:";

    public static final String DEFAULT_PATH = "/";
    public static final String DEFAULT_KEY = "peerjs";
    public static final Duration DEFAULT_EXPIRE_TIMEOUT = Duration.ofMillis(5_000);
    public static final Duration DEFAULT_ALIVE_TIMEOUT = Duration.ofMillis(90_000);
    public static final int DEFAULT_CONCURRENT_LIMIT = 5_000;
    public static final int DEFAULT_MAX_QUEUED_PER_PEER = 256;

    /** The defaults, endpoint on. */
    public static final PeerJsConfig DEFAULT = new PeerJsConfig(
            true,
            DEFAULT_PATH,
            DEFAULT_KEY,
            false,
            DEFAULT_EXPIRE_TIMEOUT,
            DEFAULT_ALIVE_TIMEOUT,
            DEFAULT_CONCURRENT_LIMIT,
            DEFAULT_MAX_QUEUED_PER_PEER);

    /** The endpoint off. */
    public static final PeerJsConfig DISABLED = DEFAULT.withEnabled(false);

    public PeerJsConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(key, "key");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("peerjs path must start with /, got " + path);
        }
        if (!path.endsWith("/")) {
            path = path + "/"; // as peerjs-server joins it
        }
        if (key.isEmpty() || key.indexOf('/') >= 0) {
            throw new IllegalArgumentException("peerjs key must be non-empty without /");
        }
        if (expireTimeout.toMillis() <= 0 || aliveTimeout.toMillis() <= 0) {
            throw new IllegalArgumentException("peerjs expire and alive timeouts must be > 0");
        }
        if (concurrentLimit < 1 || maxQueuedPerPeer < 1) {
            throw new IllegalArgumentException("peerjs concurrent limit and queue bound must be >= 1");
        }
    }

    public PeerJsConfig withEnabled(boolean on) {
        return new PeerJsConfig(
                on, path, key, allowDiscovery, expireTimeout, aliveTimeout, concurrentLimit, maxQueuedPerPeer);
    }

    public PeerJsConfig withPath(String p) {
        return new PeerJsConfig(
                enabled, p, key, allowDiscovery, expireTimeout, aliveTimeout, concurrentLimit, maxQueuedPerPeer);
    }

    public PeerJsConfig withKey(String k) {
        return new PeerJsConfig(
                enabled, path, k, allowDiscovery, expireTimeout, aliveTimeout, concurrentLimit, maxQueuedPerPeer);
    }

    public PeerJsConfig withAllowDiscovery(boolean allow) {
        return new PeerJsConfig(
                enabled, path, key, allow, expireTimeout, aliveTimeout, concurrentLimit, maxQueuedPerPeer);
    }

    public PeerJsConfig withExpireTimeout(Duration d) {
        return new PeerJsConfig(enabled, path, key, allowDiscovery, d, aliveTimeout, concurrentLimit, maxQueuedPerPeer);
    }

    public PeerJsConfig withAliveTimeout(Duration d) {
        return new PeerJsConfig(
                enabled, path, key, allowDiscovery, expireTimeout, d, concurrentLimit, maxQueuedPerPeer);
    }

    public PeerJsConfig withConcurrentLimit(int n) {
        return new PeerJsConfig(enabled, path, key, allowDiscovery, expireTimeout, aliveTimeout, n, maxQueuedPerPeer);
    }

    public PeerJsConfig withMaxQueuedPerPeer(int n) {
        return new PeerJsConfig(enabled, path, key, allowDiscovery, expireTimeout, aliveTimeout, concurrentLimit, n);
    }

    /** The WebSocket path: {@code {path}peerjs}. */
    public String socketPath() {
        return path + "peerjs";
    }
}
