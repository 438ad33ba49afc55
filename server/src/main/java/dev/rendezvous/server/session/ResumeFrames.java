package dev.rendezvous.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The frames and the secret of resume (v1.1): {@code your_id} with {@code resume_token} and
 * {@code resume_grace_ms}, {@code resumed}, the reading of a {@code resume} frame, and fresh tokens.
 * Off the hot path (once per admission or resume), so plain Jackson is fine here.
 *
 * <p>Stateless and thread-safe.
 */
final class ResumeFrames {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 256 random bits: the contract asks for at least 128. */
    private static final int TOKEN_BYTES = 32;

    private ResumeFrames() {}

    /** A new resume token: base64url of 256 random bits, as US-ASCII bytes (compared as bytes, never logged). */
    static byte[] newToken() {
        byte[] raw = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encode(raw);
    }

    static ByteBuf yourId(Message.YourId yourId, byte[] token, long graceMillis) {
        ObjectNode n = MessageCodec.toJson(yourId);
        n.put("resume_token", new String(token, StandardCharsets.US_ASCII));
        n.put("resume_grace_ms", graceMillis);
        return encode(n);
    }

    static ByteBuf resumed(String id, long received, int replayed, byte[] token) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "resumed");
        n.put("id", id);
        n.put("received", received);
        n.put("replayed", replayed);
        n.put("resume_token", new String(token, StandardCharsets.US_ASCII));
        return encode(n);
    }

    private static ByteBuf encode(ObjectNode n) {
        try {
            return Unpooled.wrappedBuffer(JSON.writeValueAsBytes(n));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + n.get("type"), e);
        }
    }

    /** A {@code resume} frame's fields, or why the frame is not one. */
    sealed interface Request {
        record Resume(String id, byte[] token, long received) implements Request {}

        /** @param type the frame's {@code type} when it was a string (the error's {@code ref}), else null */
        record NotResume(String why, String type) implements Request {}
    }

    /** Reads the first frame of a {@code resume=1} connection. */
    static Request read(byte[] utf8, int length) {
        JsonNode n;
        try {
            n = JSON.readTree(utf8, 0, length);
        } catch (IOException e) {
            return new Request.NotResume(
                    "the first frame on a resume=1 connection must be a resume message (it is not valid JSON)", null);
        }
        String type = n != null && n.isObject() ? n.path("type").textValue() : null;
        if (!"resume".equals(type)) {
            return new Request.NotResume("the first frame on a resume=1 connection must be a resume message", type);
        }
        JsonNode id = n.get("id");
        JsonNode token = n.get("resume_token");
        JsonNode received = n.get("received");
        if (id == null
                || !id.isTextual()
                || token == null
                || !token.isTextual()
                || received == null
                || !received.canConvertToLong()
                || !received.isIntegralNumber()
                || received.asLong() < 0) {
            return new Request.NotResume(
                    "a resume message needs a string id, a string resume_token and an integer received >= 0", type);
        }
        return new Request.Resume(
                id.textValue(), token.textValue().getBytes(StandardCharsets.UTF_8), received.asLong());
    }
}
