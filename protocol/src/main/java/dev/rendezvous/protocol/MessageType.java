package dev.rendezvous.protocol;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Every {@code type} of protocol v1, with its wire name and who may send it. */
public enum MessageType {
    AUTH_REQUIRED(Sender.SERVER),
    AUTH_TOKEN(Sender.CLIENT),
    AUTH_SUCCESS(Sender.SERVER),
    YOUR_ID(Sender.SERVER),
    PAIR_REQUEST(Sender.CLIENT),
    PAIRED(Sender.SERVER),
    UNPAIR(Sender.CLIENT),
    PEER_DISCONNECTED(Sender.SERVER),
    USERS_IN_ROOM(Sender.SERVER),
    USER_JOINED(Sender.SERVER),
    USER_LEFT(Sender.SERVER),
    OFFER(Sender.BOTH),
    ANSWER(Sender.BOTH),
    CANDIDATE(Sender.BOTH),
    ICE_CANDIDATE(Sender.BOTH),
    PING(Sender.BOTH),
    PONG(Sender.BOTH),
    ERROR(Sender.SERVER);

    /** Who puts a message of this type on the wire. */
    public enum Sender {
        CLIENT,
        SERVER,
        BOTH
    }

    private static final Map<String, MessageType> BY_WIRE_NAME = new HashMap<>();

    static {
        for (MessageType t : values()) {
            BY_WIRE_NAME.put(t.wireName, t);
        }
    }

    private final String wireName = name().toLowerCase(Locale.ROOT);
    private final Sender sender;

    MessageType(Sender sender) {
        this.sender = sender;
    }

    /** The value of the {@code type} field. */
    public String wireName() {
        return wireName;
    }

    /** Whether a client may send this type to the server. */
    public boolean sentByClient() {
        return sender != Sender.SERVER;
    }

    /** Whether the server may send this type to a client. */
    public boolean sentByServer() {
        return sender != Sender.CLIENT;
    }

    /** Whether the server relays this type between clients with its payload opaque. */
    public boolean relayed() {
        return this == OFFER || this == ANSWER || this == CANDIDATE || this == ICE_CANDIDATE;
    }

    /** The type for a wire name, or null when unknown (a hot-path lookup: no Optional). */
    public static MessageType fromWire(String wireName) {
        return BY_WIRE_NAME.get(wireName);
    }
}
