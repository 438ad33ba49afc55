package dev.rendezvous.server.peerjs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The {@code type} of a PeerJS client message, as far as the server acts on it. */
enum PeerJsType {
    HEARTBEAT,
    OFFER,
    ANSWER,
    CANDIDATE,
    LEAVE,
    EXPIRE,
    /** Any other string: ignored, as peerjs-server ignores it (a PeerJS client takes every ERROR as fatal). */
    OTHER;

    private static final PeerJsType[] NAMED = Arrays.copyOf(values(), OTHER.ordinal());

    /** The wire name (the constant's name: PeerJS types are upper case). */
    final String wireName = name();

    private final byte[] ascii = wireName.getBytes(StandardCharsets.US_ASCII);

    /** The type named by the UTF-8 bytes {@code [from, to)} of an unescaped JSON string, without a String. */
    static PeerJsType of(byte[] utf8, int from, int to) {
        for (PeerJsType t : NAMED) {
            if (Arrays.equals(t.ascii, 0, t.ascii.length, utf8, from, to)) {
                return t;
            }
        }
        return OTHER;
    }

    /** The type named {@code name} (a decoded string). */
    static PeerJsType of(String name) {
        for (PeerJsType t : NAMED) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        return OTHER;
    }

    /** The server writes it with the sender stamped (OFFER, ANSWER, CANDIDATE, LEAVE, EXPIRE). */
    boolean relayed() {
        return this != HEARTBEAT && this != OTHER;
    }

    byte[] ascii() {
        return ascii;
    }
}
