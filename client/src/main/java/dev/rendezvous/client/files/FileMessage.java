package dev.rendezvous.client.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The text messages of the file protocol (binary messages are the chunks). Each is one JSON object with
 * a {@code type}; {@link #parse} reads one and says clearly what is wrong with a bad one.
 */
public sealed interface FileMessage {
    /** Longest text message either side accepts: metadata is small, a flood of it is refused early. */
    int MAX_TEXT_CHARS = 4096;

    /** Sender → receiver, first: what is coming. */
    record Meta(String name, long size, String sha256) implements FileMessage {}

    /** Receiver → sender: send from {@code offset} (the bytes of {@code name.part} it already has). */
    record Accept(long offset) implements FileMessage {}

    /** Receiver → sender: {@code bytes} of the file are on disk (flow control for the sender). */
    record Ack(long bytes) implements FileMessage {}

    /** Sender → receiver: every chunk has been sent. */
    record End() implements FileMessage {}

    /** Receiver → sender: the file is complete, hash verified, in place. */
    record Done(String sha256) implements FileMessage {}

    /** Either side: the transfer is refused or failed, and why; the channel closes after it. */
    record Refuse(String reason) implements FileMessage {}

    ObjectMapper JSON = new ObjectMapper();

    /** This message as one JSON object. */
    default String toJson() {
        ObjectNode node = JSON.createObjectNode();
        switch (this) {
            case Meta m ->
                node.put("type", "file")
                        .put("name", m.name())
                        .put("size", m.size())
                        .put("sha256", m.sha256());
            case Accept a -> node.put("type", "accept").put("offset", a.offset());
            case Ack a -> node.put("type", "ack").put("bytes", a.bytes());
            case End e -> node.put("type", "end");
            case Done d -> node.put("type", "done").put("sha256", d.sha256());
            case Refuse r -> node.put("type", "refuse").put("reason", r.reason());
        }
        return node.toString();
    }

    /**
     * Reads one text message.
     *
     * @throws IllegalArgumentException saying what is wrong (too long, not JSON, unknown type, a field
     *     missing or of the wrong kind)
     */
    static FileMessage parse(String text) {
        if (text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("message longer than " + MAX_TEXT_CHARS + " characters");
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a JSON message");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String type = node.path("type").asText("");
        return switch (type) {
            case "file" -> new Meta(text(node, "name"), count(node, "size"), sha256(node));
            case "accept" -> new Accept(count(node, "offset"));
            case "ack" -> new Ack(count(node, "bytes"));
            case "end" -> new End();
            case "done" -> new Done(sha256(node));
            case "refuse" -> new Refuse(node.path("reason").asText("no reason given"));
            default -> throw new IllegalArgumentException("unknown message type \"" + type + "\"");
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" missing or not a string");
        }
        return value.asText();
    }

    private static long count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new IllegalArgumentException("\"" + field + "\" missing or not a whole number >= 0");
        }
        return value.asLong();
    }

    private static String sha256(JsonNode node) {
        String hex = text(node, "sha256");
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("\"sha256\" is not 64 lower-case hex digits");
        }
        return hex;
    }
}
