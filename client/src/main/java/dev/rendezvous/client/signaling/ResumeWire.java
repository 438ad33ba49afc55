package dev.rendezvous.client.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The client's side of resume's frames (v1.1): the token in {@code your_id}, the {@code resume} frame, and
 * {@code resumed}. Off the hot path (once per admission or resume). Stateless and thread-safe.
 */
final class ResumeWire {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResumeWire() {}

    /** What {@code your_id} said about resume: its token (null: the server does not resume) and grace. */
    record Grant(String token, long graceMillis) {}

    /** A {@code resumed} frame's fields. */
    record Resumed(String id, long received, int replayed, String token) {}

    /** The resume grant of a {@code your_id} frame; a grant with a null token if there is none. */
    static Grant grant(String yourId) {
        if (!yourId.contains("resume_token")) {
            return new Grant(null, 0);
        }
        JsonNode n = parse(yourId);
        JsonNode token = n == null ? null : n.get("resume_token");
        return token != null && token.isTextual()
                ? new Grant(token.textValue(), n.path("resume_grace_ms").asLong(0))
                : new Grant(null, 0);
    }

    /** The {@code type} of a frame, or null when it is not a JSON object with a string type. */
    static String type(String text) {
        JsonNode n = parse(text);
        return n != null && n.isObject() ? n.path("type").textValue() : null;
    }

    /** A {@code resumed} frame, or null if {@code text} is not a well-formed one. */
    static Resumed resumed(String text) {
        JsonNode n = parse(text);
        if (n == null
                || !"resumed".equals(n.path("type").textValue())
                || !n.path("resume_token").isTextual()
                || !n.path("received").canConvertToLong()) {
            return null;
        }
        return new Resumed(
                n.path("id").asText(null),
                n.path("received").asLong(),
                n.path("replayed").asInt(0),
                n.path("resume_token").textValue());
    }

    static String resume(String id, String token, long received) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "resume");
        n.put("id", id);
        n.put("resume_token", token);
        n.put("received", received);
        return n.toString();
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }
}
