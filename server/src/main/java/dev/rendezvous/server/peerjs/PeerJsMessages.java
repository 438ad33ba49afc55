package dev.rendezvous.server.peerjs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The PeerJS wire messages the server writes. Server messages carry the members in peerjs-server's order:
 * {@code type, src, dst, payload}; absent members are left out, as {@code JSON.stringify} leaves out
 * {@code undefined}. A relayed client message is spliced from its bytes by {@link PeerJsScanner} (no tree,
 * the payload untouched); the server's own messages are few and written here, with Jackson.
 */
final class PeerJsMessages {
    static final ObjectMapper JSON = new ObjectMapper();

    static final String INVALID_KEY = "Invalid key provided";
    static final String INVALID_WS_PARAMETERS = "No id, token, or key supplied to websocket server";
    static final String CONNECTION_LIMIT_EXCEED = "Server has reached its concurrent user limit";
    /** Ours: peerjs-server takes any id; the client itself refuses ids outside this rule. */
    static final String INVALID_ID = "Invalid id provided";

    static final String ID_TAKEN_MSG = "ID is taken";

    private PeerJsMessages() {}

    static String open() {
        return "{\"type\":\"OPEN\"}";
    }

    static String error(String msg) {
        return withMsg("ERROR", msg);
    }

    static String idTaken() {
        return withMsg("ID-TAKEN", ID_TAKEN_MSG);
    }

    /** {@code {type, src, dst}}: a message the server itself sends (EXPIRE, LEAVE) for ids of any text. */
    static String relayed(String type, String src, String dst) {
        ObjectNode out = JSON.createObjectNode();
        out.put("type", type);
        out.put("src", src);
        out.put("dst", dst);
        return out.toString();
    }

    /** A sender's id as a JSON string: the value of {@code src} in each frame it sends, made once per client. */
    static byte[] srcValue(String id) {
        try {
            return JSON.writeValueAsBytes(id);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a String always serialises
        }
    }

    private static String withMsg(String type, String msg) {
        ObjectNode out = JSON.createObjectNode();
        out.put("type", type);
        out.putObject("payload").put("msg", msg);
        return out.toString();
    }
}
