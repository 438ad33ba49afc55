package dev.rendezvous.server.peerjs;

import dev.rendezvous.server.admin.SessionSnapshot;
import dev.rendezvous.server.auth.AuthResult;
import dev.rendezvous.server.logging.LogBudget;
import dev.rendezvous.server.logging.LogText;
import dev.rendezvous.server.net.ClientAddress;
import dev.rendezvous.server.peerjs.PeerJsRealm.CloseCodes;
import dev.rendezvous.server.session.ConnectionSettings;
import dev.rendezvous.server.session.RateLimiter;
import dev.rendezvous.server.transport.AbstractWebSocketSession;
import dev.rendezvous.server.transport.Outbound;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PeerJS WebSocket: admission ({@code OPEN}, {@code ERROR}, {@code ID-TAKEN}), its frames into the
 * {@link PeerJsRealm}, the {@code HEARTBEAT} deadline ({@code alive_timeout}). The abuse limits are the v1
 * session's, from the same parts: frames come from the server's own frame reader (size limit, RFC 6455
 * checks), go through the same {@link RateLimiter} (frames, bytes and pings; refusals in a row end in 4029),
 * and leave through the same {@link Outbound} (the bound on queued bytes, the close handshake). Bad frames
 * (not JSON, unknown types, binary) and frames over the rate limit are dropped without an answer — a PeerJS
 * client treats every {@code ERROR} as fatal, so none is sent for them. Client strings in log lines are
 * escaped and cut ({@link LogText}) and client-caused lines share the process's {@link LogBudget}.
 *
 * <p>Threading: the frame callbacks, timers and admission completion run on the channel's event loop;
 * {@link #send} and {@link #close} may be called from any thread.
 */
final class PeerJsSocketHandler extends AbstractWebSocketSession {
    private static final Logger log = LoggerFactory.getLogger(PeerJsSocketHandler.class);
    /** Frames a client may send before its admission completes (auth runs off the loop). */
    private static final int MAX_EARLY_FRAMES = 64;

    private final PeerJsRealm realm;
    private final ConnectionSettings settings;
    private final String key;
    private final String id;
    private final String token;
    private final RateLimiter limiter;
    /** Copies of the frames that came before admission; event loop only. */
    private final ArrayDeque<byte[]> early = new ArrayDeque<>();
    /** Set once admitted (written from any thread, acted on the loop). */
    private volatile PeerClient client;

    private volatile long lastHeartbeatNanos = System.nanoTime();
    private ScheduledFuture<?> aliveCheck;
    private boolean started;
    /** The admin view's counters; event loop only. */
    private final long connectedAtMillis = System.currentTimeMillis();

    private long framesIn;
    private long bytesIn;
    private boolean refusing;

    /** @param settings the v1 sessions' settings, which PeerJS sockets share (auth, rate limits, observer) */
    PeerJsSocketHandler(
            Channel channel, PeerJsRealm realm, ConnectionSettings settings, String key, String id, String token) {
        super(channel, log);
        this.realm = realm;
        this.settings = settings;
        this.key = key;
        this.id = id;
        this.token = token;
        this.limiter = settings.newRateLimiter(System.nanoTime());
    }

    /** On the loop, once the 101 is out: check the query and admit. */
    @Override
    public void start() {
        if (started) {
            return;
        }
        started = true;
        settings.observer().connectionOpened();
        scheduleAliveCheck(realm.config().aliveTimeout().toNanos());
        if (isBlank(id) || isBlank(token) || isBlank(key)) {
            realm.observer().refused("missing_parameters");
            refuse(
                    PeerJsMessages.error(PeerJsMessages.INVALID_WS_PARAMETERS),
                    CloseCodes.POLICY,
                    "missing id, token or key");
            return;
        }
        if (settings.authenticator() == null) {
            if (!key.equals(realm.config().key())) {
                realm.observer().refused("invalid_key");
                refuse(PeerJsMessages.error(PeerJsMessages.INVALID_KEY), CloseCodes.POLICY, "invalid key");
                return;
            }
            admitId();
            return;
        }
        CompletableFuture.supplyAsync(this::verifyKey, settings.authExecutor())
                .whenComplete((result, error) -> channel.eventLoop().execute(() -> {
                    if (result instanceof AuthResult.Admitted admitted && admitted.mayTake(id)) {
                        admitId();
                    } else {
                        String why = switch (result) {
                            case AuthResult.Refused r -> r.reason();
                            case AuthResult.Admitted a -> "the token is bound to another id";
                            case null -> String.valueOf(error);
                        };
                        if (LogBudget.CLIENTS.tryLine()) {
                            log.info(
                                    "peerjs key refused remote={}: {}",
                                    ClientAddress.forLogs(channel),
                                    LogText.of(why));
                        }
                        settings.observer().authFailed(dev.rendezvous.protocol.ErrorCode.AUTH_FAILED);
                        realm.observer().refused("invalid_key");
                        refuse(PeerJsMessages.error(PeerJsMessages.INVALID_KEY), CloseCodes.POLICY, "invalid key");
                    }
                }));
    }

    private AuthResult verifyKey() {
        try {
            return settings.authenticator().authenticate(key);
        } catch (RuntimeException e) { // the contract says never; answer "Invalid key" all the same
            return new AuthResult.Refused("the token could not be verified");
        }
    }

    private void admitId() {
        if (!PeerJsIds.valid(id)) {
            realm.observer().refused("invalid_id");
            refuse(PeerJsMessages.error(PeerJsMessages.INVALID_ID), CloseCodes.POLICY, "invalid id");
            return;
        }
        realm.admit(this, id, token);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isEmpty();
    }

    /** The realm admitted this socket as {@code c}: frames that came early are handled now, in order. */
    void admitted(PeerClient c) {
        this.client = c;
        channel.eventLoop().execute(() -> {
            PeerJsScanner scan = PeerJsScanner.forThisThread();
            while (!early.isEmpty() && isOpen()) {
                byte[] frame = early.poll();
                if (scan.scan(frame, frame.length)) { // it passed once, when it came
                    realm.onMessage(c, this, scan);
                }
            }
        });
    }

    boolean isOpen() {
        return !out.closing() && channel.isActive();
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
        return isOpen() && out.send(out.utf8(json));
    }

    /** As {@link #send(String)}, for the UTF-8 JSON in {@code utf8Json}, which it takes (released when not sent). */
    boolean send(ByteBuf utf8Json) {
        if (!isOpen()) {
            utf8Json.release();
            return false;
        }
        return out.send(utf8Json);
    }

    /** A buffer for a frame of up to {@code jsonBytes} (framed in place when sent through {@link #send(ByteBuf)}). */
    ByteBuf buffer(int jsonBytes) {
        return out.buffer(jsonBytes);
    }

    /** Sends a close frame and drops the connection once answered (or after a grace period); once; any thread. */
    void close(int code, String reason) {
        out.close(code, reason);
    }

    /** On the loop: the outbound bound was hit (the shared path dropped a frame). */
    @Override
    protected void onSlowConsumer() {
        if (LogBudget.CLIENTS.tryLine()) {
            log.info("peerjs id={} is not reading: closing", LogText.of(id));
        }
        settings.observer().throttled(id);
        close(CloseCodes.RATE_LIMITED, "not reading");
    }

    void heartbeat() {
        lastHeartbeatNanos = System.nanoTime();
    }

    void ignored(String why) {
        realm.observer().ignored();
        if (log.isDebugEnabled()) {
            log.debug("peerjs frame ignored id={}: {}", LogText.of(id), LogText.of(why));
        }
    }

    private void scheduleAliveCheck(long delayNanos) {
        aliveCheck = channel.eventLoop().schedule(this::checkAlive, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** peerjs-server's checkBrokenConnections: a client without HEARTBEAT for alive_timeout is closed. */
    private void checkAlive() {
        if (!channel.isActive()) {
            return;
        }
        long timeout = realm.config().aliveTimeout().toNanos();
        long silent = System.nanoTime() - lastHeartbeatNanos;
        if (silent >= timeout) {
            settings.observer().keepaliveTimedOut(id);
            if (LogBudget.CLIENTS.tryLine()) {
                log.info(
                        "peerjs id={} sent no HEARTBEAT for {} ms: closing",
                        LogText.of(id),
                        TimeUnit.NANOSECONDS.toMillis(silent));
            }
            close(CloseCodes.KEEPALIVE_TIMEOUT, "no heartbeat");
        } else {
            scheduleAliveCheck(timeout - silent);
        }
    }

    /** This socket for the admin view; on the event loop. */
    SessionSnapshot snapshot() {
        String state = client != null ? (isOpen() ? "admitted" : "closed") : isOpen() ? "authenticating" : "closed";
        var remote = channel.remoteAddress();
        Outbound.Sent sent = out.sent();
        return new SessionSnapshot(
                id,
                null,
                null,
                null,
                state,
                connectedAtMillis,
                framesIn,
                sent.frames(),
                bytesIn,
                sent.bytes(),
                remote instanceof InetSocketAddress a && a.getAddress() != null
                        ? a.getAddress().getHostAddress() + ":" + a.getPort()
                        : String.valueOf(remote),
                SessionSnapshot.PEERJS);
    }

    // ---- inbound (the server's frame reader) --------------------------------------------------

    /** The rate limit for one frame of {@code bytes}; false when it must be dropped (and maybe the socket closed). */
    private boolean admitFrame(int bytes) {
        switch (limiter.onFrame(System.nanoTime(), bytes)) {
            case ACCEPT -> {
                refusing = false;
                return true;
            }
            case REFUSE -> {
                if (!refusing && LogBudget.CLIENTS.tryLine()) {
                    log.info("peerjs id={} over the rate limit: dropping frames", LogText.of(id));
                }
                refusing = true;
                return false;
            }
            case CLOSE -> {
                if (LogBudget.CLIENTS.tryLine()) {
                    log.info("peerjs id={} stayed over the rate limit: closing", LogText.of(id));
                }
                settings.observer().throttled(id);
                close(CloseCodes.RATE_LIMITED, "rate limit");
                return false;
            }
        }
        throw new IllegalStateException();
    }

    @Override
    public void onText(byte[] utf8, int length) {
        framesIn++;
        bytesIn += length;
        if (out.closing() || !admitFrame(length)) {
            return;
        }
        PeerJsScanner scan = PeerJsScanner.forThisThread();
        if (!scan.scan(utf8, length)) {
            ignored("not a JSON object with a string type");
            return;
        }
        PeerClient c = client;
        if (c == null || !early.isEmpty()) {
            if (early.size() < MAX_EARLY_FRAMES) {
                early.add(Arrays.copyOf(utf8, length)); // the reader's array is reused after this call
            } else {
                ignored("too many frames before admission");
            }
            return;
        }
        realm.onMessage(c, this, scan);
    }

    @Override
    public void onBinary() {
        if (!out.closing() && admitFrame(0)) {
            ignored("binary frame");
        }
    }

    @Override
    public void onPing(ByteBuf payload) {
        if (out.closing() || !admitFrame(0)) {
            payload.release(); // a ping over the rate limit goes unanswered, as for v1
            return;
        }
        out.pong(payload);
    }

    @Override
    public void onPong() {
        // nothing to do: PeerJS liveness is HEARTBEAT
    }

    @Override
    public void onClose(int status) {
        out.onCloseFrame(status);
    }

    @Override
    public void onTooLarge() {
        if (LogBudget.CLIENTS.tryLine()) {
            log.info("peerjs id={} sent a too large message: closing", LogText.of(id));
        }
        close(CloseCodes.TOO_LARGE, "message too large");
    }

    @Override
    public void onProtocolError(WebSocketCloseStatus status, String why) {
        if (LogBudget.CLIENTS.tryLine()) {
            log.info("peerjs protocol violation id={}: {}", LogText.of(id), LogText.of(why));
        }
        close(status.code(), "protocol error");
    }

    @Override
    protected void onChannelClosed() {
        if (aliveCheck != null) {
            aliveCheck.cancel(false);
        }
        PeerClient c = client;
        if (c != null) {
            realm.left(c, this);
        }
        if (started) {
            settings.observer().connectionClosed();
        }
    }
}
