package dev.rendezvous.server.session;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.server.hub.Link;
import dev.rendezvous.server.hub.RecordingLink;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * A {@link Link} test double that orders frames as the transport's {@code Outbound} does, on an event loop
 * the test drives (a {@link ManualTransport}): a frame sent on the loop goes straight to the {@link #wire}
 * unless frames from other threads wait in the inbox; those frames, and any sent on the loop behind them,
 * leave in order when the loop runs the drain task. So a test can hold a frame from another loop in the
 * inbox while the receiver's own inbound frames are processed, and see what overtakes what.
 *
 * <p>The test plays every loop on one thread: {@link #onLoop} says when it acts as this link's loop, and
 * {@link #onNextHandOver} runs a step of this loop at the moment another loop hands a frame over.
 */
final class InboxLink implements Link {
    /** What left for the client, in order. */
    final RecordingLink wire = new RecordingLink();

    private final ManualTransport loop;
    private final ArrayDeque<ByteBuf> inbox = new ArrayDeque<>();
    private boolean inLoop;
    private Runnable onHandOver;

    InboxLink(ManualTransport loop) {
        this.loop = loop;
    }

    /** Runs {@code step} as this link's event loop (a frame read from its client, a timer). */
    void onLoop(Runnable step) {
        boolean was = inLoop;
        inLoop = true;
        try {
            step.run();
        } finally {
            inLoop = was;
        }
    }

    /**
     * Once: when another loop next hands a frame over, runs {@code step} on this loop first — the receiver's
     * loop, busy reading, gets ahead of a sender that has decided but not yet queued.
     */
    void onNextHandOver(Runnable step) {
        onHandOver = step;
    }

    /** Whether the step given to {@link #onNextHandOver} still waits for its hand-over. */
    boolean waitingForHandOver() {
        return onHandOver != null;
    }

    @Override
    public void send(ByteBuf utf8Json) {
        if (inLoop && inbox.isEmpty()) {
            wire.send(utf8Json);
            return;
        }
        if (!inLoop && onHandOver != null) {
            Runnable step = onHandOver;
            onHandOver = null;
            onLoop(step);
        }
        if (inbox.isEmpty()) {
            loop.execute(this::drain);
        }
        inbox.add(utf8Json);
    }

    private void drain() {
        for (ByteBuf f = inbox.poll(); f != null; f = inbox.poll()) {
            wire.send(f);
        }
    }

    @Override
    public void close(CloseCode code, String reason) {
        wire.close(code, reason);
    }
}
