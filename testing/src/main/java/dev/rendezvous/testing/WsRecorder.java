package dev.rendezvous.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.protocol.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket client (the JDK's {@link java.net.http.WebSocket}) that records every event on a
 * blocking queue for a test to assert on, in order, each wait bounded by a deadline.
 *
 * <pre>{@code
 * WsRecorder alice = WsRecorder.connect(server.lobbyUri());
 * String id = alice.next(Message.YourId.class).id();
 * alice.send(new Message.PairRequest(bobId));
 * alice.next(Message.Paired.class);
 * alice.assertNoMoreMessages();
 * }</pre>
 */
public final class WsRecorder implements AutoCloseable {
    /** Default deadline of every wait. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Default quiet period of {@link #assertNoMoreMessages()}. */
    public static final Duration QUIET = Duration.ofMillis(200);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the client saw. */
    public sealed interface Event {
        record Text(String text) implements Event {}

        record Binary(byte[] bytes) implements Event {}

        record Closed(int code, String reason) implements Event {}

        record Failed(Throwable error) implements Event {}
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final URI uri;
    private volatile WebSocket socket;
    private volatile boolean closed;
    private volatile String id;

    private WsRecorder(URI uri) {
        this.uri = uri;
    }

    /** Connects and waits for the upgrade; fails the test if it is refused. */
    public static WsRecorder connect(URI uri) {
        try {
            return connectAsync(uri).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("WebSocket connect to " + uri + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("WebSocket connect to " + uri + " timed out", e);
        }
    }

    /** Starts connecting; the future completes once the upgrade is done. */
    public static CompletableFuture<WsRecorder> connectAsync(URI uri) {
        WsRecorder r = new WsRecorder(uri);
        return HTTP.newWebSocketBuilder()
                .connectTimeout(TIMEOUT)
                .buildAsync(uri, r.new Listener())
                .thenApply(ws -> {
                    r.socket = ws;
                    return r;
                });
    }

    /** Connects and reads {@code your_id} (auth off); returns the recorder with {@link #id()} set. */
    public static WsRecorder admitted(URI uri) {
        WsRecorder r = connect(uri);
        r.id = r.next(Message.YourId.class).id();
        return r;
    }

    /** The HTTP status of a refused upgrade to {@code uri} (fails if the upgrade succeeds). */
    public static int refusedUpgradeStatus(URI uri) {
        try {
            WebSocket ws = HTTP.newWebSocketBuilder()
                    .buildAsync(uri, new WebSocket.Listener() {})
                    .join();
            ws.abort();
            throw new AssertionError("the upgrade to " + uri + " succeeded");
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw new AssertionError("unexpected failure " + e.getCause(), e.getCause());
        }
    }

    public URI uri() {
        return uri;
    }

    /** The id from {@code your_id}, once {@link #admitted} or {@link #rememberId} saw it. */
    public String id() {
        return id;
    }

    /** Records the client's id (after reading {@code your_id} by hand). */
    public WsRecorder rememberId(String clientId) {
        this.id = clientId;
        return this;
    }

    // ---- sending ------------------------------------------------------------------------------

    public WsRecorder send(Message message) {
        return sendText(MessageCodec.encode(message));
    }

    /** Asks to pair with {@code peer} (both admitted lobby clients) and reads {@code paired} on both. */
    public void pairWith(WsRecorder peer) {
        send(new Message.PairRequest(peer.id()));
        next(Message.Paired.class);
        peer.next(Message.Paired.class);
    }

    public WsRecorder sendText(String text) {
        await(socket.sendText(text, true));
        return this;
    }

    public WsRecorder sendBinary(byte[] bytes) {
        await(socket.sendBinary(ByteBuffer.wrap(bytes), true));
        return this;
    }

    /** Starts a clean close with {@code code}. */
    public void close(int code, String reason) {
        if (!socket.isOutputClosed()) {
            await(socket.sendClose(code, reason));
        }
    }

    /** Drops the TCP connection without a close frame. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }

    private static void await(CompletableFuture<WebSocket> f) {
        try {
            f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("send failed: " + e, e);
        }
    }

    // ---- receiving ----------------------------------------------------------------------------

    /** The next event, or an assertion failure after {@code timeout}. */
    public Event nextEvent(Duration timeout) {
        try {
            Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new AssertionError("nothing received within " + timeout.toMillis() + " ms on " + uri);
            }
            return e;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ie);
        }
    }

    /** The raw text of the next frame (fails on anything else). */
    public String nextText() {
        Event e = nextEvent(TIMEOUT);
        if (e instanceof Event.Text t) {
            return t.text();
        }
        throw new AssertionError("expected a text frame, got " + e);
    }

    /** The next frame parsed as a JSON tree. */
    public JsonNode nextJson() {
        String text = nextText();
        try {
            return JSON.readTree(text);
        } catch (Exception ex) {
            throw new AssertionError("not JSON: " + text, ex);
        }
    }

    /** The next frame decoded as a message. */
    public Message next() {
        String text = nextText();
        try {
            return MessageCodec.decode(text);
        } catch (ProtocolException ex) {
            throw new AssertionError("undecodable frame " + text + ": " + ex.getMessage(), ex);
        }
    }

    /** The next frame, which must be a message of {@code type}. */
    public <T extends Message> T next(Class<T> type) {
        Message m = next();
        assertThat(m).as("next message on %s", uri).isInstanceOf(type);
        return type.cast(m);
    }

    /** The next frame, which must be an error with {@code code}. */
    public Message.Error nextError(ErrorCode code) {
        Message.Error e = next(Message.Error.class);
        assertThat(e.code()).as("error %s", e).isEqualTo(code);
        return e;
    }

    /** Skips other messages (e.g. pings) until one of {@code type} arrives. */
    public <T extends Message> T await(Class<T> type) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Event e = nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (e instanceof Event.Text t) {
                try {
                    Message m = MessageCodec.decode(t.text());
                    if (type.isInstance(m)) {
                        return type.cast(m);
                    }
                } catch (ProtocolException ex) {
                    throw new AssertionError("undecodable frame " + t.text(), ex);
                }
            } else {
                throw new AssertionError("expected " + type.getSimpleName() + ", got " + e);
            }
        }
    }

    /** Skips messages until the connection closes; returns the close code (1006 when dropped). */
    public int awaitClose() {
        return awaitClose(TIMEOUT);
    }

    public int awaitClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event e = nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (e instanceof Event.Closed c) {
                return c.code();
            }
            if (e instanceof Event.Failed) {
                return 1006;
            }
        }
    }

    /** Asserts nothing arrives within {@link #QUIET}; prefer {@link #assertNothingBeforePong()} where it applies. */
    public void assertNoMoreMessages() {
        assertNoMoreMessages(QUIET);
    }

    /**
     * Asserts that nothing was sent to this client before now, with a barrier instead of a quiet window:
     * sends {@code ping} and asserts that the very next frame is the {@code pong}. The server writes a
     * connection's frames in the order it sends them, so every frame sent before it read the ping comes
     * first. For frames another client causes, run this on that client first (its pong proves its frame was
     * handled). Only for an admitted, open connection.
     */
    public void assertNothingBeforePong() {
        send(new Message.Ping());
        assertThat(next()).as("the next frame on %s after our ping", uri).isEqualTo(new Message.Pong());
    }

    /**
     * {@link #assertNothingBeforePong()} on each client in the order given: list a client whose frames the
     * others could receive before them.
     */
    public static void assertNothingBeforePongOnEach(WsRecorder... clients) {
        for (WsRecorder c : clients) {
            c.assertNothingBeforePong();
        }
    }

    /** Asserts nothing arrives within {@code quiet} (for connections that cannot answer a ping). */
    public void assertNoMoreMessages(Duration quiet) {
        try {
            Event e = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            if (e != null) {
                throw new AssertionError("unexpected " + e + " on " + uri);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ie);
        }
    }

    /** Whether the connection closed (either way). */
    public boolean isClosed() {
        return closed;
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(new Event.Text(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
            joined.put(binary).put(data).flip();
            binary = joined;
            if (last) {
                byte[] bytes = new byte[binary.remaining()];
                binary.get(bytes);
                events.add(new Event.Binary(bytes));
                binary = ByteBuffer.allocate(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = true;
            events.add(new Event.Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
            events.add(new Event.Failed(error));
        }
    }
}
