package dev.rendezvous.server.peerjs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A raw PeerJS socket for tests: the query the {@code peerjs} client builds, and its messages as JSON. */
final class PeerJsWire {
    static final ObjectMapper JSON = new ObjectMapper();

    private PeerJsWire() {}

    static String query(String key, String id, String token) {
        StringBuilder q = new StringBuilder("/peerjs?");
        if (key != null) {
            q.append("key=")
                    .append(URLEncoder.encode(key, StandardCharsets.UTF_8))
                    .append('&');
        }
        if (id != null) {
            q.append("id=")
                    .append(URLEncoder.encode(id, StandardCharsets.UTF_8))
                    .append('&');
        }
        if (token != null) {
            q.append("token=")
                    .append(URLEncoder.encode(token, StandardCharsets.UTF_8))
                    .append('&');
        }
        return q.append("version=1.5.5").toString();
    }

    /** A connected socket that has read its {@code OPEN}. */
    static WsRecorder open(ServerExtension server, String id, String token) {
        WsRecorder ws = server.client(server.uri(query("peerjs", id, token)));
        assertThat(ws.nextText()).isEqualTo("{\"type\":\"OPEN\"}");
        return ws;
    }

    static void send(WsRecorder ws, String type, String dst, JsonNode payload) {
        ObjectNode m = JSON.createObjectNode().put("type", type);
        if (dst != null) {
            m.put("dst", dst);
        }
        if (payload != null) {
            m.set("payload", payload);
        }
        ws.sendText(m.toString());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    /**
     * A barrier: an OFFER to oneself comes back after every frame this socket sent before it was handled
     * (the server handles one socket's frames in order and writes one socket's frames in order).
     */
    static void barrier(WsRecorder ws, String ownId) {
        ws.sendText("{\"type\":\"OFFER\",\"dst\":\"" + ownId + "\",\"payload\":{\"barrier\":true}}");
        assertThat(json(ws.nextText()))
                .isEqualTo(json("{\"type\":\"OFFER\",\"src\":\"" + ownId + "\",\"dst\":\"" + ownId
                        + "\",\"payload\":{\"barrier\":true}}"));
    }
}
