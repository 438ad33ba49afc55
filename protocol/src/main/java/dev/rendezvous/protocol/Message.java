package dev.rendezvous.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One protocol-v1 message: a record per {@code type}. Fields are named as in Java; the codec maps
 * them to the wire names ({@code targetId} ↔ {@code target_id}). Optional fields are null when absent.
 *
 * <p>Switch over a message exhaustively:
 * <pre>{@code
 * switch (message) {
 *     case Message.YourId y -> ...
 *     case Message.Relay r -> ...   // offer, answer, candidate, ice_candidate
 *     ...
 * }
 * }</pre>
 */
public sealed interface Message {

    /** The wire type of this message. */
    MessageType type();

    // ---- admission ----------------------------------------------------------------------------

    /** Server → client, auth mode: the client must now send {@link AuthToken}. */
    record AuthRequired() implements Message {
        @Override
        public MessageType type() {
            return MessageType.AUTH_REQUIRED;
        }
    }

    /**
     * Client → server, auth mode: the bearer token (wire: {@code token}, {@code clientId}).
     *
     * @param clientId the requested id, or null for a server-made one
     */
    record AuthToken(String token, String clientId) implements Message {
        public AuthToken {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public MessageType type() {
            return MessageType.AUTH_TOKEN;
        }

        @Override
        public String toString() {
            return "AuthToken[token=<redacted>, clientId=" + clientId + "]"; // never log a token
        }
    }

    /** Server → client, auth mode: the token was accepted (wire: {@code user}, {@code client_id}). */
    record AuthSuccess(String user, String clientId) implements Message {
        @Override
        public MessageType type() {
            return MessageType.AUTH_SUCCESS;
        }
    }

    /**
     * Server → client: admission is complete (wire: {@code id}, {@code ice_servers},
     * {@code ping_interval_ms}, {@code ping_timeout_ms}).
     */
    record YourId(String id, List<IceServer> iceServers, long pingIntervalMs, long pingTimeoutMs) implements Message {
        public YourId {
            Objects.requireNonNull(id, "id");
            iceServers = List.copyOf(iceServers);
        }

        @Override
        public MessageType type() {
            return MessageType.YOUR_ID;
        }
    }

    // ---- lobby pairing ------------------------------------------------------------------------

    /** Client → server, lobby: pair with {@code targetId} (wire: {@code target_id}). */
    record PairRequest(String targetId) implements Message {
        public PairRequest {
            Objects.requireNonNull(targetId, "targetId");
        }

        @Override
        public MessageType type() {
            return MessageType.PAIR_REQUEST;
        }
    }

    /**
     * Server → both clients of a new pair (wire: {@code peer_id}, {@code initiator}). The initiator
     * creates the {@code chat} data channel and the offer.
     */
    record Paired(String peerId, boolean initiator) implements Message {
        @Override
        public MessageType type() {
            return MessageType.PAIRED;
        }
    }

    /** Client → server, lobby: end the current pairing; only the peer is told. */
    record Unpair() implements Message {
        @Override
        public MessageType type() {
            return MessageType.UNPAIR;
        }
    }

    /** Server → client, lobby: the peer left or unpaired (wire: {@code peer_id}). */
    record PeerDisconnected(String peerId) implements Message {
        @Override
        public MessageType type() {
            return MessageType.PEER_DISCONNECTED;
        }
    }

    // ---- room presence ------------------------------------------------------------------------

    /** A room member as presence messages describe it; {@code username} may be null. */
    record RoomUser(String clientId, String username) {}

    /** Server → joiner: the other members of the room, not the joiner itself. */
    record UsersInRoom(List<RoomUser> users) implements Message {
        public UsersInRoom {
            users = List.copyOf(users);
        }

        @Override
        public MessageType type() {
            return MessageType.USERS_IN_ROOM;
        }
    }

    /** Server → every other member: someone joined (wire: {@code client_id}, {@code username}). */
    record UserJoined(String clientId, String username) implements Message {
        @Override
        public MessageType type() {
            return MessageType.USER_JOINED;
        }
    }

    /** Server → every remaining member: someone left (wire: {@code client_id}, {@code username}). */
    record UserLeft(String clientId, String username) implements Message {
        @Override
        public MessageType type() {
            return MessageType.USER_LEFT;
        }
    }

    // ---- relay --------------------------------------------------------------------------------

    /**
     * The four relayed types. The server treats {@link #payload()} as opaque: every field other than
     * {@code type}, {@code to}, {@code from} and {@code username} travels unchanged.
     * {@code to} is set by a sender (null: the paired peer, or every room member); {@code from} and
     * {@code username} are stamped by the server on delivery.
     */
    sealed interface Relay extends Message permits Offer, Answer, Candidate, IceCandidate {
        /** The target id, or null. */
        String to();

        /** The sender's id as stamped by the server, or null on a message being sent. */
        String from();

        /** The sender's display name as stamped by the server, or null. */
        String username();

        /** The opaque fields; read-only. */
        ObjectNode payload();

        /** The same message addressed to {@code to}. */
        default Relay withTo(String to) {
            return of(type(), to, from(), username(), payload());
        }

        @Override
        default MessageType type() {
            return switch (this) {
                case Offer o -> MessageType.OFFER;
                case Answer a -> MessageType.ANSWER;
                case Candidate c -> MessageType.CANDIDATE;
                case IceCandidate c -> MessageType.ICE_CANDIDATE;
            };
        }

        /**
         * The relayed message of {@code type}: the one place that maps a relayed wire type to its record.
         *
         * @throws IllegalArgumentException if {@code type} is not one of the four relayed types
         */
        static Relay of(MessageType type, String to, String from, String username, ObjectNode payload) {
            return switch (type) {
                case OFFER -> new Offer(to, from, username, payload);
                case ANSWER -> new Answer(to, from, username, payload);
                case CANDIDATE -> new Candidate(to, from, username, payload);
                case ICE_CANDIDATE -> new IceCandidate(to, from, username, payload);
                default -> throw new IllegalArgumentException(type.wireName() + " is not a relayed type");
            };
        }

        /** {@code payload}, or an empty object for a message with no fields of its own. */
        private static ObjectNode orEmpty(ObjectNode payload) {
            return payload == null ? JsonNodeFactory.instance.objectNode() : payload;
        }

        /** The stage-dialect payload of an offer or answer: {@code {"sdp":".."}}. */
        private static ObjectNode sdpPayload(String sdp) {
            return JsonNodeFactory.instance.objectNode().put("sdp", sdp);
        }

        /** The payload of a trickled candidate: {@code {"candidate":{..}}}. */
        private static ObjectNode candidatePayload(IceCandidateInit candidate) {
            ObjectNode p = JsonNodeFactory.instance.objectNode();
            p.set("candidate", candidate.toJson());
            return p;
        }

        /**
         * The SDP of an offer or answer in either dialect: top-level {@code sdp} (stage dialect), or
         * {@code offer.sdp} / {@code answer.sdp} (seed-004 dialect); null if absent.
         */
        default String sdp() {
            JsonNode direct = payload().get("sdp");
            if (direct != null && direct.isTextual()) {
                return direct.textValue();
            }
            JsonNode nested = payload().get(type().wireName());
            if (nested != null && nested.isObject()) {
                JsonNode sdp = nested.get("sdp");
                return sdp != null && sdp.isTextual() ? sdp.textValue() : null;
            }
            return null;
        }

        /** The ICE candidate of a {@code candidate}/{@code ice_candidate} message, or null. */
        default IceCandidateInit candidate() {
            JsonNode c = payload().get("candidate");
            if (c == null || !c.isObject() || !c.path("candidate").isTextual()) {
                return null;
            }
            JsonNode mid = c.get("sdpMid");
            JsonNode index = c.get("sdpMLineIndex");
            return new IceCandidateInit(
                    c.get("candidate").textValue(),
                    mid != null && mid.isTextual() ? mid.textValue() : null,
                    index != null && index.canConvertToInt() ? index.intValue() : null);
        }
    }

    /**
     * An ICE candidate as the browser's {@code RTCIceCandidateInit} shapes it.
     *
     * @param sdpMid may be null
     * @param sdpMLineIndex may be null
     */
    record IceCandidateInit(String candidate, String sdpMid, Integer sdpMLineIndex) {
        ObjectNode toJson() {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("candidate", candidate);
            if (sdpMid != null) {
                n.put("sdpMid", sdpMid);
            }
            if (sdpMLineIndex != null) {
                n.put("sdpMLineIndex", sdpMLineIndex);
            }
            return n;
        }
    }

    /** An SDP offer. {@link #of(String)} builds the stage dialect {@code {"type":"offer","sdp":".."}}. */
    record Offer(String to, String from, String username, ObjectNode payload) implements Relay {
        public Offer {
            payload = Relay.orEmpty(payload);
        }

        /** A stage-dialect offer to the paired peer. */
        public static Offer of(String sdp) {
            return new Offer(null, null, null, Relay.sdpPayload(sdp));
        }
    }

    /** An SDP answer. {@link #of(String)} builds the stage dialect {@code {"type":"answer","sdp":".."}}. */
    record Answer(String to, String from, String username, ObjectNode payload) implements Relay {
        public Answer {
            payload = Relay.orEmpty(payload);
        }

        /** A stage-dialect answer to the paired peer. */
        public static Answer of(String sdp) {
            return new Answer(null, null, null, Relay.sdpPayload(sdp));
        }
    }

    /** A trickled ICE candidate, stage dialect: {@code {"type":"candidate","candidate":{..}}}. */
    record Candidate(String to, String from, String username, ObjectNode payload) implements Relay {
        public Candidate {
            payload = Relay.orEmpty(payload);
        }

        /** A stage-dialect candidate to the paired peer. */
        public static Candidate of(IceCandidateInit candidate) {
            return new Candidate(null, null, null, Relay.candidatePayload(candidate));
        }
    }

    /** A trickled ICE candidate, seed-004 dialect: {@code {"type":"ice_candidate","candidate":{..},"to":..}}. */
    record IceCandidate(String to, String from, String username, ObjectNode payload) implements Relay {
        public IceCandidate {
            payload = Relay.orEmpty(payload);
        }

        /** A seed-004-dialect candidate to {@code to} (null: the paired peer or the whole room). */
        public static IceCandidate of(IceCandidateInit candidate, String to) {
            return new IceCandidate(to, null, null, Relay.candidatePayload(candidate));
        }
    }

    // ---- keepalive and errors -----------------------------------------------------------------

    /** Either direction: are you there? The receiver answers {@link Pong}. */
    record Ping() implements Message {
        @Override
        public MessageType type() {
            return MessageType.PING;
        }
    }

    /** Either direction: the answer to {@link Ping}. */
    record Pong() implements Message {
        @Override
        public MessageType type() {
            return MessageType.PONG;
        }
    }

    /**
     * Server → client: a refusal or failure.
     *
     * @param message one human sentence
     * @param ref the {@code type} of the offending message when it was a string, else null
     */
    record Error(ErrorCode code, String message, String ref) implements Message {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public MessageType type() {
            return MessageType.ERROR;
        }
    }
}
