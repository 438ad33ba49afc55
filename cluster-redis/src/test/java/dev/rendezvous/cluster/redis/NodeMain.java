package dev.rendezvous.cluster.redis;

import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.SignalingServer;
import java.time.Duration;

/**
 * A cluster node in a child process, for kill -9 tests: {@code NodeMain <redis uri> <node id> <node ttl ms>}.
 * Prints {@code port=<port>} once listening, then runs until killed.
 */
public final class NodeMain {
    private NodeMain() {}

    public static void main(String[] args) throws Exception {
        RedisHubConfig config = RedisHubConfig.of(args[0])
                .withNodeId(args[1])
                .withNodeTtl(Duration.ofMillis(Long.parseLong(args[2])));
        SignalingServer server = SignalingServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .hubFactory(RedisHub.factory(config))
                .build());
        System.out.println("port=" + server.port());
        System.out.flush();
        Thread.currentThread().join(); // until the test kills the process
    }
}
