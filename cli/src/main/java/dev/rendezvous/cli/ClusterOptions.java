package dev.rendezvous.cli;

import dev.rendezvous.cluster.redis.RedisHub;
import dev.rendezvous.cluster.redis.RedisHubConfig;
import dev.rendezvous.server.ServerConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The cluster flags of {@code rendezvous serve} (a picocli mixin, kept apart from the other flags):
 * without {@code --redis} the server is one node with its hub in process; with it, the node joins the
 * cluster of every node on that Redis.
 */
final class ClusterOptions {

    @Option(names = "--redis", defaultValue = "${env:RENDEZVOUS_REDIS}",
            description = "Joins a cluster on this Redis (redis://host:port); default: a single node, no Redis.")
    String redis;

    @Option(names = "--node-id", defaultValue = "${env:RENDEZVOUS_NODE_ID}",
            description = "This node's id in the cluster, unique per running node (default: random).")
    String nodeId;

    @Option(names = "--node-ttl-ms", defaultValue = "${env:RENDEZVOUS_NODE_TTL_MS:-10000}",
            description = "A node silent this long counts as dead: the others then announce its clients' departures"
                    + " (within about 4/3 of it). Heartbeat every third (default: ${DEFAULT-VALUE}).")
    long nodeTtlMs;

    /** {@code config} with the Redis hub when {@code --redis} is set; unchanged otherwise. */
    ServerConfig applyTo(ServerConfig config) {
        if (redis == null || redis.isBlank()) {
            return config;
        }
        RedisHubConfig cluster = RedisHubConfig.of(redis.strip()).withNodeTtl(Duration.ofMillis(nodeTtlMs));
        if (nodeId != null && !nodeId.isBlank()) {
            cluster = cluster.withNodeId(nodeId.strip());
        }
        return config.toBuilder().hubFactory(RedisHub.factory(cluster)).build();
    }
}
