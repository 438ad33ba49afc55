package dev.rendezvous.client.signaling;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.protocol.ProtocolException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Why one file of ~830 lines: one lock guards one state machine (link, state, resume token, sent log,
// received count, watchdog) and every section below — writing, reading, resume, losing the connection —
// reads and moves that state under it, in an order the resume guarantees depend on (a frame is logged
// before it is written, counted before it is dispatched). Split into classes, that lock and that order
// would be shared across files. What has no part in it is already apart: the wire of resume
// (ResumeWire), the resend log (SentLog), relay payload reading (RelayReader), options and listener.
/**
 * A protocol-v1.1 client over {@link java.net.http.WebSocket}.
 *
 * <p>Lifecycle: {@link #connect} → (auth mode: {@code auth_required} answered with the token) →
 * {@code your_id}, when the returned future completes → pairing or room events and relay →
 * {@link #close()} (graceful: close frame, wait briefly for the server's) or {@link #cancel()} (abrupt).
 *
 * <p><b>Resume (v1.1).</b> Resumable by default ({@code resumable=1}; {@link SignalingOptions#withResumable}).
 * When the server grants it (a {@code resume_token} in {@code your_id}) and the connection is lost without a
 * close frame (reset, EOF, a keepalive close 4008, or no frame from the server for its ping interval plus
 * timeout), the client does not close: it tells the listener ({@link SignalingListener#onSignalingLost}),
 * reconnects with {@code resume=1} after a jittered exponential backoff ({@link SignalingListener#onResuming}
 * per attempt) and sends {@code resume} with its token and the number of frames it received. Frames sent
 * meanwhile wait (bounded) and go out, with any the server missed, in order after {@code resumed}
 * ({@link SignalingListener#onResumed}); each {@code resumed} brings the token for the next time. A
 * {@code resume_failed} means a fresh session: queued frames are refused, the connection is admitted anew,
 * and {@link SignalingListener#onResumeFailed} follows the new {@code your_id}. A close frame from the server
 * (any code but 4008), {@link #close()} or {@link #cancel()} end the client as in v1. Attempts go on until
 * one succeeds, fails with {@code resume_failed}, or the client is closed.
 * Server pings are answered with pongs here, never by the listener. Sends never throw: each returns a
 * future that fails if the frame could not be written; they are chained so that at most one is
 * outstanding, as the JDK WebSocket requires, and refused once too many wait (a server that stops reading).
 */
public final class SignalingClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);
    /** Reconnect and watchdog timers of every client: tiny tasks that only open a socket or post a check. */
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rendezvous-signaling-timer");
        t.setDaemon(true);
        return t;
    });
    /** Most frames waiting to be written; signaling is a few dozen frames per connection at most. */
    public static final int MAX_UNWRITTEN_FRAMES = 1024;
    /** Most characters waiting to be written (SDPs are a few KiB). */
    public static final long MAX_UNWRITTEN_CHARS = 4L * 1024 * 1024;

    private final SignalingOptions options;
    private final SignalingListener listener;
    private final CompletableFuture<String> admitted = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean closedOnce = new AtomicBoolean();
    /** Listener calls, one at a time across the old connection and the new one. */
    private final Object dispatchLock = new Object();
    /** Guards the fields below it. Never held while calling the listener. */
    private final Object lock = new Object();

    private Link link;
    private SignalingState state = SignalingState.CONNECTING;
    private String resumeToken; // never logged
    private SentLog sent; // non-null while the session may become or is resumable
    private long received; // frames received on the resumable session
    private boolean counting; // received frames are counted (after the token's your_id, or after resumed)
    private int attempt;
    private String resumeFailure; // why the last resume failed, reported after the new your_id
    private boolean closing; // close() or cancel() called: a lost connection is not resumed
    private ScheduledFuture<?> watchdog;
    private long silenceLimitNanos; // no frame for this long: the connection is dead (0: no watchdog)
    private volatile long lastFrameNanos;
    private volatile HttpClient http;
    private volatile String id;
    private volatile List<IceServer> iceServers = List.of();
    private volatile String lastErrorCode;
    private volatile Thread dispatchThread; // the thread running a listener method, while it runs

    private SignalingClient(SignalingOptions options, SignalingListener listener) {
        this.options = options;
        this.listener = listener;
        this.sent = options.resumable() ? new SentLog(MAX_UNWRITTEN_FRAMES, MAX_UNWRITTEN_CHARS) : null;
    }

    /**
     * Opens the connection. The future completes with the client once admitted ({@code your_id}), or
     * fails if the handshake fails or the server closes first (its error code in the message).
     */
    public static CompletableFuture<SignalingClient> connect(SignalingOptions options, SignalingListener listener) {
        SignalingClient client = new SignalingClient(options, listener);
        client.http =
                HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
        Link first = client.new Link(false);
        synchronized (client.lock) {
            client.link = first;
        }
        client.open(first, client.uri(false));
        return client.admitted.thenApply(ignored -> client);
    }

    private void open(Link l, URI target) {
        http.newWebSocketBuilder()
                .connectTimeout(options.connectTimeout())
                .buildAsync(target, l)
                .whenComplete((ws, error) -> {
                    if (error == null) {
                        l.ws = ws;
                    } else if (l.resuming) {
                        lost(l, 1006, "connect failed: " + rootMessage(error));
                    } else {
                        connectFailed(error);
                    }
                });
    }

    /** The handshake failed: ends like any other failure (onFailure, onClosed 1006, the HttpClient shut down). */
    private void connectFailed(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        admitted.completeExceptionally(cause); // the real reason, before finish's generic one
        try {
            synchronized (dispatchLock) {
                listener.onFailure(this, cause);
            }
        } finally {
            finish(1006, "connect failed: " + cause);
        }
    }

    /** Whether the HTTP client (and so its threads) has ended: after close, cancel or a failed connect. */
    boolean httpClientTerminated() {
        HttpClient h = http;
        return h == null || h.isTerminated();
    }

    /** Our id, once admitted (else null); a failed resume gives a new one. */
    public String id() {
        return id;
    }

    /** The ICE servers from {@code your_id}. */
    public List<IceServer> iceServers() {
        return iceServers;
    }

    public SignalingState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** Whether frames can be written now (a connection is up and not being resumed). */
    public boolean isOpen() {
        synchronized (lock) {
            return state != SignalingState.CLOSED
                    && state != SignalingState.RESUMING
                    && link != null
                    && link.ws != null;
        }
    }

    /** Whether the server granted resume for this session (a token in {@code your_id}). */
    public boolean isResumable() {
        synchronized (lock) {
            return resumeToken != null;
        }
    }

    /** Completes once the connection is closed for good, however it ended (not on a resumed blip). */
    public CompletableFuture<Void> closedFuture() {
        return closed.copy();
    }

    public CompletableFuture<Void> pairRequest(String targetId) {
        return send(new Message.PairRequest(targetId));
    }

    public CompletableFuture<Void> unpair() {
        return send(new Message.Unpair());
    }

    /** Sends an offer in the stage dialect ({@code {"type":"offer","sdp":..}}), to {@code to} if not null. */
    public CompletableFuture<Void> sendOffer(String to, String sdp) {
        return send(Message.Relay.offer(sdp).withTo(to));
    }

    public CompletableFuture<Void> sendAnswer(String to, String sdp) {
        return send(Message.Relay.answer(sdp).withTo(to));
    }

    /** Sends a candidate in the stage dialect ({@code {"type":"candidate","candidate":{..}}}). */
    public CompletableFuture<Void> sendCandidate(String to, String candidate, String sdpMid, int sdpMLineIndex) {
        return send(Message.Relay.candidate(new Message.IceCandidateInit(candidate, sdpMid, sdpMLineIndex))
                .withTo(to));
    }

    /** Sends any message. Never throws; the future fails if it could not be written. */
    public CompletableFuture<Void> send(Message message) {
        return sendText(MessageCodec.encode(message));
    }

    /**
     * Sends a raw text frame (for tests and foreign dialects). Refused at once (a failed future) when
     * {@link #MAX_UNWRITTEN_FRAMES} frames or {@link #MAX_UNWRITTEN_CHARS} characters are still waiting to
     * be written: a server that stops reading, or a connection being resumed for long, must not make
     * memory grow without bound. On a resumable session the future completes once the frame is written,
     * on this connection or, after a blip, on the resumed one; it fails if the resume fails.
     */
    public CompletableFuture<Void> sendText(String text) {
        synchronized (lock) {
            if (state == SignalingState.CLOSED) {
                return CompletableFuture.failedFuture(new IllegalStateException("signaling connection is not open"));
            }
            Link l = link;
            boolean writable = l != null
                    && l.ws != null
                    && !l.ws.isOutputClosed()
                    && (state == SignalingState.OPEN || (state == SignalingState.CONNECTING && !l.resuming));
            if (sent == null) {
                return writable
                        ? write(l, text)
                        : CompletableFuture.failedFuture(new IllegalStateException("signaling connection is not open"));
            }
            if (writable && l.backlogFull(text)) {
                return CompletableFuture.failedFuture(l.refuse());
            }
            SentLog.Entry e = sent.append(text);
            if (e == null) {
                log.warn(
                        "signaling send queue full ({} frames unwritten): refusing sends until the connection is back",
                        sent.unwrittenCount());
                return CompletableFuture.failedFuture(new SendBacklogFullException(sent.unwrittenCount(), -1));
            }
            if (writable) {
                writeEntry(l, e);
            }
            return e.future.copy();
        }
    }

    /** Frames not yet written to the socket (for tests and diagnostics). */
    int unwrittenFrames() {
        synchronized (lock) {
            return link == null ? 0 : link.unwrittenFrames;
        }
    }

    /** A send refused because too much is already waiting to be written (the server stopped reading). */
    public static final class SendBacklogFullException extends IllegalStateException {
        SendBacklogFullException(int frames, long chars) {
            super("signaling send backlog full (" + frames + " frames" + (chars >= 0 ? ", " + chars + " chars" : "")
                    + " unwritten): " + (chars >= 0 ? "the server is not reading" : "the connection is being resumed"));
        }
    }

    /** Graceful close: a close frame (1000), then waits briefly for the server's before dropping the socket. */
    @Override
    public void close() {
        WebSocket ws;
        Link l;
        synchronized (lock) {
            closing = true;
            l = link;
            ws = l == null || state == SignalingState.RESUMING ? null : l.ws;
            if (ws != null) {
                l.closeSent = l.sendTail
                        .handle((ignored, previousError) -> null)
                        .thenCompose(ignored -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
                        .thenApply(ignored -> (Void) null);
                l.sendTail = l.closeSent;
            }
        }
        if (ws == null) {
            if (l != null && l.ws != null) {
                l.ws.abort(); // a resume attempt in flight
            }
            finish(WebSocket.NORMAL_CLOSURE, "closed by client");
            return;
        }
        if (Thread.currentThread() == dispatchThread) {
            // Called from a listener method: the server's close frame cannot be read while we wait here,
            // so let the handshake finish on its own, and drop the socket later if it never does.
            CompletableFuture.runAsync(
                    () -> {
                        ws.abort();
                        finish(WebSocket.NORMAL_CLOSURE, "closed by client");
                    },
                    CompletableFuture.delayedExecutor(2 * CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS));
            return;
        }
        try {
            l.closeSent.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            closed.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception timeoutOrFailure) {
            log.debug("graceful close did not finish: {}", timeoutOrFailure.toString());
        } finally {
            ws.abort();
            finish(WebSocket.NORMAL_CLOSURE, "closed by client");
        }
    }

    /** Abrupt close: drops the TCP connection without a close frame; never resumed. */
    public void cancel() {
        WebSocket ws;
        synchronized (lock) {
            closing = true;
            ws = link == null ? null : link.ws;
        }
        if (ws != null) {
            ws.abort();
        }
        finish(1006, "cancelled");
    }

    /**
     * Drops the connection without a close frame, as a network failure would, and resumes (for tests and
     * for an application that knows its network changed). Does nothing unless the session is resumable and open.
     */
    public void dropConnection() {
        Link l;
        synchronized (lock) {
            l = link;
            if (l == null || l.ws == null || resumeToken == null || state != SignalingState.OPEN) {
                return;
            }
        }
        l.ws.abort();
        lost(l, 1006, "connection dropped by the application");
    }

    private URI uri(boolean resume) {
        List<String> query = new ArrayList<>();
        if (options.clientId() != null) {
            query.add("client_id=" + URLEncoder.encode(options.clientId(), StandardCharsets.UTF_8));
        }
        if (options.username() != null) {
            query.add("username=" + URLEncoder.encode(options.username(), StandardCharsets.UTF_8));
        }
        if (options.resumable()) {
            query.add("resumable=1");
        }
        if (resume) {
            query.add("resume=1");
        }
        if (query.isEmpty()) {
            return options.server();
        }
        String base = options.server().toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + String.join("&", query));
    }

    // ---- writing (under lock) --------------------------------------------------------------------

    /** Chains one frame on {@code l}'s writes; the JDK WebSocket allows one outstanding send. */
    private CompletableFuture<Void> write(Link l, String text) {
        if (l.backlogFull(text)) {
            return CompletableFuture.failedFuture(l.refuse());
        }
        l.unwrittenFrames++;
        l.unwrittenChars += text.length();
        WebSocket ws = l.ws;
        CompletableFuture<Void> written = l.sendTail
                .handle((ignored, previousError) -> null)
                .thenCompose(ignored -> ws.sendText(text, true))
                .thenApply(ignored -> (Void) null);
        l.sendTail = written;
        return written.whenComplete((ignored, error) -> {
            synchronized (lock) {
                l.unwrittenFrames--;
                l.unwrittenChars -= text.length();
            }
        });
    }

    /** Writes a logged frame; a failed write leaves it in the log for the resumed connection. */
    private void writeEntry(Link l, SentLog.Entry e) {
        SentLog log = sent;
        write(l, e.text).whenComplete((ignored, error) -> {
            if (error == null) {
                synchronized (lock) {
                    log.written(e);
                }
                e.future.complete(null);
            }
        });
    }

    /** Whether {@code l} still carries the session and its frames should be read. */
    private boolean current(Link l) {
        synchronized (lock) {
            return link == l && state != SignalingState.CLOSED;
        }
    }

    // ---- reading (on the link's thread) ----------------------------------------------------------

    private void onFrame(Link l, String text) {
        lastFrameNanos = System.nanoTime();
        if (l.resuming && !l.answered) {
            l.answered = true; // the first frame of a resume=1 connection: resumed or resume_failed
            if ("resumed".equals(ResumeWire.type(text))) {
                resumed(l, ResumeWire.resumed(text));
                return;
            }
            resumeRefused(l, text);
        }
        synchronized (lock) {
            if (counting) {
                received++;
            }
        }
        dispatch(l, text);
    }

    private void resumed(Link l, ResumeWire.Resumed r) {
        int resent;
        synchronized (lock) {
            if (r == null) {
                log.warn("ignoring a malformed resumed frame");
                return;
            }
            resumeToken = r.token();
            List<SentLog.Entry> rest = sent.resendAfter(r.received());
            if (rest == null) {
                // The server read fewer frames than we still hold, or more than we sent: cannot happen with a
                // conforming server within our bound; say so rather than pretend nothing was lost.
                log.warn(
                        "resumed with received={} but frames {}..{} are no longer held: some signals were lost",
                        r.received(),
                        r.received() + 1,
                        sent.lastSeq());
                rest = sent.unwrittenEntries();
            }
            state = SignalingState.OPEN;
            attempt = 0;
            counting = true;
            rest.forEach(e -> writeEntry(l, e));
            resent = rest.size();
            startWatchdog(l);
        }
        log.debug("resumed: {} frames replayed to us, {} resent", r.replayed(), resent);
        withListener(() -> listener.onResumed(this, r.replayed(), resent));
    }

    /** The server refused the resume: the session is gone, queued frames with it; admission follows. */
    private void resumeRefused(Link l, String text) {
        List<SentLog.Entry> dropped;
        synchronized (lock) {
            state = SignalingState.CONNECTING;
            counting = false;
            received = 0;
            resumeToken = null;
            dropped = sent.reset();
            attempt = 0;
        }
        String reason;
        try {
            reason = JSON.readTree(text).path("message").asText(text);
        } catch (Exception e) {
            reason = text;
        }
        synchronized (lock) {
            resumeFailure = reason;
        }
        IllegalStateException why = new IllegalStateException("resume failed: " + reason);
        dropped.forEach(e -> e.future.completeExceptionally(why));
        log.info("resume failed ({}): starting a fresh session", reason);
    }

    private void admittedWith(Link l, Message.YourId m, String text) {
        ResumeWire.Grant grant = ResumeWire.grant(text);
        String failure;
        synchronized (lock) {
            failure = resumeFailure;
            resumeFailure = null;
            state = SignalingState.OPEN;
            if (grant.token() != null && sent != null) {
                resumeToken = grant.token();
                received = 0;
                counting = true;
                long window = m.pingIntervalMs() + m.pingTimeoutMs();
                silenceLimitNanos = window > 0 ? TimeUnit.MILLISECONDS.toNanos(window + 1000) : 0;
                sent.unwrittenEntries().forEach(e -> writeEntry(l, e));
                startWatchdog(l);
            } else if (sent != null) {
                sent.unwrittenEntries().forEach(e -> writeEntry(l, e));
                sent = null; // the server does not resume: plain v1 from here on
            }
        }
        id = m.id();
        iceServers = m.iceServers();
        listener.onId(this, m.id(), m.iceServers());
        admitted.complete(m.id());
        if (failure != null) {
            listener.onResumeFailed(this, m.id(), failure);
        }
    }

    // ---- losing the connection -------------------------------------------------------------------

    /** The connection {@code l} ended: resume if we may, else finish. */
    private void lost(Link l, int code, String reason) {
        boolean resume;
        boolean first = false;
        synchronized (lock) {
            if (link != l || state == SignalingState.CLOSED || l.lost) {
                return;
            }
            l.lost = true;
            // Only a connection lost without a close frame (or closed by the keepalive) leaves a detached
            // session to resume; every other close the server decides ends the session. A failed attempt
            // (any code) just means another attempt.
            boolean detaches = code == 1006 || code == CloseCode.KEEPALIVE_TIMEOUT.code();
            resume = !closing && resumeToken != null && (detaches || state == SignalingState.RESUMING);
            if (resume) {
                first = state != SignalingState.RESUMING;
                state = SignalingState.RESUMING;
                counting = false;
                stopWatchdog();
                scheduleAttempt();
            }
        }
        if (!resume) {
            finish(code, reason);
        } else if (first) {
            log.info("signaling lost ({} {}): resuming", code, reason);
            withListener(() -> listener.onSignalingLost(this, code, reason));
        }
    }

    /** Under lock. */
    private void scheduleAttempt() {
        attempt++;
        int n = attempt;
        Duration delay = options.backoff().delay(n, ThreadLocalRandom.current()::nextDouble);
        TIMERS.schedule(() -> attemptResume(n), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void attemptResume(int n) {
        Link l = new Link(true);
        synchronized (lock) {
            if (state != SignalingState.RESUMING || closing) {
                return;
            }
            link = l;
        }
        withListener(() -> listener.onResuming(this, n));
        open(l, uri(true));
    }

    /** Under lock: watches {@code l} for silence longer than the server's ping window. */
    private void startWatchdog(Link l) {
        stopWatchdog();
        if (silenceLimitNanos <= 0) {
            return;
        }
        lastFrameNanos = System.nanoTime();
        long every = Math.max(100, TimeUnit.NANOSECONDS.toMillis(silenceLimitNanos) / 4);
        watchdog = TIMERS.scheduleWithFixedDelay(
                () -> {
                    if (System.nanoTime() - lastFrameNanos > silenceLimitNanos && l.ws != null) {
                        l.ws.abort();
                        lost(
                                l,
                                1006,
                                "no frame from the server for " + TimeUnit.NANOSECONDS.toMillis(silenceLimitNanos)
                                        + " ms (half-open connection)");
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
    }

    private void stopWatchdog() {
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
    }

    private void finish(int code, String reason) {
        if (closedOnce.compareAndSet(false, true)) {
            List<SentLog.Entry> dropped;
            synchronized (lock) {
                state = SignalingState.CLOSED;
                stopWatchdog();
                dropped = sent == null ? List.of() : sent.reset();
            }
            IllegalStateException why =
                    new IllegalStateException("signaling connection closed (" + code + " " + reason + ")");
            dropped.forEach(e -> e.future.completeExceptionally(why));
            if (!admitted.isDone()) {
                admitted.completeExceptionally(new IllegalStateException("closed before admission: "
                        + (lastErrorCode != null ? lastErrorCode : "") + " (" + code + " " + reason + ")"));
            }
            try {
                withListener(() -> listener.onClosed(this, code, reason));
            } finally {
                closed.complete(null);
                HttpClient h = http;
                if (h != null) {
                    h.shutdown(); // non-blocking: lets its threads end once the socket is gone
                }
            }
        }
    }

    private void withListener(Runnable call) {
        synchronized (dispatchLock) {
            Thread previous = dispatchThread;
            dispatchThread = Thread.currentThread();
            try {
                call.run();
            } catch (RuntimeException e) {
                log.warn("signaling listener failed", e);
            } finally {
                dispatchThread = previous;
            }
        }
    }

    private void dispatch(Link l, String text) {
        Message message;
        try {
            message = MessageCodec.decode(text);
        } catch (ProtocolException e) {
            dispatchUnreadable(text, e);
            return;
        }
        switch (message) {
            case Message.AuthRequired m -> {
                if (options.token() != null) {
                    synchronized (lock) {
                        // Not counted (the count starts after an accepted auth_token), never logged for resend.
                        write(l, MessageCodec.encode(new Message.AuthToken(options.token(), options.clientId())));
                    }
                }
                listener.onAuthRequired(this);
            }
            case Message.AuthSuccess m -> listener.onAuthSuccess(this, m.user(), m.clientId());
            case Message.YourId m -> admittedWith(l, m, text);
            case Message.Paired m -> listener.onPaired(this, m.peerId(), m.initiator());
            case Message.PeerDisconnected m -> listener.onPeerDisconnected(this, m.peerId());
            case Message.UsersInRoom m -> listener.onUsersInRoom(this, m.users());
            case Message.UserJoined m -> listener.onUserJoined(this, new Message.RoomUser(m.clientId(), m.username()));
            case Message.UserLeft m -> listener.onUserLeft(this, new Message.RoomUser(m.clientId(), m.username()));
            case Message.Offer m ->
                RelayReader.sdp(m.payload(), "offer")
                        .ifPresentOrElse(sdp -> listener.onOffer(this, m.from(), sdp), () -> unreadable(m));
            case Message.Answer m ->
                RelayReader.sdp(m.payload(), "answer")
                        .ifPresentOrElse(sdp -> listener.onAnswer(this, m.from(), sdp), () -> unreadable(m));
            case Message.Candidate m ->
                RelayReader.candidate(m.payload())
                        .ifPresentOrElse(c -> listener.onCandidate(this, m.from(), c), () -> noCandidate(m));
            case Message.IceCandidate m ->
                RelayReader.candidate(m.payload())
                        .ifPresentOrElse(c -> listener.onCandidate(this, m.from(), c), () -> noCandidate(m));
            case Message.Ping m -> send(new Message.Pong());
            case Message.Pong m -> {}
            case Message.Error m -> {
                lastErrorCode = m.code().wireName();
                if (m.code() != ErrorCode.RESUME_FAILED) { // reported as onResumeFailed after the new your_id
                    listener.onError(this, m.code().wireName(), m.message(), m.ref());
                }
            }
            // Client-to-server types never come from a server; ignore them if one echoes.
            case Message.AuthToken m -> {}
            case Message.PairRequest m -> {}
            case Message.Unpair m -> {}
        }
    }

    /** An error with a code newer than ours, or a frame we cannot type: report what we can. */
    private void dispatchUnreadable(String text, ProtocolException e) {
        try {
            if (JSON.readTree(text) instanceof ObjectNode object
                    && "error".equals(object.path("type").asText())) {
                lastErrorCode = object.path("code").asText("unknown");
                listener.onError(
                        this,
                        lastErrorCode,
                        object.path("message").asText(""),
                        object.path("ref").asText(null));
                return;
            }
        } catch (Exception ignored) {
            // Not JSON at all: fall through.
        }
        log.debug("ignoring an unreadable frame from the server: {}", e.getMessage());
    }

    private void unreadable(Message.Relay relay) {
        log.debug("ignoring a {} without an sdp from {}", relay.type().wireName(), relay.from());
    }

    /** End-of-candidates markers land here too, so DEBUG, not WARN; the payload says which it was. */
    private void noCandidate(Message.Relay relay) {
        log.debug(
                "ignoring a {} without a usable candidate line (end-of-candidates or unreadable) from {}: {}",
                relay.type().wireName(),
                relay.from(),
                relay.payload());
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }

    /** One WebSocket connection and the JDK's listener on it: one call at a time, each followed by request(1). */
    private final class Link implements WebSocket.Listener {
        final boolean resuming; // opened with resume=1
        private final TextParts parts = new TextParts();
        volatile WebSocket ws;
        boolean answered; // resume=1: the server's first frame was read (link's thread only)
        // guarded by lock:
        CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null);
        CompletableFuture<Void> closeSent;
        int unwrittenFrames;
        long unwrittenChars;
        boolean backlogWarned;
        boolean lost;

        Link(boolean resuming) {
            this.resuming = resuming;
        }

        /** Under lock. One frame larger than the whole allowance still goes when nothing else waits. */
        boolean backlogFull(String text) {
            boolean full = unwrittenFrames >= MAX_UNWRITTEN_FRAMES
                    || (unwrittenFrames > 0 && unwrittenChars + text.length() > MAX_UNWRITTEN_CHARS);
            if (!full) {
                backlogWarned = false;
            }
            return full;
        }

        /** Under lock. */
        SendBacklogFullException refuse() {
            if (!backlogWarned) {
                backlogWarned = true;
                log.warn(
                        "signaling send backlog full ({} frames, {} chars unwritten): the server is not reading;"
                                + " refusing sends until it drains",
                        unwrittenFrames,
                        unwrittenChars);
            }
            return new SendBacklogFullException(unwrittenFrames, unwrittenChars);
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            if (resuming) {
                synchronized (lock) {
                    if (link == this && state == SignalingState.RESUMING) {
                        write(this, ResumeWire.resume(id, resumeToken, received));
                    }
                }
            }
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String text = parts.add(data, last);
            if (text != null && current(this)) {
                withListener(() -> onFrame(this, text));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1); // protocol v1 is text only
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            lost(this, statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            boolean resumable;
            synchronized (lock) {
                resumable = resumeToken != null && !closing;
            }
            if (!resumable && current(this)) {
                withListener(() -> listener.onFailure(SignalingClient.this, error));
            }
            lost(this, 1006, String.valueOf(error.getMessage()));
        }
    }
}
