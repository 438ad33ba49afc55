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

    /**
     * The wire type of this message: the records name no type of their own, so the mapping stands here
     * once and the compiler checks it covers every record ({@link MessageType} maps back).
     */
    default MessageType type() {
        return switch (this) {
            case AuthRequired m -> MessageType.AUTH_REQUIRED;
            case AuthToken m -> MessageType.AUTH_TOKEN;
            case AuthSuccess m -> MessageType.AUTH_SUCCESS;
            case YourId m -> MessageType.YOUR_ID;
            case PairRequest m -> MessageType.PAIR_REQUEST;
            case Paired m -> MessageType.PAIRED;
            case Unpair m -> MessageType.UNPAIR;
            case PeerDisconnected m -> MessageType.PEER_DISCONNECTED;
            case UsersInRoom m -> MessageType.USERS_IN_ROOM;
            case UserJoined m -> MessageType.USER_JOINED;
            case UserLeft m -> MessageType.USER_LEFT;
            case Offer m -> MessageType.OFFER;
            case Answer m -> MessageType.ANSWER;
            case Candidate m -> MessageType.CANDIDATE;
            case IceCandidate m -> MessageType.ICE_CANDIDATE;
            case Ping m -> MessageType.PING;
            case Pong m -> MessageType.PONG;
            case Error m -> MessageType.ERROR;
        };
    }

    // ---- admission ----------------------------------------------------------------------------

    /** Server → client, auth mode: the client must now send {@link AuthToken}. */
    record AuthRequired() implements Message {}

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
        public String toString() {
            return "AuthToken[token=<redacted>, clientId=" + clientId + "]"; // never log a token
        }
    }

    /** Server → client, auth mode: the token was accepted (wire: {@code user}, {@code client_id}). */
    record AuthSuccess(String user, String clientId) implements Message {}

    /**
     * Server → client: admission is complete (wire: {@code id}, {@code ice_servers},
     * {@code ping_interval_ms}, {@code ping_timeout_ms}).
     */
    record YourId(String id, List<IceServer> iceServers, long pingIntervalMs, long pingTimeoutMs) implements Message {
        public YourId {
            Objects.requireNonNull(id, "id");
            iceServers = List.copyOf(iceServers);
        }
    }

    // ---- lobby pairing ------------------------------------------------------------------------

    /** Client → server, lobby: pair with {@code targetId} (wire: {@code target_id}). */
    record PairRequest(String targetId) implements Message {
        public PairRequest {
            Objects.requireNonNull(targetId, "targetId");
        }
    }

    /**
     * Server → both clients of a new pair (wire: {@code peer_id}, {@code initiator}). The initiator
     * creates the {@code chat} data channel and the offer.
     */
    record Paired(String peerId, boolean initiator) implements Message {}

    /** Client → server, lobby: end the current pairing; only the peer is told. */
    record Unpair() implements Message {}

    /** Server → client, lobby: the peer left or unpaired (wire: {@code peer_id}). */
    record PeerDisconnected(String peerId) implements Message {}

    // ---- room presence ------------------------------------------------------------------------

    /** A room member as presence messages describe it; {@code username} may be null. */
    record RoomUser(String clientId, String username) {}

    /** Server → joiner: the other members of the room, not the joiner itself. */
    record UsersInRoom(List<RoomUser> users) implements Message {
        public UsersInRoom {
            users = List.copyOf(users);
        }
    }

    /** Server → every other member: someone joined (wire: {@code client_id}, {@code username}). */
    record UserJoined(String clientId, String username) implements Message {}

    /** Server → every remaining member: someone left (wire: {@code client_id}, {@code username}). */
    record UserLeft(String clientId, String username) implements Message {}

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

        /**
         * The relay record of a relayed {@code type}: the one way the codec, {@link #withTo} and the
         * factories below build one.
         *
         * @param payload the opaque fields; null for none (an empty object)
         * @throws IllegalArgumentException when {@code type} is not {@linkplain MessageType#relayed() relayed}
         */
        static Relay of(MessageType type, String to, String from, String username, ObjectNode payload) {
            ObjectNode p = payload == null ? JsonNodeFactory.instance.objectNode() : payload;
            return switch (type) {
                case OFFER -> new Offer(to, from, username, p);
                case ANSWER -> new Answer(to, from, username, p);
                case CANDIDATE -> new Candidate(to, from, username, p);
                case ICE_CANDIDATE -> new IceCandidate(to, from, username, p);
                default -> throw new IllegalArgumentException(type.wireName() + " is not a relayed type");
            };
        }

        /** A stage-dialect offer to the paired peer: {@code {"type":"offer","sdp":".."}}. */
        static Relay offer(String sdp) {
            return of(MessageType.OFFER, null, null, null, sdpPayload(sdp));
        }

        /** A stage-dialect answer to the paired peer: {@code {"type":"answer","sdp":".."}}. */
        static Relay answer(String sdp) {
            return of(MessageType.ANSWER, null, null, null, sdpPayload(sdp));
        }

        /** A stage-dialect candidate to the paired peer. */
        static Relay candidate(IceCandidateInit candidate) {
            return of(MessageType.CANDIDATE, null, null, null, candidatePayload(candidate));
        }

        /** A seed-004-dialect candidate to {@code to} (null: the paired peer or the whole room). */
        static Relay iceCandidate(IceCandidateInit candidate, String to) {
            return of(MessageType.ICE_CANDIDATE, to, null, null, candidatePayload(candidate));
        }

        private static ObjectNode sdpPayload(String sdp) {
            return JsonNodeFactory.instance.objectNode().put("sdp", sdp);
        }

        /** The payload of either candidate dialect: {@code {"candidate":{..}}}. */
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

    /** An SDP offer; {@link Relay#offer(String)} builds the stage dialect {@code {"type":"offer","sdp":".."}}. */
    record Offer(String to, String from, String username, ObjectNode payload) implements Relay {}

    /** An SDP answer; {@link Relay#answer(String)} builds the stage dialect {@code {"type":"answer","sdp":".."}}. */
    record Answer(String to, String from, String username, ObjectNode payload) implements Relay {}

    /** A trickled ICE candidate, stage dialect: {@code {"type":"candidate","candidate":{..}}}. */
    record Candidate(String to, String from, String username, ObjectNode payload) implements Relay {}

    /** A trickled ICE candidate, seed-004 dialect: {@code {"type":"ice_candidate","candidate":{..},"to":..}}. */
    record IceCandidate(String to, String from, String username, ObjectNode payload) implements Relay {}

    // ---- keepalive and errors -----------------------------------------------------------------

    /** Either direction: are you there? The receiver answers {@link Pong}. */
    record Ping() implements Message {}

    /** Either direction: the answer to {@link Ping}. */
    record Pong() implements Message {}

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
    }
}
