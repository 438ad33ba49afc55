package dev.rendezvous.server.session;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.hub.Link;
import dev.rendezvous.server.hub.Refusal;
import dev.rendezvous.server.hub.Session;
import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Link} of one resumable session (v1.1): it outlives the connections that carry it. It counts
 * the frames sent to the client and those read from it, keeps the last frames sent in a {@link SentLog}
 * (the relayed ones by reference: one more reference count on the same buffer, never a copy), forwards to
 * the connection attached now, and while none is attached keeps frames until the session is resumed,
 * overflows or its grace ends.
 *
 * <p>States: ATTACHED → DETACHED (connection lost without a close frame) → ATTACHED (resumed) … → GONE.
 * Every transition and every send holds this object's monitor; the critical sections only count, queue
 * and hand a buffer to a non-blocking {@link Link}, so any thread (the hub's callers) may send. Frames read
 * from the client are counted without the monitor, by the attached connection's thread alone, in its
 * {@link InboundCount}, which every transition away from that connection seals. GONE is
 * entered exactly once, by whichever of close, overflow, expiry, an unrecoverable resume, eviction or
 * shutdown comes first, and only that caller departs the session from the hub — outside the monitor.
 */
final class ResumableLink implements Link {
    private static final Logger log = LoggerFactory.getLogger(Connection.class); // one logger for a connection's lines

    /** Frames kept for a session: the contract asks for at least 256 frames or 256 KiB, whichever is smaller. */
    static final int MAX_FRAMES = 256;

    static final int MAX_BYTES = 256 * 1024;

    enum State {
        ATTACHED,
        DETACHED,
        GONE
    }

    /** What the end of one of this session's connections did. */
    enum Ended {
        DETACHED,
        DEPARTED,
        NOT_MINE
    }

    private final ConnectionSettings settings;
    private Session session;

    // ---- guarded by this ----
    private State state = State.ATTACHED;
    /** The transport link of the connection attached now; null while detached or gone. */
    private Link attached;

    private Connection owner;
    /** Frames are counted from the one after the {@code your_id} carrying the first token. */
    private boolean counting;
    /** Frames sent to the client (counted), numbered 1…sent; the last {@code kept.size()} of them are kept. */
    private long sent;
    /** Frames read from the client on connections that no longer carry the session (sealed counts). */
    private long received;

    private final SentLog kept = new SentLog(MAX_FRAMES, MAX_BYTES);
    /** Frames and bytes queued during the current detachment: what the bound limits. */
    private int framesSinceDetach;

    private int bytesSinceDetach;
    private byte[] token;
    /** Bumped at each detach and resume: a grace timer of an older detachment does nothing. */
    private long generation;

    private Runnable cancelExpiry;
    /** Where the detached session's timer and departure run (the lost connection's thread). */
    private Transport detachedOn;

    /** The attached connection's count of frames read; sealed (refusing) while detached or gone. */
    private volatile InboundCount inbound;

    ResumableLink(ConnectionSettings settings, Link wire, Connection owner) {
        this.settings = settings;
        this.attached = wire;
        this.owner = owner;
        this.inbound = new InboundCount(wire, 0);
    }

    /** The session this link carries; set once, before registration. */
    void bind(Session s) {
        this.session = s;
    }

    Session session() {
        return session;
    }

    /**
     * Sends the {@code your_id} carrying the first token: not counted; every frame after it is. Puts the
     * session in the directory, where a {@code resume} finds it.
     */
    void admit(Message.YourId yourId) {
        synchronized (this) {
            token = ResumeFrames.newToken();
            attached.send(
                    ResumeFrames.yourId(yourId, token, settings.resumeGrace().toMillis()));
            counting = true;
        }
        settings.resumes().put(session.id(), this);
    }

    @Override
    public void send(ByteBuf frame) {
        boolean overflow = false;
        synchronized (this) {
            switch (state) {
                case GONE -> {
                    frame.release();
                    return;
                }
                case ATTACHED -> {
                    if (counting) {
                        sent++;
                        kept.add(frame.retain()); // the same buffer, one more reference: the log's
                    }
                    attached.send(frame);
                    return;
                }
                case DETACHED -> {
                    int n = frame.readableBytes();
                    sent++;
                    // The bound applies to the frames queued during this detachment; frames kept from the
                    // connected time make room for them, oldest first (a client that missed those too can no
                    // longer be brought up to date, which its resume then says).
                    if (framesSinceDetach + 1 > MAX_FRAMES || bytesSinceDetach + n > MAX_BYTES) {
                        // The contract: the detached session departs; its sender is told nothing more.
                        frame.release();
                        goneLocked();
                        overflow = true;
                    } else {
                        framesSinceDetach++;
                        bytesSinceDetach += n;
                        kept.add(frame);
                    }
                }
            }
        }
        if (overflow) {
            log.info("detached client={} departs: its resume buffer is full", session.id());
            departLater();
        }
    }

    /** The hub closes a session only through eviction; a link close is the owner's business. */
    @Override
    public void close(CloseCode code, String reason) {
        Link wire;
        synchronized (this) {
            wire = attached;
        }
        if (wire != null) {
            wire.close(code, reason);
        }
    }

    /**
     * A frame arrived on {@code wire} (its connection's thread): counts it, unless {@code wire} no longer
     * carries this session. No monitor: the count is the connection's own (see {@link InboundCount}).
     */
    boolean countInbound(Link wire) {
        InboundCount c = inbound;
        return c.wire == wire && c.count();
    }

    synchronized boolean isDetached() {
        return state == State.DETACHED;
    }

    /**
     * The connection on {@code wire} ended. Detaches when {@code detachable} (no close frame from the client,
     * or a keepalive timeout), else the session departs — unless the connection no longer carries it.
     */
    Ended connectionEnded(Link wire, boolean detachable, Transport transport) {
        boolean detached;
        synchronized (this) {
            if (state != State.ATTACHED || attached != wire) {
                return Ended.NOT_MINE;
            }
            if (detachable && counting) {
                received = inbound.seal();
                state = State.DETACHED;
                attached = null;
                owner = null;
                detachedOn = transport;
                framesSinceDetach = 0;
                bytesSinceDetach = 0;
                long gen = ++generation;
                cancelExpiry = transport.schedule(
                        () -> expire(gen), settings.resumeGrace().toNanos());
                detached = true;
            } else {
                goneLocked();
                detached = false;
            }
        }
        if (detached) {
            settings.observer().detachedChanged(1);
            log.info(
                    "detach client={} grace_ms={}",
                    session.id(),
                    settings.resumeGrace().toMillis());
            return Ended.DETACHED;
        }
        depart();
        return Ended.DEPARTED;
    }

    private void expire(long gen) {
        synchronized (this) {
            if (state != State.DETACHED || gen != generation) {
                return; // resumed, or ended otherwise, before the timer fired
            }
            cancelExpiry = null;
            goneLocked();
        }
        settings.observer().detachedChanged(-1);
        settings.observer().graceExpired();
        log.info(
                "expire client={}: not resumed within {} ms",
                session.id(),
                settings.resumeGrace().toMillis());
        depart();
    }

    /** Shutdown: a detached session departs now (nobody is told: the hub is going away). */
    void endIfDetached() {
        synchronized (this) {
            if (state != State.DETACHED) {
                return;
            }
            cancelExpiryLocked();
            goneLocked();
        }
        settings.observer().detachedChanged(-1);
        depart();
    }

    /** The hub can no longer keep this session: its connection is told, or a detached session just departs. */
    void evict(Refusal refusal) {
        Connection current;
        synchronized (this) {
            current = owner;
            if (current == null && state == State.DETACHED) {
                cancelExpiryLocked();
                goneLocked();
            } else if (current == null) {
                return;
            }
        }
        if (current != null) {
            current.evictedFromAnyThread(refusal);
        } else {
            settings.observer().detachedChanged(-1);
            depart();
        }
    }

    /** The outcome of {@link #resume}. */
    sealed interface Outcome {
        record Resumed(int replayed, Connection superseded) implements Outcome {}

        /** @param reason the metric's reason; {@code sentence} the error's message */
        record Failed(String reason, String sentence) implements Outcome {}
    }

    /**
     * A {@code resume} on the connection of {@code wire}: on success, {@code resumed} and the replay go out on
     * {@code wire} before any live frame, and {@code wire} carries the session from now on.
     */
    Outcome resume(byte[] givenToken, long clientReceived, Link wire, Connection newOwner) {
        Outcome outcome;
        boolean departs = false;
        boolean wasDetached = false;
        Link oldWire = null;
        synchronized (this) {
            if (state == State.GONE) {
                return new Outcome.Failed(
                        "expired", "the session " + session.id() + " has ended (its grace expired or it departed)");
            }
            if (!MessageDigest.isEqual(token, givenToken)) { // constant time: the token is the credential
                return new Outcome.Failed("bad_token", "wrong or used resume token for " + session.id());
            }
            long oldestKept = sent - kept.size() + 1; // the number of the first frame kept
            if (clientReceived > sent || clientReceived + 1 < oldestKept) {
                wasDetached = state == State.DETACHED;
                cancelExpiryLocked();
                goneLocked();
                departs = true;
                outcome = new Outcome.Failed(
                        "cannot_replay",
                        clientReceived > sent
                                ? "received " + clientReceived + " is beyond the " + sent
                                        + " frames sent; the session has ended"
                                : "frames after " + clientReceived + " are no longer kept; the session has ended");
            } else {
                Connection superseded = null;
                if (state == State.ATTACHED) {
                    superseded = owner; // a half-open connection the server has not noticed yet
                    oldWire = attached;
                    received = inbound.seal(); // its frames from now on are refused: the count is final
                } else {
                    wasDetached = true;
                    cancelExpiryLocked();
                }
                generation++;
                state = State.ATTACHED;
                attached = wire;
                owner = newOwner;
                detachedOn = null;
                inbound = new InboundCount(wire, received);
                token = ResumeFrames.newToken();
                while (sent - kept.size() < clientReceived) {
                    kept.dropOldest(); // the client has these: no need to keep them
                }
                int replay = kept.size();
                wire.send(ResumeFrames.resumed(session.id(), received, replay, token));
                kept.forEachRetained(wire::send);
                outcome = new Outcome.Resumed(replay, superseded);
            }
        }
        if (wasDetached) {
            settings.observer().detachedChanged(-1);
        }
        if (oldWire != null) {
            oldWire.close(CloseCode.RESUMED_ELSEWHERE, "session resumed elsewhere");
        }
        if (departs) {
            depart();
        }
        return outcome;
    }

    /**
     * For a hand-over of this detached session to another node: the frames sent that the client may not
     * have, oldest first, each a retained slice {@code to} owns, numbered from {@link #firstKeptNumber()}
     * on; the frames read from the client are {@link #receivedWhileDetached()}. False, and nothing given,
     * unless detached.
     */
    synchronized boolean forEachKept(Consumer<ByteBuf> to) {
        if (state != State.DETACHED) {
            return false;
        }
        kept.forEachRetained(to);
        return true;
    }

    /** The number of the oldest frame kept (frames are numbered from 1), or {@code sent + 1} when none is. */
    synchronized long firstKeptNumber() {
        return sent - kept.size() + 1;
    }

    /** Frames read from the client, final while detached (the {@code received} of the next {@code resumed}). */
    synchronized long receivedWhileDetached() {
        if (state != State.DETACHED) {
            throw new IllegalStateException("the count is final only while detached, state " + state);
        }
        return received;
    }

    // ---- under the monitor ----

    private void goneLocked() {
        if (state == State.ATTACHED) {
            received = inbound.seal(); // the attached connection's frames are refused from now on
        }
        state = State.GONE;
        attached = null;
        owner = null;
        kept.clear();
    }

    private void cancelExpiryLocked() {
        if (cancelExpiry != null) {
            cancelExpiry.run();
            cancelExpiry = null;
        }
    }

    // ---- outside the monitor ----

    /** Overflow happens inside a hub's send (maybe under its monitors): depart from the session's own thread. */
    private void departLater() {
        Transport on;
        synchronized (this) {
            on = detachedOn;
            cancelExpiryLocked();
        }
        settings.observer().detachedChanged(-1);
        try {
            on.execute(this::depart);
        } catch (RejectedExecutionException e) {
            depart(); // shutting down: the hub is going away, nobody is told
        }
    }

    private void depart() {
        settings.resumes().remove(session.id(), this);
        settings.hub().depart(session);
    }
}
