package dev.rendezvous.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code code} of an {@link Message.Error}. Its wire name is the constant's name in snake_case
 * ({@link #INVALID_JSON} is {@code "invalid_json"}).
 */
public enum ErrorCode {
    /** The frame is not exactly one JSON value. */
    INVALID_JSON,
    /** Valid JSON, but not an object, or a field is missing or wrongly typed. */
    INVALID_MESSAGE,
    /** The {@code type} is not one a client may send. */
    UNKNOWN_TYPE,
    /** A binary frame was sent; only text frames are accepted. */
    BINARY_NOT_SUPPORTED,
    /** The client sends faster than its rate limit. */
    RATE_LIMITED,
    /** The frame is larger than the size limit; the connection closes with 1009. */
    MESSAGE_TOO_LARGE,
    /** The token was refused; the connection closes with 4001. */
    AUTH_FAILED,
    /** No token arrived within the auth timeout; the connection closes with 4001. */
    AUTH_TIMEOUT,
    /** The token may not join this room; the connection closes with 4001. */
    ROOM_FORBIDDEN,
    /** The requested id is in use; the connection closes with 4002. */
    ID_TAKEN,
    /** No lobby client has the requested id. */
    PEER_NOT_FOUND,
    /** The requested peer is already paired. */
    PEER_BUSY,
    /** The requester is already paired. */
    ALREADY_PAIRED,
    /** A client asked to pair with itself. */
    SELF_PAIR,
    /** The relay's {@code to} names no client reachable from the sender. */
    TARGET_NOT_FOUND,
    /** A lobby client relayed (or unpaired) without a peer. */
    NOT_PAIRED,
    /** A cluster operation could not reach the backplane. */
    CLUSTER_UNAVAILABLE,
    /** A {@code resume} could not bring the session back (v1.1); the connection goes on as a new one. */
    RESUME_FAILED,
    /** The server failed unexpectedly while handling the message. */
    INTERNAL_ERROR;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The snake_case name used on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The constant for a wire name, if known. */
    public static Optional<ErrorCode> fromWire(String wireName) {
        for (ErrorCode c : values()) {
            if (c.wireName.equals(wireName)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
