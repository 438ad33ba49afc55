package dev.rendezvous.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Converts {@link Message}s to and from the JSON text of one WebSocket frame. Stateless and thread-safe.
 *
 * <pre>{@code
 * String frame = MessageCodec.encode(new Message.PairRequest("bob"));
 * Message m = MessageCodec.decode("{\"type\":\"paired\",\"peer_id\":\"bob\",\"initiator\":true}");
 * }</pre>
 *
 * <p>{@link #decode} applies protocol v1's validity rules: exactly one JSON value
 * ({@link ErrorCode#INVALID_JSON}), an object with a string {@code type} and correctly typed fields
 * ({@link ErrorCode#INVALID_MESSAGE}), a known type ({@link ErrorCode#UNKNOWN_TYPE}). It accepts
 * messages of both directions; unknown extra fields are ignored (relay payloads keep them all).
 */
public final class MessageCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // encodeUtf8 writes characters outside the BMP as UTF-8 (as encode's String does), not as escaped surrogate
            // pairs
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MessageCodec() {}

    /** The JSON text of {@code message}. */
    public static String encode(Message message) {
        try {
            return MAPPER.writeValueAsString(toJson(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.type(), e); // trees always encode
        }
    }

    /** The UTF-8 bytes of {@link #encode}'s text, without the intermediate {@code String} (frames the server sends). */
    public static byte[] encodeUtf8(Message message) {
        try {
            return MAPPER.writeValueAsBytes(toJson(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.type(), e); // trees always encode
        }
    }

    /** The message held in {@code text}, or a {@link ProtocolException} naming what is wrong. */
    public static Message decode(String text) throws ProtocolException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, "the frame is not a single JSON value", null);
        }
        if (root == null || root.isMissingNode()) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, "the frame is empty", null);
        }
        if (!(root instanceof ObjectNode object)) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "a message must be a JSON object", null);
        }
        return fromJson(object);
    }

    /** The message held in an already parsed JSON object (see {@link #decode}). */
    public static Message fromJson(ObjectNode object) throws ProtocolException {
        JsonNode typeNode = object.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "a message needs a string field \"type\"", null);
        }
        String wireType = typeNode.textValue();
        MessageType type = MessageType.fromWire(wireType);
        if (type == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown message type \"" + wireType + "\"", wireType);
        }
        Fields f = new Fields(object, wireType);
        return switch (type) {
            case AUTH_REQUIRED -> new Message.AuthRequired();
            case AUTH_TOKEN -> new Message.AuthToken(f.string("token"), f.optionalString("clientId"));
            case AUTH_SUCCESS -> new Message.AuthSuccess(f.optionalString("user"), f.string("client_id"));
            case YOUR_ID ->
                new Message.YourId(
                        f.string("id"),
                        f.iceServers(),
                        f.optionalLong("ping_interval_ms"),
                        f.optionalLong("ping_timeout_ms"));
            case PAIR_REQUEST -> new Message.PairRequest(f.string("target_id"));
            case PAIRED -> new Message.Paired(f.string("peer_id"), f.bool("initiator"));
            case UNPAIR -> new Message.Unpair();
            case PEER_DISCONNECTED -> new Message.PeerDisconnected(f.string("peer_id"));
            case USERS_IN_ROOM -> new Message.UsersInRoom(f.roomUsers());
            case USER_JOINED -> new Message.UserJoined(f.string("client_id"), f.optionalString("username"));
            case USER_LEFT -> new Message.UserLeft(f.string("client_id"), f.optionalString("username"));
            case OFFER, ANSWER, CANDIDATE, ICE_CANDIDATE ->
                Message.Relay.of(
                        type,
                        f.optionalString("to"),
                        f.optionalString("from"),
                        f.optionalString("username"),
                        payload(object));
            case PING -> new Message.Ping();
            case PONG -> new Message.Pong();
            case ERROR -> new Message.Error(f.errorCode(), f.stringOr("message", ""), f.optionalString("ref"));
        };
    }

    /** The JSON object of {@code message}, {@code type} first. */
    public static ObjectNode toJson(Message message) {
        ObjectNode n = NODES.objectNode();
        n.put("type", message.type().wireName());
        switch (message) {
            case Message.AuthRequired m -> {}
            case Message.AuthToken m -> {
                n.put("token", m.token());
                putIfPresent(n, "clientId", m.clientId());
            }
            case Message.AuthSuccess m -> {
                n.put("user", m.user());
                n.put("client_id", m.clientId());
            }
            case Message.YourId m -> {
                n.put("id", m.id());
                ArrayNode servers = n.putArray("ice_servers");
                for (IceServer s : m.iceServers()) {
                    ObjectNode entry = servers.addObject();
                    ArrayNode urls = entry.putArray("urls");
                    s.urls().forEach(urls::add);
                    putIfPresent(entry, "username", s.username());
                    putIfPresent(entry, "credential", s.credential());
                }
                n.put("ping_interval_ms", m.pingIntervalMs());
                n.put("ping_timeout_ms", m.pingTimeoutMs());
            }
            case Message.PairRequest m -> n.put("target_id", m.targetId());
            case Message.Paired m -> {
                n.put("peer_id", m.peerId());
                n.put("initiator", m.initiator());
            }
            case Message.Unpair m -> {}
            case Message.PeerDisconnected m -> n.put("peer_id", m.peerId());
            case Message.UsersInRoom m -> {
                ArrayNode users = n.putArray("users");
                for (Message.RoomUser u : m.users()) {
                    users.addObject().put("client_id", u.clientId()).put("username", u.username());
                }
            }
            case Message.UserJoined m -> n.put("client_id", m.clientId()).put("username", m.username());
            case Message.UserLeft m -> n.put("client_id", m.clientId()).put("username", m.username());
            case Message.Relay m -> {
                for (Iterator<Map.Entry<String, JsonNode>> it = m.payload().fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!isEnvelopeField(e.getKey())) {
                        n.set(e.getKey(), e.getValue());
                    }
                }
                putIfPresent(n, "to", m.to());
                putIfPresent(n, "from", m.from());
                putIfPresent(n, "username", m.username());
            }
            case Message.Ping m -> {}
            case Message.Pong m -> {}
            case Message.Error m -> {
                n.put("code", m.code().wireName());
                n.put("message", m.message());
                putIfPresent(n, "ref", m.ref());
            }
        }
        return n;
    }

    private static boolean isEnvelopeField(String name) {
        return name.equals("type") || name.equals("to") || name.equals("from") || name.equals("username");
    }

    private static ObjectNode payload(ObjectNode object) {
        ObjectNode p = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!isEnvelopeField(e.getKey())) {
                p.set(e.getKey(), e.getValue());
            }
        }
        return p;
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    /** Typed field access that reports the first missing or wrongly typed field. */
    private record Fields(ObjectNode object, String ref) {

        String string(String name) throws ProtocolException {
            JsonNode v = object.get(name);
            if (v == null || !v.isTextual()) {
                throw wrong(name, "a string");
            }
            return v.textValue();
        }

        String stringOr(String name, String fallback) throws ProtocolException {
            String v = optionalString(name);
            return v == null ? fallback : v;
        }

        String optionalString(String name) throws ProtocolException {
            JsonNode v = object.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw wrong(name, "a string");
            }
            return v.textValue();
        }

        boolean bool(String name) throws ProtocolException {
            JsonNode v = object.get(name);
            if (v == null || !v.isBoolean()) {
                throw wrong(name, "a boolean");
            }
            return v.booleanValue();
        }

        long optionalLong(String name) throws ProtocolException {
            JsonNode v = object.get(name);
            if (v == null || v.isNull()) {
                return 0;
            }
            if (!v.canConvertToLong() || !v.isIntegralNumber()) {
                throw wrong(name, "an integer");
            }
            return v.longValue();
        }

        ErrorCode errorCode() throws ProtocolException {
            String code = string("code");
            return ErrorCode.fromWire(code)
                    .orElseThrow(() -> new ProtocolException(
                            ErrorCode.INVALID_MESSAGE, "unknown error code \"" + code + "\"", ref));
        }

        List<IceServer> iceServers() throws ProtocolException {
            JsonNode v = object.get("ice_servers");
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw wrong("ice_servers", "an array");
            }
            List<IceServer> servers = new ArrayList<>();
            for (JsonNode entry : v) {
                if (!(entry instanceof ObjectNode entryObject)) {
                    throw wrong("ice_servers", "an array of objects");
                }
                Fields e = new Fields(entryObject, ref);
                JsonNode urls = entry.get("urls");
                List<String> list = new ArrayList<>();
                if (urls != null && urls.isTextual()) {
                    list.add(urls.textValue()); // RTCIceServer allows a single string
                } else if (urls != null && urls.isArray()) {
                    for (JsonNode u : urls) {
                        if (!u.isTextual()) {
                            throw wrong("ice_servers.urls", "strings");
                        }
                        list.add(u.textValue());
                    }
                } else {
                    throw wrong("ice_servers.urls", "a string or an array of strings");
                }
                servers.add(new IceServer(list, e.optionalString("username"), e.optionalString("credential")));
            }
            return servers;
        }

        List<Message.RoomUser> roomUsers() throws ProtocolException {
            JsonNode v = object.get("users");
            if (v == null || !v.isArray()) {
                throw wrong("users", "an array");
            }
            List<Message.RoomUser> users = new ArrayList<>();
            for (JsonNode entry : v) {
                if (!(entry instanceof ObjectNode entryObject)) {
                    throw wrong("users", "an array of objects");
                }
                Fields e = new Fields(entryObject, ref);
                users.add(new Message.RoomUser(e.string("client_id"), e.optionalString("username")));
            }
            return users;
        }

        private ProtocolException wrong(String name, String expected) {
            return new ProtocolException(
                    ErrorCode.INVALID_MESSAGE, "field \"" + name + "\" of " + ref + " must be " + expected, ref);
        }
    }
}
