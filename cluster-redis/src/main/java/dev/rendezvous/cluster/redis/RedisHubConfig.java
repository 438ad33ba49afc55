package dev.rendezvous.cluster.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Settings of a {@link RedisHub}.
 *
 * @param redisUri {@code redis://host:port} (or {@code rediss://}, with password or database as Lettuce reads them)
 * @param nodeId this node's id in the cluster: unique per running node
 * @param nodeTtl how long a silent node is considered alive; survivors announce a dead node's clients'
 *     departures within about {@code nodeTtl + nodeTtl / 3}. The node refreshes its heartbeat every third of it.
 * @param idTtl lifetime of an id entry between refreshes (a safety net if every node died at once)
 * @param keyPrefix prefix of every key and channel, so several clusters can share one Redis
 * @param reconnectDelayMax the longest wait between two reconnection attempts (they back off exponentially up to it)
 */
public record RedisHubConfig(
        String redisUri,
        String nodeId,
        Duration nodeTtl,
        Duration idTtl,
        String keyPrefix,
        Duration reconnectDelayMax) {

    public static final Duration DEFAULT_NODE_TTL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_ID_TTL = Duration.ofSeconds(60);
    public static final String DEFAULT_KEY_PREFIX = "rendezvous:";
    public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(2);

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public RedisHubConfig {
        Objects.requireNonNull(redisUri, "redisUri");
        if (!redisUri.startsWith("redis://") && !redisUri.startsWith("rediss://")) {
            throw new IllegalArgumentException("the Redis address must look like redis://host:port, got " + redisUri);
        }
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node ids are 1-64 characters of [A-Za-z0-9._-], got " + nodeId);
        }
        if (nodeTtl.toMillis() < 300) {
            throw new IllegalArgumentException("the node TTL must be at least 300 ms, got " + nodeTtl.toMillis());
        }
        if (idTtl.compareTo(nodeTtl) < 0) {
            throw new IllegalArgumentException("the id TTL must be at least the node TTL");
        }
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (reconnectDelayMax.toMillis() < 10) {
            throw new IllegalArgumentException("the reconnect delay must be at least 10 ms");
        }
    }

    /** Defaults for everything but the address, with a random node id. */
    public static RedisHubConfig of(String redisUri) {
        return new RedisHubConfig(
                redisUri,
                randomNodeId(),
                DEFAULT_NODE_TTL,
                DEFAULT_ID_TTL,
                DEFAULT_KEY_PREFIX,
                DEFAULT_RECONNECT_DELAY_MAX);
    }

    public static String randomNodeId() {
        return "node-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public RedisHubConfig withNodeId(String id) {
        return new RedisHubConfig(redisUri, id, nodeTtl, idTtl, keyPrefix, reconnectDelayMax);
    }

    /** The node TTL, with the id TTL raised to stay at least as long. */
    public RedisHubConfig withNodeTtl(Duration ttl) {
        return new RedisHubConfig(
                redisUri, nodeId, ttl, idTtl.compareTo(ttl) < 0 ? ttl : idTtl, keyPrefix, reconnectDelayMax);
    }

    public RedisHubConfig withKeyPrefix(String prefix) {
        return new RedisHubConfig(redisUri, nodeId, nodeTtl, idTtl, prefix, reconnectDelayMax);
    }

    /** The heartbeat period: a third of the node TTL. */
    public Duration heartbeat() {
        return nodeTtl.dividedBy(3);
    }
}
