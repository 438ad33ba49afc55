package dev.rendezvous.cli.bench;

import io.netty.buffer.ByteBuf;

/**
 * The server frame types the load generator tells apart, each with the bytes such a frame starts with
 * ({@code {"type":"name"}: the server puts {@code type} first), so a frame is recognised without parsing it.
 */
enum FrameType {
    AUTH_REQUIRED("auth_required"),
    YOUR_ID("your_id"),
    PAIRED("paired"),
    USERS_IN_ROOM("users_in_room"),
    USER_JOINED("user_joined"),
    CANDIDATE("candidate"),
    PING("ping"),
    PONG("pong"),
    ERROR("error");

    private final byte[] start;

    FrameType(String wireName) {
        this.start = Frames.bytes("{\"type\":\"" + wireName + "\"");
    }

    /** Whether {@code frame} (not consumed) is of this type. */
    boolean of(ByteBuf frame) {
        return Frames.startsWith(frame, frame.readerIndex(), start);
    }
}
