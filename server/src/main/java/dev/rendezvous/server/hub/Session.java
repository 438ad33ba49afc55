package dev.rendezvous.server.hub;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;

/**
 * One admitted (or being admitted) client as every hub knows it: its id, display name, scope (lobby or a
 * room), transport {@link Link} and relay stamp — nothing one hub keeps for itself. Each hub attaches
 * its own per-session {@link Entry} when it registers the session (the in-process hub's pairing and room
 * state, the Redis hub's view of a cluster peer) and reads it back from here, without a lookup.
 *
 * <p>Immutable but for the entry, which is set once ({@link #attach}) and read by any thread.
 */
public final class Session {
    private static final AtomicReferenceFieldUpdater<Session, Entry> ENTRY =
            AtomicReferenceFieldUpdater.newUpdater(Session.class, Entry.class, "entry");

    private final String id;
    private final String username;
    private final String room;
    private final Link link;
    /** {@code "from":"<id>"} plus {@code ,"username":"<name>"} when known: spliced into relayed frames. */
    private final byte[] stamp;

    private final Consumer<Refusal> evicted;
    /** The registering hub's entry; set once, volatile for readers on other threads. */
    private volatile Entry entry;

    /** What a hub keeps for one of its sessions. */
    public interface Entry {
        /** The current lobby peer's id, or null. */
        String peerId();
    }

    /**
     * A session without an owner to hear of its eviction (tests and tools): the hub's refusal is sent
     * and the link closed in its place.
     *
     * @param id the admitted client id
     * @param username the display name, or null when unknown
     * @param room the room name, or null for a lobby session
     */
    public Session(String id, String username, String room, Link link) {
        this(id, username, room, link, refusal -> {
            link.send(ControlFrames.error(refusal.code(), refusal.message(), null));
            if (refusal.closes()) {
                link.close(refusal.close(), refusal.code().wireName());
            }
        });
    }

    /**
     * @param id the admitted client id
     * @param username the display name, or null when unknown
     * @param room the room name, or null for a lobby session
     * @param evicted told, from any thread, when the hub can no longer keep this admitted session (e.g.
     *     a cluster gave its id to a client on another node while this node was cut off); the owner
     *     sends the refusal and closes with {@link Refusal#close()}
     */
    public Session(String id, String username, String room, Link link, Consumer<Refusal> evicted) {
        this.id = Objects.requireNonNull(id, "id");
        this.username = username;
        this.room = room;
        this.link = Objects.requireNonNull(link, "link");
        this.evicted = Objects.requireNonNull(evicted, "evicted");
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

    /** The current lobby peer's id, or null — whichever hub holds the session. */
    public String peerId() {
        Entry e = entry;
        return e == null ? null : e.peerId();
    }

    /** The registering hub's entry for this session; null before registration, or when it was refused. */
    public Entry entry() {
        return entry;
    }

    /** Attaches the registering hub's entry: a session is registered at most once. */
    public void attach(Entry hubEntry) {
        Objects.requireNonNull(hubEntry, "hubEntry");
        if (!ENTRY.compareAndSet(this, null, hubEntry)) {
            throw new IllegalStateException(this + " is registered already");
        }
    }

    /** The hub can no longer keep this admitted session: its owner sends {@code refusal} and closes. */
    public void evict(Refusal refusal) {
        evicted.accept(refusal);
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
