package dev.rendezvous.server.hub;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted (or being admitted) client as the hub knows it: its id, display name, scope (lobby or a
 * room) and transport {@link Link}.
 *
 * <p>Pairing state ({@link #peer}, {@link #departed}) is guarded by this session's monitor; the hub
 * takes the monitors of both sessions of a pair in id order. {@link #peer} is also volatile so the
 * relay path can read it without locking.
 */
public final class Session {
    private final String id;
    private final String username;
    private final String room;
    private final Link link;
    /** {@code "from":"<id>"} plus {@code ,"username":"<name>"} when known: spliced into relayed frames. */
    private final byte[] stamp;
    private final AtomicBoolean gone = new AtomicBoolean();

    volatile boolean registered;
    /** The paired peer in the lobby; guarded by this (written), volatile (read by relay). */
    volatile Session peer;
    /** Set once the session started leaving; guarded by this. Nobody may pair with it afterwards. */
    boolean departed;
    /**
     * The room this session joined, once joined: written under the room's monitor by {@link LocalHub#join},
     * read without a lock by {@link LocalHub#relay} and {@link LocalHub#depart}, which need not run on
     * the joining thread — hence volatile.
     */
    volatile LocalHub.Room joinedRoom;

    /**
     * @param id the admitted client id
     * @param username the display name, or null when unknown
     * @param room the room name, or null for a lobby session
     */
    public Session(String id, String username, String room, Link link) {
        this.id = Objects.requireNonNull(id, "id");
        this.username = username;
        this.room = room;
        this.link = Objects.requireNonNull(link, "link");
        this.stamp = buildStamp(id, username);
    }

    public String id() {
        return id;
    }

    /** The display name, or null. */
    public String username() {
        return username;
    }

    /** The room name, or null for the lobby. */
    public String room() {
        return room;
    }

    public boolean inLobby() {
        return room == null;
    }

    public Link link() {
        return link;
    }

    /** The JSON members {@code "from":..[,"username":..]} to splice into frames this session relays. */
    public byte[] stamp() {
        return stamp;
    }

    /** The current lobby peer's id, or null. */
    public String peerId() {
        Session p = peer;
        return p == null ? null : p.id;
    }

    /** True the first time only: departure cleanup runs exactly once. */
    boolean markGone() {
        return gone.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "Session[" + id + (room == null ? " lobby" : " room " + room) + "]";
    }

    private static byte[] buildStamp(String id, String username) {
        JsonStringEncoder enc = JsonStringEncoder.getInstance();
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + id.length());
        out.writeBytes("\"from\":\"".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(enc.quoteAsUTF8(id));
        out.write('"');
        if (username != null) {
            out.writeBytes(",\"username\":\"".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(enc.quoteAsUTF8(username));
            out.write('"');
        }
        return out.toByteArray();
    }
}
