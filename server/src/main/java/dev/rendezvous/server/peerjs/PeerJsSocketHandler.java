package dev.rendezvous.server.peerjs;

import dev.rendezvous.server.auth.AuthResult;
import dev.rendezvous.server.peerjs.PeerJsRealm.CloseCodes;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PeerJS WebSocket: admission ({@code OPEN}, {@code ERROR}, {@code ID-TAKEN}), its frames into the
 * {@link PeerJsRealm}, the {@code HEARTBEAT} deadline ({@code alive_timeout}), the rate limit and the
 * slow-consumer bound. Bad frames (not JSON, unknown types, binary) are ignored as peerjs-server ignores
 * them — a PeerJS client treats every {@code ERROR} as fatal, so none is sent for them.
 *
 * <p>Threading: {@code channelRead}, timers and admission completion run on the channel's event loop;
 * {@link #send} and {@link #close} may be called from any thread.
 */
final class PeerJsSocketHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PeerJsSocketHandler.class);
    private static final long CLOSE_GRACE_MILLIS = 2_000;
    /** Frames a client may send before its admission completes (auth runs off the loop). */
    private static final int MAX_EARLY_FRAMES = 64;

    private final Channel channel;
    private final PeerJsEndpoint endpoint;
    private final String key;
    private final String id;
    private final String token;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final TokenBucket bucket;
    /** Event loop only. */
    private final ArrayDeque<PeerJsMessages.Inbound> early = new ArrayDeque<>();
    /** Set once admitted (written from any thread, acted on the loop). */
    private volatile PeerClient client;
    private volatile long lastHeartbeatNanos = System.nanoTime();
    private ScheduledFuture<?> aliveCheck;
    private boolean started;

    PeerJsSocketHandler(Channel channel, PeerJsEndpoint endpoint, String key, String id, String token) {
        this.channel = channel;
        this.endpoint = endpoint;
        this.key = key;
        this.id = id;
        this.token = token;
        this.bucket = new TokenBucket(endpoint.rateLimitPerSecond(), endpoint.rateLimitBurst(), System.nanoTime());
    }

    /** On the loop, once the 101 is out: check the query and admit. */
    void start() {
        if (started) {
            return;
        }
        started = true;
        endpoint.observer().connectionOpened();
        scheduleAliveCheck(endpoint.realm().config().aliveTimeout().toNanos());
        if (isBlank(id) || isBlank(token) || isBlank(key)) {
            endpoint.peerJsObserver().refused("missing_parameters");
            refuse(PeerJsMessages.error(PeerJsMessages.INVALID_WS_PARAMETERS), CloseCodes.POLICY, "missing id, token or key");
            return;
        }
        if (endpoint.authenticator() == null) {
            if (!key.equals(endpoint.realm().config().key())) {
                endpoint.peerJsObserver().refused("invalid_key");
                refuse(PeerJsMessages.error(PeerJsMessages.INVALID_KEY), CloseCodes.POLICY, "invalid key");
                return;
            }
            admitId();
            return;
        }
        CompletableFuture.supplyAsync(this::verifyKey, endpoint.verifier()).whenComplete((result, error) ->
                channel.eventLoop().execute(() -> {
                    if (result instanceof AuthResult.Admitted admitted && admitted.mayTake(id)) {
                        admitId();
                    } else {
                        String why = switch (result) {
                            case AuthResult.Refused r -> r.reason();
                            case AuthResult.Admitted a -> "the token is bound to another id";
                            case null -> String.valueOf(error);
                        };
                        log.info("peerjs key refused remote={}: {}", channel.remoteAddress(), why);
                        endpoint.observer().authFailed(dev.rendezvous.protocol.ErrorCode.AUTH_FAILED);
                        endpoint.peerJsObserver().refused("invalid_key");
                        refuse(PeerJsMessages.error(PeerJsMessages.INVALID_KEY), CloseCodes.POLICY, "invalid key");
                    }
                }));
    }

    private AuthResult verifyKey() {
        try {
            return endpoint.authenticator().authenticate(key);
        } catch (RuntimeException e) { // the contract says never; answer "Invalid key" all the same
            return new AuthResult.Refused("the token could not be verified");
        }
    }

    private void admitId() {
        if (!PeerJsIds.valid(id)) {
            endpoint.peerJsObserver().refused("invalid_id");
            refuse(PeerJsMessages.error(PeerJsMessages.INVALID_ID), CloseCodes.POLICY, "invalid id");
            return;
        }
        endpoint.realm().admit(this, id, token);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isEmpty();
    }

    /** The realm admitted this socket as {@code c}: frames that came early are handled now, in order. */
    void admitted(PeerClient c) {
        this.client = c;
        channel.eventLoop().execute(() -> {
            while (!early.isEmpty() && isOpen()) {
                endpoint.realm().onMessage(c, this, early.poll());
            }
        });
    }

    boolean isOpen() {
        return !closing.get() && channel.isActive();
    }

    /** Sends {@code json} and closes with {@code code}; any thread. */
    void refuse(String json, int code, String reason) {
        send(json);
        close(code, reason);
    }

    /**
     * Queues one text frame; any thread. False when the socket cannot take it: closing, closed, or its
     * client stopped reading (then it is closed with 4029 — the server's memory never grows for it).
     */
    boolean send(String json) {
        if (!isOpen()) {
            return false;
        }
        if (!channel.isWritable()) {
            endpoint.observer().throttled(id);
            close(CloseCodes.RATE_LIMITED, "not reading");
            return false;
        }
        channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
        return true;
    }

    /** Sends a close frame and drops the connection once answered (or after a grace period); once; any thread. */
    void close(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (channel.eventLoop().inEventLoop()) {
            writeClose(code, reason);
        } else {
            channel.eventLoop().execute(() -> writeClose(code, reason));
        }
    }

    private void writeClose(int code, String reason) {
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
            }
        });
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    void heartbeat() {
        lastHeartbeatNanos = System.nanoTime();
    }

    void ignored(String why) {
        endpoint.peerJsObserver().ignored();
        log.debug("peerjs frame ignored id={}: {}", id, why);
    }

    private void scheduleAliveCheck(long delayNanos) {
        aliveCheck = channel.eventLoop().schedule(this::checkAlive, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** peerjs-server's checkBrokenConnections: a client without HEARTBEAT for alive_timeout is closed. */
    private void checkAlive() {
        if (!channel.isActive()) {
            return;
        }
        long timeout = endpoint.realm().config().aliveTimeout().toNanos();
        long silent = System.nanoTime() - lastHeartbeatNanos;
        if (silent >= timeout) {
            endpoint.observer().keepaliveTimedOut(id);
            log.info("peerjs id={} sent no HEARTBEAT for {} ms: closing", id, TimeUnit.NANOSECONDS.toMillis(silent));
            close(CloseCodes.KEEPALIVE_TIMEOUT, "no heartbeat");
        } else {
            scheduleAliveCheck(timeout - silent);
        }
    }

    // ---- inbound ------------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case TextWebSocketFrame text -> onText(text.text());
                case BinaryWebSocketFrame ignoredFrame -> ignored("binary frame");
                case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                case CloseWebSocketFrame close -> onClose(close.statusCode());
                default -> { } // pongs, and nothing else is expected from the aggregator
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onText(String text) {
        if (closing.get()) {
            return;
        }
        if (!bucket.take(System.nanoTime())) {
            endpoint.observer().throttled(id);
            log.info("peerjs id={} over the rate limit: closing", id);
            close(CloseCodes.RATE_LIMITED, "rate limit");
            return;
        }
        Optional<PeerJsMessages.Inbound> parsed = PeerJsMessages.parse(text);
        if (parsed.isEmpty()) {
            ignored("not a JSON object with a string type");
            return;
        }
        PeerClient c = client;
        if (c == null || !early.isEmpty()) {
            if (early.size() < MAX_EARLY_FRAMES) {
                early.add(parsed.get());
            } else {
                ignored("too many frames before admission");
            }
            return;
        }
        endpoint.realm().onMessage(c, this, parsed.get());
    }

    private void onClose(int status) {
        if (!closing.compareAndSet(false, true)) {
            channel.close(); // the client answered our close
            return;
        }
        CloseWebSocketFrame reply = status < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, "");
        channel.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing.set(true);
        if (aliveCheck != null) {
            aliveCheck.cancel(false);
        }
        PeerClient c = client;
        if (c != null) {
            endpoint.realm().left(c, this);
        }
        if (started) {
            endpoint.observer().connectionClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException) {
            // The frame decoder already sent its close (1009 too large, 1002 otherwise) and closes the channel.
            closing.set(true);
            log.info("peerjs id={} sent a bad or too large frame: {}", id, cause.getMessage());
        } else if (cause instanceof TooLongFrameException) { // fragments adding up past the limit
            log.info("peerjs id={} sent a too large message: {}", id, cause.getMessage());
            close(CloseCodes.TOO_LARGE, "message too large");
        } else if (cause instanceof IOException) {
            channel.close();
        } else {
            log.warn("peerjs unexpected error remote={}", channel.remoteAddress(), cause);
            channel.close();
        }
    }
}
