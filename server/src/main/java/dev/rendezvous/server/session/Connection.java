package dev.rendezvous.server.session;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageType;
import dev.rendezvous.server.auth.AuthResult;
import dev.rendezvous.server.hub.ControlFrames;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.hub.JoinResult;
import dev.rendezvous.server.hub.Link;
import dev.rendezvous.server.hub.PairResult;
import dev.rendezvous.server.hub.Pairing;
import dev.rendezvous.server.hub.Refusal;
import dev.rendezvous.server.hub.Session;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state machine of one WebSocket connection: admission, dispatch of every inbound frame,
 * keepalive and limits. Transport-independent: frames come in through the {@code on…} methods, frames
 * go out through the {@link Link}, time and timers through the {@link Transport}.
 *
 * <p>Confined to one thread (the channel's event loop); only {@link Hub} calls cross threads.
 */
public final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /** Client ids and room names: 1–64 characters of {@code [A-Za-z0-9._-]}. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private enum Phase {
        AWAITING_TOKEN,
        AUTHENTICATING,
        /** The id is being claimed in the hub's directory (at once in-process; a round trip in a cluster). */
        REGISTERING,
        ADMITTED,
        CLOSED
    }

    private final ConnectionSettings settings;
    private final Link link;
    private final Transport transport;
    private final String room;
    private final String requestedId;
    private final String queryUsername;
    /** The peer address, only for logs: formatted when a line is written, not per connection. */
    private final Object remote;
    /** Created at the first inbound frame: an idle connection never needs one. */
    private RateLimiter rateLimiter;
    private final Keepalive keepalive;
    /** The close code when this server closed the connection, for the departure log line; 0 when the client did. */
    private int closedWithCode;

    private Phase phase = Phase.AWAITING_TOKEN;
    /** {@link #open} ran: a connection whose upgrade failed never counted as open, so it never closes either. */
    private boolean opened;
    private Session session;
    private Runnable cancelTimer;
    private boolean rateLimitedStreak;

    /**
     * @param room the room of a {@code /ws/{room}} connection, or null for the lobby
     * @param requestedId the {@code client_id} query parameter (already validated), or null
     * @param username the {@code username} query parameter, or null
     * @param remote the peer address, for logs (its {@code toString} runs only when a line is written)
     */
    public Connection(
            ConnectionSettings settings,
            Link link,
            Transport transport,
            String room,
            String requestedId,
            String username,
            Object remote) {
        this.settings = settings;
        this.link = link;
        this.transport = transport;
        this.room = room;
        this.requestedId = requestedId;
        this.queryUsername = username;
        this.remote = remote;
        this.keepalive = new Keepalive(settings.pingInterval().toNanos(), settings.pingTimeout().toNanos(), transport.nanoTime());
    }

    /** The admitted session, or null before admission. */
    public Session session() {
        return session;
    }

    /** The upgrade completed: admit right away, or ask for a token. */
    public void open() {
        opened = true;
        settings.observer().connectionOpened();
        // One INFO line at admission (or refusal) and one at departure: a line per lifecycle step costs
        // the event loop and the JIT on every connection, so the bare TCP/upgrade step is DEBUG.
        if (log.isDebugEnabled()) {
            log.debug("connect remote={} scope={}", remote, scope());
        }
        if (!settings.authRequired()) {
            admit(requestedId, queryUsername, false);
            return;
        }
        phase = Phase.AWAITING_TOKEN;
        link.send(ControlFrames.of(new Message.AuthRequired()));
        cancelTimer = transport.schedule(this::authTimedOut, settings.authTimeout().toNanos());
    }

    /** A text frame arrived; {@code utf8} is not released here (tests and tools; the transport passes bytes). */
    public void onText(ByteBuf utf8) {
        byte[] bytes = new byte[utf8.readableBytes()];
        utf8.getBytes(utf8.readerIndex(), bytes);
        onText(bytes, bytes.length);
    }

    /**
     * A text frame arrived: its payload is {@code utf8[0, length)}. The array is only read during this call
     * (the transport reuses it for the next frame; a relayed frame is copied out of it).
     */
    public void onText(byte[] utf8, int length) {
        long now = transport.nanoTime();
        if (phase == Phase.CLOSED) {
            return;
        }
        keepalive.heard(now);
        FrameScanner frame = FrameScanner.forThisThread();
        boolean valid = frame.scan(utf8, length);
        if (!admitLimited(now, valid ? frame.type : null)) {
            return;
        }
        switch (phase) {
            case AWAITING_TOKEN -> onPreAdmission(frame, valid);
            case AUTHENTICATING, REGISTERING -> {} // admission is on its way; frames before it are ignored
            case ADMITTED -> onAdmitted(frame, valid, now);
            case CLOSED -> {}
        }
    }

    /** A WebSocket-level ping or pong arrived: liveness only. */
    public void onControlFrame() {
        keepalive.heard(transport.nanoTime());
    }

    /** A binary frame arrived: refused, the session carries on. */
    public void onBinary() {
        long now = transport.nanoTime();
        if (phase == Phase.CLOSED) {
            return;
        }
        keepalive.heard(now);
        if (!admitLimited(now, null)) {
            return;
        }
        if (phase == Phase.AWAITING_TOKEN) { // like any other frame before admission
            refuseAdmission(ErrorCode.AUTH_FAILED, "authenticate first: send auth_token in a text frame", null);
            return;
        }
        sendError(ErrorCode.BINARY_NOT_SUPPORTED, "binary frames are not supported; send JSON text frames", null);
    }

    /** A frame over the size limit arrived: error, then close 1009. */
    public void onTooLarge(int limit) {
        if (phase == Phase.CLOSED) {
            return;
        }
        sendError(ErrorCode.MESSAGE_TOO_LARGE, "frames are limited to " + limit + " bytes", null);
        closeWith(CloseCode.MESSAGE_TOO_LARGE, "message too large");
    }

    /** The server is shutting down: close 1001. */
    public void onShutdown() {
        closeWith(CloseCode.GOING_AWAY, "server shutting down");
    }

    /** The outbound queue overflowed: the client stopped reading. */
    public void onSlowConsumer() {
        if (phase == Phase.CLOSED) {
            return;
        }
        log.info("refuse client={} reason=slow-consumer", clientId());
        settings.observer().throttled(clientId());
        closeWith(CloseCode.RATE_LIMITED, "client is not reading");
    }

    /** The transport closed (any reason): clean up, exactly once. */
    public void onClosed() {
        if (!opened) {
            phase = Phase.CLOSED; // the upgrade failed: nothing was counted, logged or registered
            return;
        }
        phase = Phase.CLOSED;
        cancelTimer();
        if (session != null) {
            settings.hub().depart(session);
        }
        settings.observer().connectionClosed();
        if (closedWithCode == 0) {
            log.info("disconnect client={} remote={} by=client", clientId(), remote);
        } else {
            log.info("disconnect client={} remote={} by=server code={}", clientId(), remote, closedWithCode);
        }
    }

    // ---- admission ----------------------------------------------------------------------------

    private void onPreAdmission(FrameScanner frame, boolean valid) {
        // protocol-v1: every refusal before admission is auth_failed, then 4001; the message says what was wrong.
        if (!valid) {
            refuseAdmission(ErrorCode.AUTH_FAILED, "expected an auth_token message: " + frame.errorMessage, null);
            return;
        }
        if (!frame.type.equals(MessageType.AUTH_TOKEN.wireName())) {
            refuseAdmission(ErrorCode.AUTH_FAILED, "authenticate first: send auth_token", frame.type);
            return;
        }
        if (frame.tokenField != FrameScanner.Field.STRING) {
            refuseAdmission(ErrorCode.AUTH_FAILED, "field \"token\" of auth_token must be a string", frame.type);
            return;
        }
        if (frame.clientIdField == FrameScanner.Field.WRONG_TYPE
                || (frame.clientId != null && !NAME.matcher(frame.clientId).matches())) {
            refuseAdmission(ErrorCode.AUTH_FAILED, "field \"clientId\" must be 1-64 characters of [A-Za-z0-9._-]", frame.type);
            return;
        }
        String token = frame.token;
        String wantedId = frame.clientId != null ? frame.clientId : requestedId;
        phase = Phase.AUTHENTICATING;
        try {
            settings.authExecutor().execute(() -> {
                AuthResult result = verify(token);
                try {
                    transport.execute(() -> onVerdict(result, wantedId));
                } catch (RejectedExecutionException e) {
                    // the event loops stopped (server shutdown) while the token was checked: the connection is gone
                    log.debug("verdict dropped remote={}: the server is shutting down", remote);
                }
            });
        } catch (RejectedExecutionException e) {
            refuseAdmission(ErrorCode.AUTH_FAILED, "the server is shutting down", null);
        }
    }

    private AuthResult verify(String token) {
        try {
            return settings.authenticator().authenticate(token);
        } catch (RuntimeException e) { // the contract says never, but a bug must not leave the client hanging
            log.warn("authenticator failed", e);
            return new AuthResult.Refused("the token could not be verified");
        }
    }

    private void onVerdict(AuthResult result, String wantedId) {
        if (phase != Phase.AUTHENTICATING) {
            return; // closed (timeout, shutdown) meanwhile
        }
        switch (result) {
            case AuthResult.Refused refused -> refuseAdmission(ErrorCode.AUTH_FAILED, refused.reason(), null);
            case AuthResult.Admitted admitted -> {
                if (room != null && !admitted.mayJoin(room)) {
                    refuseAdmission(ErrorCode.ROOM_FORBIDDEN, "this token may not join room " + room, null);
                    return;
                }
                admit(wantedId, admitted.user(), true); // rooms claim checked above
            }
        }
    }

    private void authTimedOut() {
        if (phase == Phase.AWAITING_TOKEN || phase == Phase.AUTHENTICATING) {
            refuseAdmission(ErrorCode.AUTH_TIMEOUT, "no auth_token within " + settings.authTimeout().toMillis() + " ms", null);
        }
    }

    /** Sends the error (when {@code message} is not null) and closes 4001. */
    private void refuseAdmission(ErrorCode code, String message, String ref) {
        if (message != null) {
            sendError(code, message, ref);
        }
        settings.observer().authFailed(code);
        log.info("refuse remote={} scope={} code={} reason={}", remote, scope(), code.wireName(), message);
        closeWith(CloseCode.AUTH_FAILED, code.wireName());
    }

    private void admit(String wantedId, String username, boolean authenticated) {
        cancelTimer();
        String id = wantedId != null ? wantedId : ClientIds.next();
        Session candidate = new Session(id, username, room, link, this::evictedFromAnyThread);
        phase = Phase.REGISTERING;
        CompletionStage<Boolean> registration = settings.hub().register(candidate);
        if (!registration.toCompletableFuture().isDone()) {
            // A backplane that never answers must not hold the connection forever: no other timer runs now.
            cancelTimer = transport.schedule(this::registrationTimedOut, settings.authTimeout().toNanos());
        }
        whenDone(registration, (registered, failure) -> onRegistered(candidate, authenticated, registered, failure));
    }

    private void registrationTimedOut() {
        if (phase == Phase.REGISTERING) {
            cancelTimer = null; // this timer has fired
            sendError(ErrorCode.CLUSTER_UNAVAILABLE,
                    "the id directory did not answer within " + settings.authTimeout().toMillis() + " ms; try again", null);
            closeWith(CloseCode.INTERNAL_ERROR, "directory timeout");
        }
    }

    private void onRegistered(Session candidate, boolean authenticated, Boolean registered, Throwable failure) {
        if (phase != Phase.REGISTERING) {
            if (Boolean.TRUE.equals(registered)) {
                settings.hub().depart(candidate); // the connection ended while the id was being claimed
            }
            return;
        }
        cancelTimer(); // the registration deadline
        String id = candidate.id();
        if (failure != null) {
            sendError(ErrorCode.CLUSTER_UNAVAILABLE, "the id directory cannot be reached; try again", null);
            closeWith(CloseCode.INTERNAL_ERROR, "directory unavailable");
            return;
        }
        if (!registered) {
            sendError(ErrorCode.ID_TAKEN, "client id " + id + " is already in use", null);
            log.info("refuse remote={} client={} code=id_taken", remote, id);
            closeWith(CloseCode.ID_TAKEN, "id taken");
            return;
        }
        session = candidate;
        phase = Phase.ADMITTED;
        if (authenticated) {
            link.send(ControlFrames.of(new Message.AuthSuccess(candidate.username(), id)));
        }
        link.send(ControlFrames.of(new Message.YourId(
                id,
                settings.iceServers().apply(id),
                settings.pingInterval().toMillis(),
                settings.pingTimeout().toMillis())));
        if (log.isInfoEnabled()) {
            log.info("admit client={} scope={} user={} remote={}", id, scope(), candidate.username(), remote);
        }
        if (room != null) {
            whenDone(settings.hub().join(session), this::onJoinResult);
        }
        keepalive.heard(transport.nanoTime());
        scheduleWake();
    }

    private void onJoinResult(JoinResult result, Throwable failure) {
        if (phase != Phase.ADMITTED) {
            return;
        }
        if (failure != null) {
            log.warn("join client={} failed", clientId(), failure);
            onRefusal(JoinResult.unavailable(), null); // a hub answers its refusals; this is a bug's safety net
            return;
        }
        switch (result) {
            case JoinResult.Joined joined -> {}
            case Refusal refusal -> onRefusal(refusal, null);
        }
    }

    /** The hub can no longer keep this session (any thread): refuse and close on this connection's thread. */
    private void evictedFromAnyThread(Refusal refusal) {
        try {
            transport.execute(() -> {
                if (phase == Phase.ADMITTED) {
                    onRefusal(refusal, null);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("eviction dropped client={}: the server is shutting down", clientId());
        }
    }

    /** Sends a hub's refusal as an error; closes when the session cannot go on. */
    private void onRefusal(Refusal refusal, String ref) {
        sendError(refusal.code(), refusal.message(), ref);
        if (refusal.closes()) {
            closeWith(refusal.close(), refusal.code().wireName());
        }
    }

    /**
     * Runs {@code then} with the outcome of {@code stage} on this connection's thread: at once when the
     * stage is already complete (the in-process hub), else when it completes (a cluster backplane).
     */
    private <T> void whenDone(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        if (f.isDone()) {
            T value = null;
            Throwable failure = null;
            try {
                value = f.join();
            } catch (CompletionException | CancellationException e) {
                failure = e.getCause() != null ? e.getCause() : e;
            }
            then.accept(value, failure);
        } else {
            stage.whenComplete((value, failure) -> transport.execute(() -> then.accept(value, failure)));
        }
    }

    // ---- admitted traffic ---------------------------------------------------------------------

    private void onAdmitted(FrameScanner frame, boolean valid, long arrived) {
        if (!valid) {
            sendError(frame.error, frame.errorMessage, null);
            return;
        }
        MessageType type = frame.messageType;
        if (type == null || !type.sentByClient()) {
            sendError(ErrorCode.UNKNOWN_TYPE, "unknown message type \"" + frame.type + "\"", frame.type);
            return;
        }
        switch (type) {
            case OFFER, ANSWER, CANDIDATE, ICE_CANDIDATE -> relay(type, frame, arrived);
            case PING -> link.send(ControlFrames.pong());
            case PONG -> {}
            case PAIR_REQUEST -> pair(frame);
            case UNPAIR -> settings.hub().unpair(session); // never acknowledged to the requester
            case AUTH_TOKEN -> sendError(ErrorCode.INVALID_MESSAGE, "already admitted", frame.type);
            default -> sendError(ErrorCode.UNKNOWN_TYPE, "unknown message type \"" + frame.type + "\"", frame.type);
        }
    }

    private void relay(MessageType type, FrameScanner frame, long arrived) {
        if (frame.toField == FrameScanner.Field.WRONG_TYPE) {
            sendError(ErrorCode.INVALID_MESSAGE, "field \"to\" of " + frame.type + " must be a string", frame.type);
            return;
        }
        Hub.RelayResult result = settings.hub().relay(session, frame.to, frame.stamped(transport.alloc(), session.stamp(), session.username() != null));
        switch (result) {
            case DELIVERED -> settings.observer().relayed(type, transport.nanoTime() - arrived);
            case DROPPED_SELF -> {}
            case TARGET_NOT_FOUND -> sendError(
                    ErrorCode.TARGET_NOT_FOUND,
                    session.inLobby() ? "\"to\" must name your paired peer" : "no client " + frame.to + " in room " + room,
                    frame.type);
            case NOT_PAIRED -> sendError(ErrorCode.NOT_PAIRED, "pair with a peer before sending " + frame.type, frame.type);
            case CLUSTER_UNAVAILABLE -> sendError(ErrorCode.CLUSTER_UNAVAILABLE,
                    "the receiver is on another node and the cluster backplane is unavailable", frame.type);
        }
    }

    private void pair(FrameScanner frame) {
        if (frame.targetIdField != FrameScanner.Field.STRING) {
            sendError(ErrorCode.INVALID_MESSAGE, "field \"target_id\" of pair_request must be a string", frame.type);
            return;
        }
        String ref = frame.type;
        whenDone(settings.hub().pair(session, frame.targetId), (result, failure) -> onPairResult(ref, result, failure));
    }

    private void onPairResult(String ref, PairResult result, Throwable failure) {
        if (phase != Phase.ADMITTED) {
            return;
        }
        if (failure != null) {
            log.warn("pair client={} failed", clientId(), failure);
            onRefusal(Pairing.unavailable(), ref);
            return;
        }
        switch (result) {
            case PairResult.Paired paired -> {}
            case PairResult.AlreadyPairedWithTarget same -> {}
            case Refusal refusal -> onRefusal(refusal, ref);
        }
    }

    // ---- keepalive and limits -----------------------------------------------------------------

    private void scheduleWake() {
        long delay = keepalive.nextWakeAt() - transport.nanoTime();
        cancelTimer = transport.schedule(this::wake, Math.max(0, delay));
    }

    private void wake() {
        if (phase != Phase.ADMITTED) {
            return;
        }
        long now = transport.nanoTime();
        switch (keepalive.wake(now)) {
            case CLOSE -> {
                log.info("timeout client={} silent_ms={}", clientId(), keepalive.silentFor(now) / 1_000_000);
                settings.observer().keepaliveTimedOut(clientId());
                closeWith(CloseCode.KEEPALIVE_TIMEOUT, "no frame for " + settings.pingTimeout().toMillis() + " ms");
                return;
            }
            case PING -> link.send(ControlFrames.ping());
            case NOTHING -> {}
        }
        scheduleWake();
    }

    /** Applies the rate limit to one frame; false when the frame must not be processed. */
    private boolean admitLimited(long now, String ref) {
        if (settings.rateLimitPerSecond() <= 0) {
            return true;
        }
        if (rateLimiter == null) { // the first frame: the bucket starts full now, as it would have at open
            rateLimiter = new RateLimiter(settings.rateLimitPerSecond(), settings.rateLimitBurst(), ConnectionSettings.RATE_LIMIT_STRIKES, now);
        }
        switch (rateLimiter.onFrame(now)) {
            case ACCEPT -> {
                rateLimitedStreak = false;
                return true;
            }
            case REFUSE -> {
                if (!rateLimitedStreak) {
                    log.info("refuse client={} code=rate_limited", clientId());
                    rateLimitedStreak = true;
                }
                sendError(ErrorCode.RATE_LIMITED, "too many messages; slow down", ref);
                return false;
            }
            default -> {
                log.info("refuse client={} reason=rate-limit-persisted", clientId());
                settings.observer().throttled(clientId());
                sendError(ErrorCode.RATE_LIMITED, "too many messages for too long", ref);
                closeWith(CloseCode.RATE_LIMITED, "rate limit");
                return false;
            }
        }
    }

    private void sendError(ErrorCode code, String message, String ref) {
        settings.observer().errorSent(code);
        if (code != ErrorCode.RATE_LIMITED) {
            log.info("refuse client={} code={} ref={}", clientId(), code.wireName(), ref);
        }
        link.send(ControlFrames.error(code, message, ref));
    }

    /** Closes with {@code code} and cleans up now (the transport's later {@link #onClosed} is then a no-op for the hub). */
    private void closeWith(CloseCode code, String reason) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        closedWithCode = code.code();
        cancelTimer();
        link.close(code, reason);
        if (session != null) {
            settings.hub().depart(session);
        }
    }

    private void cancelTimer() {
        if (cancelTimer != null) {
            cancelTimer.run();
            cancelTimer = null;
        }
    }

    private String clientId() {
        return session != null ? session.id() : "-";
    }

    private String scope() {
        return room == null ? "lobby" : "room:" + room;
    }
}
