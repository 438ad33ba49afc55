package dev.rendezvous.protocol;

import java.util.Optional;

/** WebSocket close codes used by protocol v1. */
public enum CloseCode {
    /** The session ended normally. */
    NORMAL(1000),
    /** The server is shutting down. */
    GOING_AWAY(1001),
    /** A frame was larger than the server's size limit. */
    MESSAGE_TOO_LARGE(1009),
    /** The server hit an unexpected condition. */
    INTERNAL_ERROR(1011),
    /** Authentication failed, timed out, or the token may not join the room. */
    AUTH_FAILED(4001),
    /** The requested client id is already in use. */
    ID_TAKEN(4002),
    /** The client was silent for longer than the keepalive timeout. */
    KEEPALIVE_TIMEOUT(4008),
    /** The session was resumed on another connection (v1.1): this one is half-open and no longer its. */
    RESUMED_ELSEWHERE(4009),
    /** The client sent too fast for too long, or stopped reading what the server sends. */
    RATE_LIMITED(4029);

    private final int code;

    CloseCode(int code) {
        this.code = code;
    }

    /** The numeric close code sent in the WebSocket close frame. */
    public int code() {
        return code;
    }

    /** The constant for a numeric close code, if it is one of ours. */
    public static Optional<CloseCode> of(int code) {
        for (CloseCode c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
