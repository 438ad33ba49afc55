package dev.rendezvous.server.peerjs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The PeerJS wire messages, parsed and written with Jackson. Server messages carry the members in
 * peerjs-server's order: {@code type, src, dst, payload}; absent members are left out, as
 * {@code JSON.stringify} leaves out {@code undefined}.
 */
final class PeerJsMessages {
    /** Exact decimals and big integers: a payload's numbers leave as they came. */
    static final ObjectMapper JSON = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static final String INVALID_KEY = "Invalid key provided";
    static final String INVALID_WS_PARAMETERS = "No id, token, or key supplied to websocket server";
    static final String CONNECTION_LIMIT_EXCEED = "Server has reached its concurrent user limit";
    /** Ours: peerjs-server takes any id; the client itself refuses ids outside this rule. */
    static final String INVALID_ID = "Invalid id provided";

    static final String ID_TAKEN_MSG = "ID is taken";

    private PeerJsMessages() {}

    /** A message from a client: its type and the members the relay keeps. */
    record Inbound(String type, String dst, JsonNode payload) {}

    /** Parses a client frame; empty when it is not a JSON object with a string {@code type}. */
    static Optional<Inbound> parse(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            return Optional.empty();
        }
        JsonNode dst = node.get("dst");
        return Optional.of(new Inbound(
                node.get("type").textValue(),
                dst != null && dst.isTextual() ? dst.textValue() : null,
                node.get("payload")));
    }

    /** Who sent a message this server wrote ({@link #relayed}) and its type: read back when it comes from the hub. */
    record Header(String type, String src) {}

    /** The header of a message {@link #relayed} wrote; empty when it is not one. */
    static Optional<Header> header(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node != null
                    && node.path("type").isTextual()
                    && node.path("src").isTextual()) {
                return Optional.of(
                        new Header(node.get("type").textValue(), node.get("src").textValue()));
            }
        } catch (JsonProcessingException e) {
            // not ours: empty
        }
        return Optional.empty();
    }

    static String open() {
        return "{\"type\":\"OPEN\"}";
    }

    static String error(String msg) {
        return withMsg("ERROR", msg);
    }

    static String idTaken() {
        return withMsg("ID-TAKEN", ID_TAKEN_MSG);
    }

    /** {@code {type, src, dst[, payload]}}. */
    static String relayed(String type, String src, String dst, JsonNode payload) {
        ObjectNode out = JSON.createObjectNode();
        out.put("type", type);
        out.put("src", src);
        out.put("dst", dst);
        if (payload != null) {
            out.set("payload", payload);
        }
        return out.toString();
    }

    private static String withMsg(String type, String msg) {
        ObjectNode out = JSON.createObjectNode();
        out.put("type", type);
        out.putObject("payload").put("msg", msg);
        return out.toString();
    }
}
