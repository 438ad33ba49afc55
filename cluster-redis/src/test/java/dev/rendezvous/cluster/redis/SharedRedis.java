package dev.rendezvous.cluster.redis;

import dev.rendezvous.testing.redis.RedisServer;

/** One redis-server for the whole test run (started on first use, killed by its handle when the JVM exits). */
final class SharedRedis {
    private static RedisServer redis;

    private SharedRedis() {}

    static synchronized RedisServer get() {
        if (redis == null) {
            RedisServer started = RedisServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "redis-stop"));
            redis = started;
        }
        return redis;
    }
}
