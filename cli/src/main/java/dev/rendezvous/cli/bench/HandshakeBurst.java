package dev.rendezvous.cli.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
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
 * <p>Threading: each client is confined to its event loop; the caller waits on a latch.
 */
public final class HandshakeBurst {

    private final URI uri;
    private final int connections;
    private final int concurrency;
    private final IntFunction<String> token;
    private final int badFrameEvery;
    private final LongAdder admitted = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /**
     * @param uri ws://127.0.0.1:port/ws or …/ws/{room}
     * @param token the JWT for client {@code i}, or null when the server runs without auth
     * @param badFrameEvery every n-th client sends one malformed frame after admission; 0 for none
     */
    public HandshakeBurst(URI uri, int connections, int concurrency, IntFunction<String> token, int badFrameEvery) {
        this.uri = uri;
        this.connections = connections;
        this.concurrency = concurrency;
        this.token = token;
        this.badFrameEvery = badFrameEvery;
    }

    /** Runs the burst; returns how many were admitted. Throws if not all were within {@code timeout}. */
    public long run(EventLoopGroup group, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        Semaphore inFlight = new Semaphore(Math.max(1, concurrency));
        CountDownLatch done = new CountDownLatch(connections);
        List<WsClient> clients = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            WsClient c = WsClient.connect(group.next(), uri, null, new Client(i, inFlight, done));
            clients.add(c);
            c.connectFuture().addListener(f -> {
                if (!f.isSuccess()) {
                    failed.increment();
                    inFlight.release();
                    done.countDown();
                }
            });
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

    private final class Client implements WsClient.Listener {
        private final int index;
        private final Semaphore inFlight;
        private final CountDownLatch done;
        private boolean welcomed;
        private boolean finished;

        Client(int index, Semaphore inFlight, CountDownLatch done) {
            this.index = index;
            this.inFlight = inFlight;
            this.done = done;
        }

        @Override
        public void onText(WsClient c, ByteBuf f) {
            if (FrameType.AUTH_REQUIRED.of(f)) {
                String jwt = token == null ? null : token.apply(index);
                c.sendNow("{\"type\":\"auth_token\",\"token\":\"" + jwt + "\"}");
            } else if (FrameType.YOUR_ID.of(f) && !welcomed) {
                welcomed = true;
                admitted.increment();
                inFlight.release();
                if (badFrameEvery > 0 && index % badFrameEvery == 0) {
                    c.sendNow(index % (2 * badFrameEvery) == 0 ? "{\"type\":\"no_such_type\"}" : "{\"type\":");
                } else {
                    c.sendNow("{\"type\":\"ping\"}");
                }
            } else if (FrameType.ERROR.of(f) && welcomed) {
                errors.increment();
                finish(c);
            } else if (FrameType.PONG.of(f) && welcomed) {
                finish(c);
            } else if (FrameType.PING.of(f)) {
                c.sendNow("{\"type\":\"pong\"}");
            }
        }

        /** This client has done its part: close it now, so a burst never holds more than its concurrency. */
        private void finish(WsClient c) {
            if (!finished) {
                finished = true;
                c.close();
                done.countDown();
            }
        }

        @Override
        public void onClosed(WsClient c, int closeCode) {
            if (!finished) {
                finished = true;
                failed.increment();
                if (!welcomed) {
                    inFlight.release();
                }
                done.countDown();
            }
        }
    }
}
