package dev.rendezvous.server.session;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.server.hub.RemoteResume;
import dev.rendezvous.server.hub.RemoteResume.Answer;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.ObjIntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's node's end of a tunnel (v1.1 in a cluster, see {@link RemoteResume}): a {@code resume=1}
 * connection whose session is held by another node asks the hub to resume it there; once resumed, what
 * the client sends goes to the owner ({@link RemoteResume.Upstream}) and what the owner sends goes to the
 * client ({@link #send}). This node reads no frame of it: the owner counts, checks and answers.
 *
 * <p>States: PENDING (asked; frames from the client wait here, in order) → OPEN (the owner resumed it)
 * or ABANDONED (no answer within the auth timeout, or refused: the connection goes on as a new one).
 * The state is atomic because the owner's answer arrives on the backplane's thread; everything else
 * runs on the connection's thread.
 */
final class ClientTunnel implements RemoteResume.Downstream {
    private static final Logger log = LoggerFactory.getLogger(Connection.class); // one logger for a connection's lines

    /** Frames a client may send before the owner answered (it needs {@code received} from {@code resumed} first). */
    private static final int MAX_EARLY_FRAMES = 256;

    private static final int PENDING = 0;
    private static final int OPEN = 1;
    private static final int ABANDONED = 2;
    /** A binary frame or a frame over the size limit waiting in {@link #early}. */
    private static final Object BINARY = new Object();

    private final Connection c;
    private final String id;
    private final AtomicInteger state = new AtomicInteger(PENDING);
    // ---- the connection's thread ----
    private RemoteResume.Upstream upstream;
    /** Frames from the client while PENDING: byte[] text, {@link #BINARY}, or an Integer size limit (too large). */
    private ArrayDeque<Object> early;
    /** The connection ended (or the owner closed it): the owner is told at most once. */
    private boolean ended;
    /** How it ended, for an owner that answers after the client left. */
    private boolean endedDetachable = true;

    private ClientTunnel(Connection c, String id) {
        this.c = c;
        this.id = id;
    }

    String id() {
        return id;
    }

    /**
     * On the connection's thread: the session {@code r} names is not on this node; asks the cluster. A
     * single node answers {@link Answer.Unknown} at once, and the resume fails as before.
     */
    static void ask(Connection c, ResumeFrames.Request.Resume r) {
        ClientTunnel t = new ClientTunnel(c, r.id());
        c.tunnel = t;
        CompletableFuture<Answer> asked = c.settings
                .hub()
                .resumeElsewhere(r.id(), r.token(), r.received(), t)
                .toCompletableFuture();
        if (asked.isDone() && !asked.isCompletedExceptionally()) {
            // A single node answers at once; a cluster may have answered already too, when this thread was
            // descheduled meanwhile (and the owner's frames then may have opened the tunnel: see send).
            Answer a = asked.join();
            t.answered(a, null, t.opens(a));
            return;
        }
        asked.whenComplete((a, e) -> {
            // On the backplane's thread, before the owner's next message: frames that follow `resumed` pass.
            boolean open = t.opens(a);
            try {
                c.transport.execute(() -> t.answered(a, e, open));
            } catch (RejectedExecutionException shuttingDown) {
                if (open) {
                    ((Answer.Resumed) a).upstream().ended(true);
                }
            }
        });
    }

    /**
     * Whether answer {@code a} opens the tunnel: a success not given up on. The owner's first frame may
     * have opened it before the answer is looked at ({@link #send}): that is a success too, not a late one.
     */
    private boolean opens(Answer a) {
        return a instanceof Answer.Resumed && (state.compareAndSet(PENDING, OPEN) || state.get() == OPEN);
    }

    private void answered(Answer a, Throwable failure, boolean open) {
        if (!open) {
            if (a instanceof Answer.Resumed late) {
                late.upstream().ended(true); // answered after we gave up: the session detaches again on its owner
            }
            if (!state.compareAndSet(PENDING, ABANDONED)) {
                return; // timed out or closed meanwhile: handled then
            }
            c.tunnel = null;
            if (c.phase() == Connection.Phase.AWAITING_RESUME) {
                switch (a) {
                    case null ->
                        ResumeHandler.fail(
                                c,
                                "owner_unreachable",
                                "the node holding session " + id + " did not answer (" + failure + ")",
                                "resume");
                    case Answer.Unknown u -> ResumeHandler.unknown(c, id);
                    case Answer.Failed f -> ResumeHandler.fail(c, f.reason(), f.sentence(), "resume");
                    case Answer.Resumed r -> throw new IllegalStateException("unreachable");
                }
            }
            replayEarly();
            return;
        }
        Answer.Resumed ok = (Answer.Resumed) a;
        upstream = ok.upstream();
        if (ended || c.phase() != Connection.Phase.AWAITING_RESUME) {
            upstream.ended(endedDetachable); // the client went away while we asked
            return;
        }
        c.cancelTimer();
        c.phase(Connection.Phase.ADMITTED);
        c.settings.observer().resumeSucceeded(ok.replayed());
        log.info("resume client={} scope={} replayed={} remote={} via=tunnel", id, c.scope(), ok.replayed(), c.remote);
        ArrayDeque<Object> waiting = early;
        early = null;
        if (waiting != null) {
            for (Object f : waiting) {
                deliver(f, upstream::text, upstream::binary, upstream::tooLarge);
            }
        }
    }

    /**
     * On the connection's thread: the auth timeout passed without an answer: the resume fails and the
     * connection goes on as a new one. Nothing when an answer came first (it is on its way to this thread).
     */
    void timedOut() {
        if (!state.compareAndSet(PENDING, ABANDONED)) {
            return;
        }
        c.tunnel = null;
        ResumeHandler.fail(
                c, "owner_unreachable", "the node holding session " + id + " did not answer in time", "resume");
        replayEarly();
    }

    /** After a failed resume: the frames that waited are the new connection's first ones. */
    private void replayEarly() {
        ArrayDeque<Object> waiting = early;
        early = null;
        if (waiting == null) {
            return;
        }
        for (Object f : waiting) {
            deliver(f, c::onText, c::onBinary, c::onTooLarge);
        }
    }

    // ---- from the client (the connection's thread) ----

    void text(byte[] utf8, int length) {
        if (upstream != null) {
            upstream.text(utf8, length);
            return;
        }
        byte[] copy = new byte[length];
        System.arraycopy(utf8, 0, copy, 0, length);
        early(copy);
    }

    void binary() {
        if (upstream != null) {
            upstream.binary();
        } else {
            early(BINARY);
        }
    }

    void tooLarge(int limit) {
        if (upstream != null) {
            upstream.tooLarge(limit);
        } else {
            early(limit);
        }
    }

    private void early(Object frame) {
        if (early == null) {
            early = new ArrayDeque<>();
        }
        if (early.size() >= MAX_EARLY_FRAMES) {
            c.closeWith(CloseCode.RATE_LIMITED, "too many frames before resumed");
            return;
        }
        early.addLast(frame);
    }

    /**
     * Hands an {@link #early} frame to {@code text}, {@code binary} or {@code tooLarge} by its kind: the
     * owner's {@link RemoteResume.Upstream} once resumed, or this connection itself after a failed resume.
     */
    private static void deliver(Object f, ObjIntConsumer<byte[]> text, Runnable binary, IntConsumer tooLarge) {
        if (f instanceof byte[] b) {
            text.accept(b, b.length);
        } else if (f instanceof Integer limit) {
            tooLarge.accept(limit);
        } else {
            binary.run();
        }
    }

    /** The connection ended: the owner detaches ({@code detachable}) or departs the session; once. */
    void ended(boolean detachable) {
        if (ended) {
            return;
        }
        ended = true;
        endedDetachable = detachable;
        if (upstream != null) {
            upstream.ended(detachable);
        } // PENDING: answered() tells a late success that the client left
    }

    // ---- from the owner (the backplane's thread) ----

    @Override
    public void send(ByteBuf utf8Json) {
        // A frame from the owner means it resumed the session: the first one may come before the answer's
        // callback ran (it may run on another thread), so it opens the tunnel itself.
        if (state.get() != OPEN && !state.compareAndSet(PENDING, OPEN)) {
            utf8Json.release(); // given up on (timed out): the owner keeps it for the next resume
            return;
        }
        c.wire.send(utf8Json);
    }

    @Override
    public void close(int code, String reason) {
        try {
            c.transport.execute(() -> {
                ended = true; // the owner closed: nothing to tell it back
                c.closeWith(CloseCode.of(code).orElse(CloseCode.INTERNAL_ERROR), reason);
            });
        } catch (RejectedExecutionException e) {
            log.debug("tunnel close dropped client={}: the server is shutting down", id);
        }
    }
}
