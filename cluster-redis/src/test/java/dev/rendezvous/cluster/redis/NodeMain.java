package dev.rendezvous.cluster.redis;

import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.SignalingServer;
import java.time.Duration;

/**
 * A cluster node in a child process, for kill -9 tests and benchmarks:
 * {@code NodeMain <redis uri> <node id> <node ttl ms>}, or {@code NodeMain local} for a single node
 * with the in-process hub. Prints {@code port=<port>} once listening, then runs until killed. With a fourth
 * argument {@code print-detached}, also prints {@code detached=<n>} whenever its detached sessions change
 * (v1.1 tests; a reader must then keep reading the output).
 */
public final class NodeMain {
    private NodeMain() {}

    public static void main(String[] args) throws Exception {
        ServerConfig.Builder builder = ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .rateLimit(0, 0) // benchmarks flood on purpose
                .rateLimitBytes(0)
                .maxOutboundBytes(16 << 20);
        if (!args[0].equals("local")) {
            builder.hubFactory(RedisHub.factory(RedisHubConfig.of(args[0])
                    .withNodeId(args[1])
                    .withNodeTtl(Duration.ofMillis(Long.parseLong(args[2])))));
        }
        if (args.length > 3 && args[3].equals("print-detached")) {
            java.util.concurrent.atomic.AtomicInteger detached = new java.util.concurrent.atomic.AtomicInteger();
            builder.observer(new dev.rendezvous.server.hub.HubObserver() {
                @Override
                public void detachedChanged(int delta) {
                    synchronized (System.out) {
                        System.out.println("detached=" + detached.addAndGet(delta));
                        System.out.flush();
                    }
                }
            });
        }
        SignalingServer server = SignalingServer.start(builder.build());
        System.out.println("port=" + server.port());
        System.out.flush();
        Thread.currentThread().join(); // until the test kills the process
    }
}
