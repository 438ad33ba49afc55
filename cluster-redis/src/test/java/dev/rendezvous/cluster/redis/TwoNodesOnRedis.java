package dev.rendezvous.cluster.redis;

import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.testing.ClusterNodes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every {@code ServerExtension} in this module's tests is two nodes on one real Redis: the server's
 * protocol tests then run with their clients alternating between the nodes.
 */
public final class TwoNodesOnRedis implements ClusterNodes {
    static final Duration NODE_TTL = Duration.ofMillis(1500);
    private static final AtomicInteger RUN = new AtomicInteger();

    private int run;

    @Override
    public int nodes() {
        return 2;
    }

    @Override
    public void beforeEach() {
        SharedRedis.get().flushAll();
        run = RUN.incrementAndGet();
    }

    @Override
    public void configure(int index, ServerConfig.Builder builder) {
        RedisHubConfig config = RedisHubConfig.of(SharedRedis.get().uri())
                .withNodeId("t" + run + "-n" + index)
                .withNodeTtl(NODE_TTL);
        builder.hubFactory(RedisHub.factory(config));
    }
}
