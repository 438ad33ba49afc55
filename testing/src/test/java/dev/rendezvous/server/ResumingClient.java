package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.WsRecorder;
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

    /**
     * A resumable client admitted at {@code uri} whom {@code peer} (a v1 client) asks to pair with: both read
     * {@code paired}.
     */
    static ResumingClient pairedWith(WsRecorder peer, URI uri) throws IOException {
        ResumingClient c = admit(uri);
        peer.send(new Message.PairRequest(c.id));
        peer.next(Message.Paired.class);
        assertThat(c.next().get("type").asText()).isEqualTo("paired");
        return c;
    }

    /** Asks to pair with {@code other}, another resumable client: both read {@code paired}. */
    void pairWith(ResumingClient other) throws IOException {
        send("{\"type\":\"pair_request\",\"target_id\":\"" + other.id + "\"}");
        assertThat(next().get("type").asText()).isEqualTo("paired");
        assertThat(other.next().get("type").asText()).isEqualTo("paired");
    }

    /**
     * Sends frames numbered {@code from} … {@code from + count - 1} both ways, interleaved: each an
     * {@code offer} from {@code offerer} and an {@code answer} from {@code answerer}, the number as the sdp.
     */
    static void exchangeNumbered(ResumingClient offerer, ResumingClient answerer, int from, int count)
            throws IOException {
        for (int n = from; n < from + count; n++) {
            offerer.send("{\"type\":\"offer\",\"sdp\":\"" + n + "\"}");
            answerer.send("{\"type\":\"answer\",\"sdp\":\"" + n + "\"}");
        }
    }

    /**
     * Reads {@code type} frames numbered {@code from} … {@code upTo - 1}: any other number is a loss, a
     * duplicate or a reordering; so is any other frame.
     */
    int readInOrder(String type, int from, int upTo) throws IOException {
        return readInOrder(type, from, upTo, false);
    }

    /** As {@link #readInOrder(String, int, int)}, passing over the server's keepalive pings. */
    int readInOrderSkippingPings(String type, int from, int upTo) throws IOException {
        return readInOrder(type, from, upTo, true);
    }

    private int readInOrder(String type, int from, int upTo, boolean skipPings) throws IOException {
        int next = from;
        while (next < upTo) {
            JsonNode f = skipPings ? nextNotPing() : next();
            assertThat(f.get("type").asText()).isEqualTo(type);
            assertThat(f.get("sdp").asInt())
                    .as("frame number (0 lost, 0 duplicated, 0 reordered)")
                    .isEqualTo(next);
            next++;
        }
        return next;
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

    /**
     * Resumes at {@code uri} while the current connection is still open: the resume succeeds and the server
     * closes the old connection with 4009. Returns the old connection, for the test to close.
     */
    RawWebSocket resumeReplacingOpenConnection(URI uri) throws IOException {
        RawWebSocket old = ws;
        assertThat(resume(uri).get("type").asText()).isEqualTo("resumed");
        assertThat(old.awaitClose(java.time.Duration.ofSeconds(5))).isEqualTo(4009);
        return old;
    }

    /** A clean end: a close frame, so the session departs at once. */
    void closeCleanly() throws IOException {
        ws.closeCleanly();
        ws.close();
    }

    /** A clean end seen by {@code peer}, the v1 client paired with this one: it is told {@code peer_disconnected}. */
    void closeCleanlySeenBy(WsRecorder peer) throws IOException {
        closeCleanly();
        assertThat(peer.next(Message.PeerDisconnected.class).peerId()).isEqualTo(id);
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
