package dev.rendezvous.cli;

import dev.rendezvous.client.signaling.TextParts;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.protocol.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A protocol-v1 WebSocket for the doctor's admission and round-trip checks: every decoded message and
 * the close go onto one queue that the doctor's thread polls with a deadline. The JDK client's
 * listener thread only decodes and enqueues.
 */
final class DoctorSocket implements AutoCloseable {

    /** What arrived: a message, or the end of the connection. */
    sealed interface Event {
        record Received(Message message) implements Event {}

        record Undecodable(String text, String problem) implements Event {}

        record Closed(int code, String reason) implements Event {}

        record Failed(Throwable error) implements Event {}
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    private DoctorSocket(HttpClient http, URI uri, Duration timeout) throws Exception {
        try {
            socket = http.newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .buildAsync(uri, new Listener())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    static DoctorSocket open(HttpClient http, URI uri, Duration timeout) throws Exception {
        return new DoctorSocket(http, uri, timeout);
    }

    void send(Message message) {
        socket.sendText(MessageCodec.encode(message), true).join();
    }

    /** The next event, or null when none arrived before {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "doctor done").get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // The server went away first: nothing left to close politely.
            }
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final TextParts parts = new TextParts();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String text = parts.add(data, last);
            if (text != null) {
                try {
                    events.add(new Event.Received(MessageCodec.decode(text)));
                } catch (ProtocolException e) {
                    events.add(new Event.Undecodable(text, e.getMessage()));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add(new Event.Closed(statusCode, reason));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(new Event.Failed(error));
        }
    }
}
