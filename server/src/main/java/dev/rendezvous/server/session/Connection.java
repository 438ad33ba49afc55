package dev.rendezvous.server.session;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.MessageType;
import dev.rendezvous.server.admin.SessionSnapshot;
import dev.rendezvous.server.hub.ControlFrames;
import dev.rendezvous.server.hub.Echo;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.hub.Link;
import dev.rendezvous.server.hub.Refusal;
import dev.rendezvous.server.hub.Session;
import dev.rendezvous.server.logging.LogBudget;
import dev.rendezvous.server.logging.LogText;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Why one file of ~500 lines: it is the state of one connection (phase, session, timer, limiter) and
// the only place that changes it; the behaviour per concern already lives in the stateless handlers it
// dispatches to (AdmissionHandler, RelayHandler, PairingHandler, RoomHandler, KeepaliveHandler,
// RateLimitHandler). Moving state out would cost an object per connection per concern (see below).
/**
 * The protocol state machine of one WebSocket connection: its phase, its session, and the dispatch of
 * every inbound frame — {@link FrameScanner} reads a frame into an {@link Inbound} kind and an exhaustive
 * {@code switch} hands it to the handler of its concern: {@link AdmissionHandler}, {@link RelayHandler},
 * {@link PairingHandler}, {@link RoomHandler}, {@link KeepaliveHandler}, with {@link RateLimitHandler} in
 * front of them all. Transport-independent: frames come in through the {@code on…} methods, frames go out
 * through the {@link Link}, time and timers through the {@link Transport}.
 *
 * <p>The handlers are stateless (a connection's state lives here, so an idle connection costs one
 * object, not one per concern) and reach it through the package-private methods below.
 *
 * <p>Confined to one thread (the channel's event loop); only {@link Hub} calls cross threads.
 */
public final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /** Client ids and room names: 1–64 characters of {@code [A-Za-z0-9._-]}. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    enum Phase {
        /** A {@code resume=1} connection waits for its {@code resume} frame (v1.1). */
        AWAITING_RESUME,
        AWAITING_TOKEN,
        AUTHENTICATING,
        /** The id is being claimed in the hub's directory (at once in-process; a round trip in a cluster). */
        REGISTERING,
        ADMITTED,
        CLOSED
    }

    final ConnectionSettings settings;
    /**
     * Where this connection's frames go: the transport ({@link #wire}), or once a resumable session is
     * admitted or resumed here, its {@link ResumableLink}, which counts and keeps them (v1.1).
     */
    Link link;
    /** The transport end of this connection. */
    final Link wire;
    /** The client asked for a resumable session ({@code resumable=1}). */
    final boolean resumableAsked;
    /** The client asked to resume a session ({@code resume=1}). */
    final boolean resumeAsked;
    /** The resumable session this connection admitted or resumed, or null (v1 sessions: the hot path checks only this). */
    ResumableLink resumable;
    /**
     * v1.1 in a cluster: this connection asked another node for its session ({@code resume} of a session
     * held elsewhere) and, once resumed, carries it there; null otherwise (the hot path checks only this).
     */
    ClientTunnel tunnel;
    /** This connection is the owner's end of a tunnel from another node: not a socket of this node (no connection metrics). */
    private boolean tunnelEnd;
    /** The client sent a close frame: the session ends at once, resumable or not. */
    private boolean clientClosed;

    final Transport transport;
    /** The room of a {@code /ws/{room}} connection, or null for the lobby. */
    final String room;
    /** The {@code client_id} query parameter (already validated), or null. */
    final String requestedId;
    /** The admitting token's {@code exp} (TURN credentials last no longer), or null: auth off or no expiry. */
    java.time.Instant tokenExpiresAt;
    /** The {@code username} query parameter, or null. */
    final String queryUsername;
    /** The peer address, only for logs: formatted when a line is written, not per connection. */
    final Object remote;

    final Keepalive keepalive;
    /** Created at the first inbound frame: an idle connection never needs one. */
    private RateLimitHandler rateLimit;
    /** The close code when this server closed the connection, for the departure log line; 0 when the client did. */
    private int closedWithCode;

    private Phase phase = Phase.AWAITING_TOKEN;
    /** {@link #open} ran: a connection whose upgrade failed never counted as open, so it never closes either. */
    private boolean opened;

    private Session session;
    /** Cancels the one pending timer (auth deadline, registration deadline or keepalive wake-up), or null. */
    private Runnable cancelTimer;

    public Connection(ConnectionSettings settings, Link link, Transport transport, ConnectRequest request) {
        this.settings = settings;
        this.link = link;
        this.wire = link;
        this.transport = transport;
        // Held as fields of their own, not as the record: an idle connection costs one object.
        this.room = request.room();
        this.requestedId = request.requestedId();
        this.queryUsername = request.username();
        this.remote = request.remote();
        this.resumableAsked = request.resumable();
        this.resumeAsked = request.resume();
        this.keepalive = new Keepalive(
                settings.pingInterval().toNanos(), settings.pingTimeout().toNanos(), transport.nanoTime());
    }

    /** The admitted session, or null before admission. */
    public Session session() {
        return session;
    }

    /**
     * This connection for the admin view, with the transport's counters; on this connection's thread.
     * Before admission the id and name are the requested ones (null when none was asked for).
     */
    public SessionSnapshot snapshot(
            long connectedAtMillis, long framesIn, long framesOut, long bytesIn, long bytesOut) {
        Session s = session;
        return new SessionSnapshot(
                s != null
                        ? s.id()
                        : tunnel != null ? tunnel.id() : requestedId, // a tunnel: the session is on another node
                s != null ? s.username() : queryUsername,
                room,
                s != null ? s.peerId() : null,
                phase.name().toLowerCase(Locale.ROOT),
                connectedAtMillis,
                framesIn,
                framesOut,
                bytesIn,
                bytesOut,
                remote instanceof InetSocketAddress a && a.getAddress() != null
                        ? a.getAddress().getHostAddress() + ":" + a.getPort()
                        : String.valueOf(remote),
                SessionSnapshot.V1);
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
        if (resumeAsked && settings.resumeOn()) {
            ResumeHandler.open(this);
        } else {
            AdmissionHandler.open(this);
        }
    }

    /**
     * The owner's end of a tunnel (v1.1 cluster): opened without connection metrics (the socket is counted
     * on the client's node), waiting for the resume the caller runs next.
     */
    void openTunnelEnd() {
        opened = true;
        tunnelEnd = true;
        phase = Phase.AWAITING_RESUME;
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
        if (tunnel != null) {
            tunnel.text(utf8, length); // the session is on another node: it reads, counts and answers there
            return;
        }
        if (resumable != null && !resumable.countInbound(wire)) {
            return; // the session was resumed on another connection: this one is closing (4009)
        }
        if (phase == Phase.AWAITING_RESUME) {
            ResumeHandler.onFrame(this, utf8, length);
            return;
        }
        FrameScanner scanner = FrameScanner.forThisThread();
        Inbound frame = scanner.scan(utf8, length);
        if (!admitLimited(now, frame, length)) {
            return;
        }
        switch (phase) {
            case AWAITING_RESUME -> {} // handled above
            case AWAITING_TOKEN -> AdmissionHandler.onFrame(this, frame);
            case AUTHENTICATING, REGISTERING -> {} // admission is on its way; frames before it are ignored
            case ADMITTED -> dispatch(frame, scanner, now);
            case CLOSED -> {}
        }
    }

    /** One frame of an admitted client, to the handler of its kind; {@code scanner} still holds its bytes. */
    private void dispatch(Inbound frame, FrameScanner scanner, long arrived) {
        switch (frame) {
            case Inbound.Relay r -> RelayHandler.relay(this, r.type(), null, scanner, arrived);
            case Inbound.RelayTo r -> RelayHandler.relay(this, r.type(), r.to(), scanner, arrived);
            case Inbound.PairRequest p -> PairingHandler.pair(this, p);
            case Inbound.Unpair u -> PairingHandler.unpair(this);
            case Inbound.Ping p -> KeepaliveHandler.onPing(this);
            case Inbound.Pong p -> {} // liveness, already counted
            case Inbound.AuthToken a -> sendError(ErrorCode.INVALID_MESSAGE, "already admitted", Inbound.ref(a));
            case Inbound.Malformed m
            when m.type() == MessageType.AUTH_TOKEN ->
                sendError(ErrorCode.INVALID_MESSAGE, "already admitted", Inbound.ref(m));
            case Inbound.Malformed m -> sendError(ErrorCode.INVALID_MESSAGE, m.reason(), Inbound.ref(m));
            case Inbound.Unknown u ->
                sendError(ErrorCode.UNKNOWN_TYPE, "unknown message type \"" + Echo.prefix(u.type()) + "\"", u.type());
            case Inbound.Invalid i -> sendError(i.code(), i.reason(), null);
        }
    }

    /** A WebSocket-level pong arrived: liveness only (a client cannot make the server answer a pong). */
    public void onControlFrame() {
        keepalive.heard(transport.nanoTime());
    }

    /**
     * A WebSocket-level ping arrived: liveness, and a frame like any other for the rate limit — its pong
     * is output the client made the server queue. True when the pong may be sent; a ping over the limit
     * is not answered (no error text either: that would be more output), and a client that keeps pinging
     * over it is closed with 4029 like a text flooder.
     */
    public boolean onPing() {
        long now = transport.nanoTime();
        if (phase == Phase.CLOSED) {
            return false;
        }
        keepalive.heard(now);
        if (!settings.rateLimited()) {
            return true;
        }
        if (rateLimit == null) {
            rateLimit = new RateLimitHandler(settings, now);
        }
        return rateLimit.admitControl(this, now);
    }

    /** A binary frame arrived: refused, the session carries on. */
    public void onBinary() {
        long now = transport.nanoTime();
        if (phase == Phase.CLOSED) {
            return;
        }
        keepalive.heard(now);
        if (tunnel != null) {
            tunnel.binary();
            return;
        }
        if (!admitLimited(now, null, 0)) { // a binary message's bytes are skipped, never kept or relayed
            return;
        }
        if (phase == Phase.AWAITING_RESUME) {
            ResumeHandler.notAResume(
                    this, "the first frame on a resume=1 connection must be a resume message (a text frame)", null);
            return;
        }
        if (phase == Phase.AWAITING_TOKEN) { // like any other frame before admission
            AdmissionHandler.refuse(
                    this, ErrorCode.AUTH_FAILED, "authenticate first: send auth_token in a text frame", null);
            return;
        }
        sendError(ErrorCode.BINARY_NOT_SUPPORTED, "binary frames are not supported; send JSON text frames", null);
    }

    /** A frame over the size limit arrived: error, then close 1009. */
    public void onTooLarge(int limit) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (tunnel != null) {
            tunnel.tooLarge(limit);
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
        if (LogBudget.CLIENTS.tryLine()) {
            log.info("refuse client={} reason=slow-consumer", clientId());
        }
        settings.observer().throttled(clientId());
        closeWith(CloseCode.RATE_LIMITED, "client is not reading");
    }

    /** The client sent a close frame (any code): a resumable session ends with this connection, as in v1. */
    public void onCloseFrame() {
        clientClosed = true;
    }

    /** The transport closed (any reason): clean up, exactly once. */
    public void onClosed() {
        if (!opened) {
            phase = Phase.CLOSED; // the upgrade failed: nothing was counted, logged or registered
            return;
        }
        phase = Phase.CLOSED;
        cancelTimer();
        endSession(!clientClosed);
        if (!tunnelEnd) {
            settings.observer().connectionClosed();
        }
        if (closedWithCode == 0) {
            log.info("disconnect client={} remote={} by=client", clientId(), remote);
        } else {
            log.info("disconnect client={} remote={} by=server code={}", clientId(), remote, closedWithCode);
        }
    }

    // ---- what the handlers share ------------------------------------------------------------------

    Phase phase() {
        return phase;
    }

    void phase(Phase next) {
        phase = next;
    }

    /** The registration succeeded: {@code admitted} is this connection's session from now on. */
    void admitted(Session admitted) {
        session = admitted;
        phase = Phase.ADMITTED;
    }

    /** The hub can no longer keep this session (any thread): refuse and close on this connection's thread. */
    void evictedFromAnyThread(Refusal refusal) {
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
    void onRefusal(Refusal refusal, String ref) {
        sendError(refusal.code(), refusal.message(), ref);
        if (refusal.closes()) {
            closeWith(refusal.close(), refusal.code().wireName());
        }
    }

    /** Applies the rate limits to one frame ({@code frame} null: a binary frame); false when it must not be processed. */
    private boolean admitLimited(long now, Inbound frame, int bytes) {
        if (!settings.rateLimited()) {
            return true;
        }
        if (rateLimit == null) { // the first frame: the bucket starts full now, as it would have at open
            rateLimit = new RateLimitHandler(settings, now);
        }
        return rateLimit.admit(this, now, frame, bytes);
    }

    /** Runs {@code task} on this connection's thread after {@code delayNanos}, as the one pending timer. */
    void schedule(Runnable task, long delayNanos) {
        cancelTimer = transport.schedule(task, delayNanos);
    }

    /** The pending timer fired: there is nothing left to cancel. */
    void timerFired() {
        cancelTimer = null;
    }

    void cancelTimer() {
        if (cancelTimer != null) {
            cancelTimer.run();
            cancelTimer = null;
        }
    }

    /**
     * Runs {@code then} with the outcome of {@code stage} on this connection's thread: at once when the
     * stage is already complete (the in-process hub), else when it completes (a cluster backplane).
     */
    <T> void whenDone(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
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

    void sendError(ErrorCode code, String message, String ref) {
        settings.observer().errorSent(code);
        if (code != ErrorCode.RATE_LIMITED && log.isInfoEnabled() && LogBudget.CLIENTS.tryLine()) {
            log.info("refuse client={} code={} ref={}", clientId(), code.wireName(), LogText.of(ref));
        }
        link.send(ControlFrames.error(code, message, Echo.prefix(ref))); // a ref is client input: echo a prefix only
    }

    /** Closes with {@code code} and cleans up now (the transport's later {@link #onClosed} is then a no-op for the hub). */
    void closeWith(CloseCode code, String reason) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        closedWithCode = code.code();
        cancelTimer();
        wire.close(code, reason);
        endSession(code == CloseCode.KEEPALIVE_TIMEOUT); // v1.1: a keepalive timeout detaches a resumable session
    }

    /**
     * This connection ended: the session departs, or, when resumable and {@code detachable}, stays in the
     * hub detached for the resume grace. A connection that no longer carries its session does nothing.
     */
    private void endSession(boolean detachable) {
        if (tunnel != null) {
            tunnel.ended(detachable); // the owner node detaches or departs the session
            return;
        }
        if (session == null) {
            return;
        }
        if (resumable == null) {
            settings.hub().depart(session);
        } else {
            resumable.connectionEnded(wire, detachable, transport);
        }
    }

    /** The session was resumed on this connection: it carries the session from now on. */
    void resumed(ResumableLink resumed) {
        resumable = resumed;
        session = resumed.session();
        link = resumed;
        phase = Phase.ADMITTED;
        KeepaliveHandler.start(this);
    }

    /** Admission of a resumable session: frames go through {@code carrier} from now on. */
    void carriedBy(ResumableLink carrier) {
        resumable = carrier;
        link = carrier;
    }

    /** The session was resumed on another connection (any thread); its link already closed this one with 4009. */
    void supersededFromAnyThread() {
        try {
            transport.execute(() -> {
                if (phase != Phase.CLOSED) {
                    phase = Phase.CLOSED;
                    closedWithCode = CloseCode.RESUMED_ELSEWHERE.code();
                    cancelTimer();
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("superseded connection dropped client={}: the server is shutting down", clientId());
        }
    }

    String clientId() {
        if (session == null && tunnel != null) {
            return tunnel.id();
        }
        return session != null ? session.id() : "-";
    }

    String scope() {
        return room == null ? "lobby" : "room:" + room;
    }
}
