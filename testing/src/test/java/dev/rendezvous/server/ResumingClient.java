package dev.rendezvous.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.testing.RawWebSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A resumable client as the contract describes it (v1.1), over raw sockets: it counts the text frames it
 * receives after the {@code your_id} carrying the token, logs every frame it sends after admission, and on
 * {@link #resume} sends {@code resume}, reads {@code resumed} and resends what the server did not read.
 * Test-thread only.
 */
final class ResumingClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private RawWebSocket ws;
    String id;
    String token;
    long graceMs;
    /** Text frames received after the first token's {@code your_id} ({@code resumed} not counted). */
    long received;
    /** Every frame sent after admission, in order: frame n is {@code sent.get(n - 1)}. */
    final List<String> sent = new ArrayList<>();

    private ResumingClient(RawWebSocket ws) {
        this.ws = ws;
    }

    /** Connects and reads {@code your_id} (auth off); fails when it carries no token. */
    static ResumingClient admit(URI uri) {
        try {
            ResumingClient c = new ResumingClient(RawWebSocket.connect(uri));
            c.readYourId(c.ws.readText());
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client that read {@code auth_success} on {@code ws}: reads {@code your_id} next. */
    static ResumingClient adopt(RawWebSocket ws) throws IOException {
        ResumingClient c = new ResumingClient(ws);
        c.readYourId(ws.readText());
        return c;
    }

    void readYourId(String text) {
        JsonNode yourId = parse(text);
        if (!"your_id".equals(yourId.path("type").asText()) || !yourId.hasNonNull("resume_token")) {
            throw new AssertionError("expected your_id with a resume_token, got " + text);
        }
        id = yourId.get("id").asText();
        token = yourId.get("resume_token").asText();
        graceMs = yourId.get("resume_grace_ms").asLong();
        received = 0;
        sent.clear();
    }

    RawWebSocket socket() {
        return ws;
    }

    /** The next text frame, counted. */
    JsonNode next() throws IOException {
        JsonNode n = parse(ws.readText());
        received++;
        return n;
    }

    /** The next frame that is not a server {@code ping} (pings are counted too). */
    JsonNode nextNotPing() throws IOException {
        while (true) {
            JsonNode n = next();
            if (!"ping".equals(n.path("type").asText())) {
                return n;
            }
        }
    }

    /** A frame sent on a connection that is already gone: it only joins the log, to be resent on resume. */
    void sendLost(String json) {
        sent.add(json);
    }

    void send(String json) throws IOException {
        sent.add(json);
        ws.sendText(json);
    }

    /**
     * Opens {@code uri} (which must carry {@code resume=1}), sends {@code resume} and returns the server's first
     * answer: on {@code resumed} the token is replaced and the frames the server did not read are resent.
     */
    JsonNode resume(URI uri) throws IOException {
        return resume(uri, token, received);
    }

    JsonNode resume(URI uri, String withToken, long withReceived) throws IOException {
        ws = RawWebSocket.connect(uri);
        ObjectNode frame = JSON.createObjectNode()
                .put("type", "resume")
                .put("id", id)
                .put("resume_token", withToken)
                .put("received", withReceived);
        ws.sendText(frame.toString());
        JsonNode answer = parse(ws.readText());
        if ("resumed".equals(answer.path("type").asText())) {
            token = answer.get("resume_token").asText();
            long serverRead = answer.get("received").asLong();
            for (int i = (int) serverRead; i < sent.size(); i++) {
                ws.sendText(sent.get(i));
            }
        }
        return answer;
    }

    /** A clean end: a close frame, so the session departs at once. */
    void closeCleanly() throws IOException {
        ws.sendFrame(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8}, true);
        ws.awaitClose(java.time.Duration.ofSeconds(5));
        ws.close();
    }

    void reset() throws IOException {
        ws.reset();
    }

    @Override
    public void close() throws IOException {
        ws.close();
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
