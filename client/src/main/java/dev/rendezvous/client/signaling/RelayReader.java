package dev.rendezvous.client.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Reads relayed offers, answers and candidates liberally, whatever stack sent them: the stage dialect
 * ({@code {"sdp":".."}}, {@code {"candidate":{..}}}), the seed-004 dialect ({@code {"offer":{"type":..,"sdp":..}}}),
 * a description object under {@code sdp} or {@code description}, and a candidate given as a plain string
 * (with {@code sdpMid}/{@code sdpMLineIndex} beside it). An empty or null candidate is the
 * end-of-candidates marker and reads as empty.
 */
final class RelayReader {
    private RelayReader() {}

    /** The SDP of an offer or answer ({@code kind} is {@code "offer"} or {@code "answer"}). */
    static Optional<String> sdp(ObjectNode payload, String kind) {
        for (String field : new String[] {"sdp", kind, "description"}) {
            JsonNode node = payload.get(field);
            if (node == null) {
                continue;
            }
            if (node.isTextual() && field.equals("sdp")) {
                return Optional.of(node.textValue());
            }
            if (node.isObject() && node.path("sdp").isTextual()) {
                return Optional.of(node.get("sdp").textValue());
            }
        }
        return Optional.empty();
    }

    /** The candidate, or empty for end-of-candidates or an unreadable one. */
    static Optional<RemoteCandidate> candidate(ObjectNode payload) {
        JsonNode node = payload.get("candidate");
        if (node == null) {
            node = payload.get("ice");
        }
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        JsonNode holder = payload;
        String line;
        if (node.isTextual()) {
            line = node.textValue();
        } else if (node.isObject() && node.path("candidate").isTextual()) {
            holder = node;
            line = node.get("candidate").textValue();
        } else {
            return Optional.empty();
        }
        line = line.trim();
        if (line.startsWith("a=")) {
            line = line.substring(2);
        }
        if (line.isEmpty()) {
            return Optional.empty();
        }
        JsonNode mid = holder.get("sdpMid");
        JsonNode index = holder.get("sdpMLineIndex");
        return Optional.of(new RemoteCandidate(
                line,
                mid != null && mid.isTextual() ? mid.textValue() : "",
                index != null && index.canConvertToInt() ? index.intValue() : 0));
    }
}
