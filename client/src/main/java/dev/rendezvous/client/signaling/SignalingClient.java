package dev.rendezvous.client.signaling;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A protocol-v1 client over {@link java.net.http.WebSocket}.
 *
 * <p>Lifecycle: {@link #connect} → (auth mode: {@code auth_required} answered with the token) →
 * {@code your_id}, when the returned future completes → pairing or room events and relay →
 * {@link #close()} (graceful: close frame, wait briefly for the server's) or {@link #cancel()} (abrupt).
 * Server pings are answered with pongs here, never by the listener. Sends never throw: each returns a
 * future that fails if the frame could not be written; they are chained so that at most one is
 * outstanding, as the JDK WebSocket requires.
 */
public final class SignalingClient {
    private static final Logger log = LoggerFactory.getLogger(SignalingClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final SignalingOptions options;
    private final SignalingListener listener;
    private final CompletableFuture<String> admitted = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean closedOnce = new AtomicBoolean();
    private final Object sendLock = new Object();
    private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null); // guarded by sendLock
    private volatile WebSocket webSocket;
    private volatile HttpClient http;
    private volatile String id;
    private volatile List<IceServer> iceServers = List.of();
    private volatile String lastErrorCode;
    private volatile Thread dispatchThread; // the thread running a listener method, while it runs

    private SignalingClient(SignalingOptions options, SignalingListener listener) {
        this.options = options;
        this.listener = listener;
    }

    /**
     * Opens the connection. The future completes with the client once admitted ({@code your_id}), or
     * fails if the handshake fails or the server closes first (its error code in the message).
     */
    public static CompletableFuture<SignalingClient> connect(SignalingOptions options, SignalingListener listener) {
        SignalingClient client = new SignalingClient(options, listener);
        HttpClient http = HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
        client.http = http;
        http.newWebSocketBuilder()
                .connectTimeout(options.connectTimeout())
                .buildAsync(client.uri(), client.new Receiver())
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        client.admitted.completeExceptionally(error);
                        client.closed.complete(null);
                    } else {
                        client.webSocket = ws;
                    }
                });
        return client.admitted.thenApply(ignored -> client);
    }

    /** Our id, once admitted (else null). */
    public String id() {
        return id;
    }

    /** The ICE servers from {@code your_id}. */
    public List<IceServer> iceServers() {
        return iceServers;
    }

    public boolean isOpen() {
        return webSocket != null && !closed.isDone();
    }

    /** Completes once the connection is closed, however it ended. */
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
        return send(Message.Offer.of(sdp).withTo(to));
    }

    public CompletableFuture<Void> sendAnswer(String to, String sdp) {
        return send(Message.Answer.of(sdp).withTo(to));
    }

    /** Sends a candidate in the stage dialect ({@code {"type":"candidate","candidate":{..}}}). */
    public CompletableFuture<Void> sendCandidate(String to, String candidate, String sdpMid, int sdpMLineIndex) {
        return send(Message.Candidate.of(new Message.IceCandidateInit(candidate, sdpMid, sdpMLineIndex)).withTo(to));
    }

    /** Sends any message. Never throws; the future fails if it could not be written. */
    public CompletableFuture<Void> send(Message message) {
        return sendText(MessageCodec.encode(message));
    }

    /** Sends a raw text frame (for tests and foreign dialects). */
    public CompletableFuture<Void> sendText(String text) {
        WebSocket ws = webSocket;
        if (ws == null || ws.isOutputClosed()) {
            return CompletableFuture.failedFuture(new IllegalStateException("signaling connection is not open"));
        }
        synchronized (sendLock) {
            CompletableFuture<Void> sent = sendTail
                    .handle((ignored, previousError) -> null)
                    .thenCompose(ignored -> ws.sendText(text, true))
                    .thenApply(ignored -> (Void) null);
            sendTail = sent;
            return sent;
        }
    }

    /** Graceful close: a close frame (1000), then waits briefly for the server's before dropping the socket. */
    public void close() {
        WebSocket ws = webSocket;
        if (ws == null) {
            closed.complete(null);
            return;
        }
        CompletableFuture<Void> closeSent;
        synchronized (sendLock) {
            closeSent = sendTail.handle((ignored, previousError) -> null)
                    .thenCompose(ignored -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
                    .thenApply(ignored -> (Void) null);
            sendTail = closeSent;
        }
        if (Thread.currentThread() == dispatchThread) {
            // Called from a listener method: the server's close frame cannot be read while we wait here,
            // so let the handshake finish on its own, and drop the socket later if it never does.
            CompletableFuture.runAsync(() -> {
                ws.abort();
                finish(WebSocket.NORMAL_CLOSURE, "closed by client");
            }, CompletableFuture.delayedExecutor(2 * CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS));
            return;
        }
        try {
            closeSent.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
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

    /** Abrupt close: drops the TCP connection without a close frame. */
    public void cancel() {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
        finish(1006, "cancelled");
    }

    private URI uri() {
        List<String> query = new ArrayList<>();
        if (options.clientId() != null) {
            query.add("client_id=" + URLEncoder.encode(options.clientId(), StandardCharsets.UTF_8));
        }
        if (options.username() != null) {
            query.add("username=" + URLEncoder.encode(options.username(), StandardCharsets.UTF_8));
        }
        if (query.isEmpty()) {
            return options.server();
        }
        String base = options.server().toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + String.join("&", query));
    }

    private void finish(int code, String reason) {
        if (closedOnce.compareAndSet(false, true)) {
            if (!admitted.isDone()) {
                admitted.completeExceptionally(new IllegalStateException("closed before admission: "
                        + (lastErrorCode != null ? lastErrorCode : "") + " (" + code + " " + reason + ")"));
            }
            try {
                listener.onClosed(this, code, reason);
            } finally {
                closed.complete(null);
                HttpClient h = http;
                if (h != null) {
                    h.shutdown(); // non-blocking: lets its threads end once the socket is gone
                }
            }
        }
    }

    private void dispatch(String text) {
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
                    send(new Message.AuthToken(options.token(), options.clientId()));
                }
                listener.onAuthRequired(this);
            }
            case Message.AuthSuccess m -> listener.onAuthSuccess(this, m.user(), m.clientId());
            case Message.YourId m -> {
                id = m.id();
                iceServers = m.iceServers();
                listener.onId(this, m.id(), m.iceServers());
                admitted.complete(m.id());
            }
            case Message.Paired m -> listener.onPaired(this, m.peerId(), m.initiator());
            case Message.PeerDisconnected m -> listener.onPeerDisconnected(this, m.peerId());
            case Message.UsersInRoom m -> listener.onUsersInRoom(this, m.users());
            case Message.UserJoined m -> listener.onUserJoined(this, new Message.RoomUser(m.clientId(), m.username()));
            case Message.UserLeft m -> listener.onUserLeft(this, new Message.RoomUser(m.clientId(), m.username()));
            case Message.Offer m -> RelayReader.sdp(m.payload(), "offer")
                    .ifPresentOrElse(sdp -> listener.onOffer(this, m.from(), sdp), () -> unreadable(m));
            case Message.Answer m -> RelayReader.sdp(m.payload(), "answer")
                    .ifPresentOrElse(sdp -> listener.onAnswer(this, m.from(), sdp), () -> unreadable(m));
            case Message.Candidate m -> RelayReader.candidate(m.payload())
                    .ifPresent(c -> listener.onCandidate(this, m.from(), c));
            case Message.IceCandidate m -> RelayReader.candidate(m.payload())
                    .ifPresent(c -> listener.onCandidate(this, m.from(), c));
            case Message.Ping m -> send(new Message.Pong());
            case Message.Pong m -> {}
            case Message.Error m -> {
                lastErrorCode = m.code().wireName();
                listener.onError(this, m.code().wireName(), m.message(), m.ref());
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
            if (JSON.readTree(text) instanceof ObjectNode object && "error".equals(object.path("type").asText())) {
                lastErrorCode = object.path("code").asText("unknown");
                listener.onError(this, lastErrorCode, object.path("message").asText(""), object.path("ref").asText(null));
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

    /** The JDK WebSocket's listener; one call at a time, each followed by request(1). */
    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            webSocket = ws;
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                dispatchThread = Thread.currentThread();
                try {
                    dispatch(text);
                } catch (RuntimeException e) {
                    log.warn("signaling listener failed on a frame", e);
                } finally {
                    dispatchThread = null;
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1); // protocol v1 is text only
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            finish(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            try {
                listener.onFailure(SignalingClient.this, error);
            } finally {
                finish(1006, String.valueOf(error.getMessage()));
            }
        }
    }
}
