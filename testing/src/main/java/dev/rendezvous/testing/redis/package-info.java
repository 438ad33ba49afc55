/**
 * A real {@code redis-server} for tests: started on 127.0.0.1 and a free port without persistence,
 * stopped (and restarted on the same port) through its process handle, plus a minimal RESP client
 * to inspect or empty it.
 *
 * <p>Threading: a {@link dev.rendezvous.testing.redis.RedisServer} is driven by the test thread.
 */
package dev.rendezvous.testing.redis;
