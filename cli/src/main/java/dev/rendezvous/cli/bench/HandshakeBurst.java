package dev.rendezvous.cli.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * A burst of short-lived connections that go through admission and nothing else: the upgrade,
 * {@code auth_required} → {@code auth_token} → {@code auth_success} when a token is given, {@code your_id},
 * a room's {@code users_in_room}, answered pings, and every {@code badFrameEvery}-th client one malformed
 * frame (the server answers with an {@code error} and carries on), else a {@code ping} of its own. Once
 * answered, each client closes cleanly. It
 * is the admission half of what production sees, for the AOT training run; the relay half is
 * {@link PairScenario} and {@link FanoutScenario}.
 *
 * <p>Threading: each client is confined to its event loop; the caller waits on a latch. One instance is one
 * burst.
 */
public final class HandshakeBurst {

    private final URI uri;
    private final int connections;
    private final IntFunction<String> token;
    private final int badFrameEvery;
    /** A client holds a place from its connect until it is admitted or gone. */
    private final Admission admission;
    /** Counts down once per client, when it has done its part or failed. */
    private final CountDownLatch done;

    private final LongAdder admitted = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private boolean ran;

    /**
     * @param uri ws://127.0.0.1:port/ws or …/ws/{room}
     * @param token the JWT for client {@code i}, or null when the server runs without auth
     * @param badFrameEvery every n-th client sends one malformed frame after admission; 0 for none
     */
    public HandshakeBurst(URI uri, int connections, int concurrency, IntFunction<String> token, int badFrameEvery) {
        this.uri = uri;
        this.connections = connections;
        this.token = token;
        this.badFrameEvery = badFrameEvery;
        this.admission = new Admission(concurrency);
        this.done = new CountDownLatch(connections);
    }

    /**
     * Runs the burst (once per instance); returns how many were admitted. Throws if not all were within
     * {@code timeout}.
     */
    public long run(EventLoopGroup group, long timeout, TimeUnit unit) throws InterruptedException {
        if (ran) {
            throw new IllegalStateException("a burst runs once");
        }
        ran = true;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<WsClient> clients = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            WsClient c = admission.connect(group.next(), uri, null, new Client(i), deadline);
            if (c == null) {
                break;
            }
            clients.add(c);
        }
        boolean complete = done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        for (WsClient c : clients) {
            c.close(); // a no-op for those that finished
        }
        if (!complete || failed.sum() > 0) {
            throw new IllegalStateException(uri + ": " + admitted.sum() + " of " + connections + " admitted, "
                    + failed.sum() + " failed to connect");
        }
        return admitted.sum();
    }

    /** Malformed frames answered with {@code error}. */
    public long errors() {
        return errors.sum();
    }

    /** Where a client is: waiting for its {@code your_id}, admitted, or done (its part played, or gone). */
    private enum Stage {
        CONNECTING,
        ADMITTED,
        DONE
    }

    private final class Client implements WsClient.Listener {
        private final int index;
        private Stage stage = Stage.CONNECTING;

        Client(int index) {
            this.index = index;
        }

        @Override
        public void onText(WsClient c, ByteBuf f) {
            if (FrameType.AUTH_REQUIRED.of(f)) {
                String jwt = token == null ? null : token.apply(index);
                c.sendNow("{\"type\":\"auth_token\",\"token\":\"" + jwt + "\"}");
            } else if (FrameType.YOUR_ID.of(f) && stage == Stage.CONNECTING) {
                stage = Stage.ADMITTED;
                admitted.increment();
                admission.release();
                if (badFrameEvery > 0 && index % badFrameEvery == 0) {
                    c.sendNow(index % (2 * badFrameEvery) == 0 ? "{\"type\":\"no_such_type\"}" : "{\"type\":");
                } else {
                    c.sendNow("{\"type\":\"ping\"}");
                }
            } else if (FrameType.ERROR.of(f) && stage != Stage.CONNECTING) {
                errors.increment();
                finish(c);
            } else if (FrameType.PONG.of(f) && stage != Stage.CONNECTING) {
                finish(c);
            } else if (FrameType.PING.of(f)) {
                c.sendNow("{\"type\":\"pong\"}");
            }
        }

        /** This client has done its part: close it now, so a burst never holds more than its concurrency. */
        private void finish(WsClient c) {
            if (stage != Stage.DONE) {
                stage = Stage.DONE;
                c.close();
                done.countDown();
            }
        }

        @Override
        public void onClosed(WsClient c, int closeCode) {
            if (stage != Stage.DONE) {
                failed.increment();
                if (stage == Stage.CONNECTING) {
                    admission.release();
                }
                stage = Stage.DONE;
                done.countDown();
            }
        }

        @Override
        public void onConnectFailed(WsClient c, Throwable cause) {
            onClosed(c, -1); // gone before admission, like a connection closed then
        }
    }
}
