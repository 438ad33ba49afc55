package dev.rendezvous.cluster.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to Redis: one command connection (every script call and publish of this node goes over
 * it, so they keep their order), one subscription (the events channel and this node's own channel), and
 * the backplane loop — the one thread on which everything that changes this node's view of the cluster
 * runs. Lettuce reconnects by itself with backoff; {@link #refreshUp} tells whether both connections
 * are open.
 */
final class BackplaneConnection {
    private static final Logger log = LoggerFactory.getLogger(BackplaneConnection.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);

    private final String uri;
    private final String node;
    private final String prefix;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> redis;
    private final StatefulRedisPubSubConnection<String, byte[]> subscription;
    private final ScheduledExecutorService loop;
    private volatile boolean up;
    private volatile boolean closed;

    /**
     * Connects (the subscription listens once {@link #listen} was called).
     *
     * @throws IllegalStateException when Redis cannot be reached
     */
    BackplaneConnection(RedisHubConfig config) {
        this.uri = config.redisUri();
        this.node = config.nodeId();
        this.prefix = config.keyPrefix();
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rendezvous-backplane");
            t.setDaemon(true);
            return t;
        });
        long lower = Math.min(20, config.reconnectDelayMax().toMillis());
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(
                        Duration.ofMillis(lower), config.reconnectDelayMax(), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(COMMAND_TIMEOUT);
        this.client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build())
                .build());
        try {
            this.connection = client.connect(CODEC);
            this.subscription = client.connectPubSub(CODEC);
        } catch (RuntimeException e) {
            loop.shutdownNow();
            shutdownClient();
            throw new IllegalStateException("cannot reach Redis at " + uri + ": " + e.getMessage(), e);
        }
        this.redis = connection.async();
    }

    /**
     * Subscribes to the events channel and this node's channel: {@code onMessage} then gets every message
     * of both, and {@code onConnectionChange} every connect or disconnect, both on the loop. Once.
     */
    void listen(Consumer<byte[]> onMessage, Runnable onConnectionChange) {
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                onLoop(() -> onMessage.accept(message));
            }
        });
        resources.eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionActivatedEvent || event instanceof ConnectionDeactivatedEvent) {
                onLoop(onConnectionChange);
            }
        });
        subscription.sync().subscribe(eventsChannel(), nodeChannel(node));
    }

    /** The channel every node reads: presence events. */
    String eventsChannel() {
        return prefix + "events";
    }

    /** {@code node}'s own channel: deliveries to its clients. */
    String nodeChannel(String node) {
        return prefix + "chan:" + node;
    }

    /** Whether both connections were open when last looked at. */
    boolean up() {
        return up;
    }

    /** On the loop: looks whether both connections are open; true when that changed. */
    boolean refreshUp() {
        if (closed) {
            return false;
        }
        boolean now = connection.isOpen() && subscription.isOpen();
        if (now == up) {
            return false;
        }
        up = now;
        return true;
    }

    /** Runs {@code task} on the loop; {@code ifRejected} when the backplane is closed. */
    void onLoop(Runnable task, Runnable ifRejected) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("backplane task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            ifRejected.run();
        }
    }

    void onLoop(Runnable task) {
        onLoop(task, () -> {});
    }

    /** Runs {@code task} on the loop every {@code period}. */
    void every(Duration period, Runnable task) {
        loop.scheduleAtFixedRate(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Evaluates a script with ARGV = key prefix, then {@code args}; completes on a Lettuce thread. */
    CompletableFuture<Object> eval(Script script, String... args) {
        byte[][] values = new byte[args.length + 1][];
        values[0] = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < args.length; i++) {
            values[i + 1] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        try {
            return redis.<Object>eval(script.text, script.output, new String[0], values)
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The loop, to continue on it when a script answered ({@code whenCompleteAsync(…, loop())}). */
    Executor loop() {
        return loop;
    }

    /** Publishes {@code message} to {@code node}'s channel (fire-and-forget, in this node's order). */
    void publishTo(String node, BackplaneMessage message) {
        redis.publish(nodeChannel(node), BackplaneCodec.encode(message));
    }

    /** Publishes already-encoded {@code bytes} to {@code node}'s channel (one encoding for several nodes). */
    void publishTo(String node, byte[] bytes) {
        redis.publish(nodeChannel(node), bytes);
    }

    /**
     * Runs {@code leave} (if Redis is up), then stops the loop and the client. Blocks up to the command
     * timeout twice: called once, when the server stopped.
     */
    void close(Script leave) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            CompletableFuture<Object> left = new CompletableFuture<>();
            loop.execute(() -> {
                if (!up) {
                    left.complete(null);
                    return;
                }
                eval(leave, node).whenComplete((r, e) -> left.complete(r));
            });
            left.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.info("leaving the cluster: {}", e.toString());
        }
        loop.shutdownNow();
        try {
            loop.awaitTermination(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdownClient();
    }

    boolean closed() {
        return closed;
    }

    private void shutdownClient() {
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            log.debug("client shutdown", e);
        }
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
