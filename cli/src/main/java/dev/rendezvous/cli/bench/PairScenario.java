package dev.rendezvous.cli.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lobby pairs: A relays candidate-sized messages carrying {@code seq} and a send timestamp to B. Relay
 * mode keeps {@code window} messages in flight per pair (closed loop: B's receipt lets A send the next,
 * both on one event loop, so no ack crosses the server); latency mode sends at a fixed total rate (open
 * loop, the window only caps a stuck pair). B checks every message: from A, never seen before, in order.
 */
final class PairScenario extends Scenario {

    private final boolean openLoop;
    private final byte[] prefix;
    private final List<Pair> pairs = new ArrayList<>();
    private final Traffic traffic = new Traffic();
    private final CountDownLatch ready;
    private final Admission admission;
    private volatile boolean sending;

    PairScenario(BenchOptions o, boolean openLoop, PrintStream progress) {
        super(o, progress);
        this.openLoop = openLoop;
        this.prefix = Frames.candidatePrefix(o.messageBytes(), "");
        this.ready = new CountDownLatch(o.pairs());
        this.admission = new Admission(Math.max(2, o.concurrency()));
    }

    /** One sender→receiver pair; every field is confined to the pair's event loop. */
    final class Pair extends AdmittedClient {
        final int index;
        volatile WsClient a;
        volatile WsClient b;
        String aId;
        String bId;
        byte[] fromA;
        int pairedSeen;
        long sent;
        long received;
        /** Sent messages the server answered with {@code rate_limited} instead of relaying. */
        long refusedBySender;

        long maxSeen = -1;
        long duplicates;
        long reordered;
        long gaps;
        long wrongSender;
        boolean dirty;
        boolean stoppedByRefusal;
        final BitSet seen = new BitSet();

        Pair(int index) {
            super(admission);
            this.index = index;
        }

        @Override
        public void onText(WsClient c, ByteBuf f) {
            if (c == b && FrameType.CANDIDATE.of(f)) {
                onRelayed(f);
            } else if (FrameType.YOUR_ID.of(f)) {
                admitted();
                String id = Frames.id(f);
                if (c == a) {
                    aId = id;
                    fromA = Frames.bytes("\"from\":\"" + id + "\"");
                } else {
                    bId = id;
                }
                if (aId != null && bId != null) {
                    a.sendNow("{\"type\":\"pair_request\",\"target_id\":\"" + bId + "\"}");
                }
            } else if (FrameType.PAIRED.of(f)) {
                if (++pairedSeen == 2) {
                    ready.countDown();
                }
            } else if (FrameType.PING.of(f)) {
                c.send("{\"type\":\"pong\"}");
            } else if (c == a && FrameType.ERROR.of(f) && Frames.isRateLimited(f)) {
                // The server refused one of A's messages: not a loss. From then on the pair measures the
                // server's limit, not the server, so it stops sending; its messages in flight still settle
                // (relayed or refused), which keeps its refusals under the server's allowance and the pair open.
                refusedBySender++;
                traffic.refused.increment();
                stoppedByRefusal = true;
            } else {
                traffic.unexpected.increment();
            }
        }

        long inFlight() {
            return sent - received - refusedBySender;
        }

        private void onRelayed(ByteBuf f) {
            long now = System.nanoTime();
            long seq = Frames.seq(f);
            long t = Frames.t(f);
            if (seq < 0 || seq > Integer.MAX_VALUE || Frames.indexOf(f, fromA, f.readerIndex()) < 0) {
                wrongSender++;
                return;
            }
            int s = (int) seq;
            if (seen.get(s)) {
                duplicates++;
                return;
            }
            seen.set(s);
            if (seq < maxSeen) {
                reordered++;
            } else {
                if (seq > maxSeen + 1) {
                    gaps++;
                }
                maxSeen = seq;
            }
            received++;
            traffic.arrived(t, now);
            if (!openLoop) {
                topUp();
            }
        }

        /** Closed loop: send until {@code window} are in flight. */
        void topUp() {
            while (sending
                    && !stoppedByRefusal
                    && inFlight() < o.window()
                    && (o.messagesPerPair() <= 0 || sent < o.messagesPerPair())) {
                sendOne();
            }
        }

        void sendOne() {
            a.send(Frames.candidate(a.alloc(), prefix, sent++));
            traffic.sent.increment();
            dirty = true;
        }

        @Override
        public void onReadComplete(WsClient c) {
            if (dirty) {
                dirty = false;
                a.flush();
            }
        }
    }

    @Override
    BenchResult run(EventLoopGroup group) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<EventLoop, List<Pair>> byLoop = new IdentityHashMap<>();
        long setupStart = System.nanoTime();
        for (int i = 0; i < o.pairs(); i++) {
            Pair p = new Pair(i);
            EventLoop loop = group.next();
            byLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(p);
            pairs.add(p);
            for (int side = 0; side < 2; side++) {
                WsClient c = admission.connect(loop, o.uri(o.path()), o.sourceAddress(2 * i + side), p, deadline);
                if (c == null) {
                    throw new IllegalStateException("connections are not being admitted (server down or saturated?)");
                }
                if (side == 0) {
                    p.a = c;
                } else {
                    p.b = c;
                }
            }
        }
        if (!ready.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(
                    "only " + (o.pairs() - ready.getCount()) + " of " + o.pairs() + " pairs formed in time");
        }
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

        long serverPid = Bench.serverPid(o);
        sending = true;
        List<ScheduledFuture<?>> tickers = new ArrayList<>();
        long start = System.nanoTime();
        if (openLoop) {
            tickers.addAll(FixedRate.schedule(
                    byLoop,
                    o.rate(),
                    start,
                    () -> sending,
                    (mine, slot) -> { // the loop's pairs in turn; a slot of a pair at its window is skipped
                        Pair p = mine.get((int) (slot % mine.size()));
                        if (!p.stoppedByRefusal && p.inFlight() < o.window()) {
                            p.sendOne();
                        }
                    },
                    mine -> mine.forEach(p -> p.onReadComplete(p.a))));
        } else {
            for (Pair p : pairs) {
                p.a.eventLoop().execute(() -> {
                    p.topUp();
                    p.onReadComplete(p.a);
                });
            }
        }

        boolean counted = o.messagesPerPair() > 0;
        long warmupEnd = start + (counted ? 0 : o.warmup().toNanos());
        long end =
                warmupEnd + (counted ? TimeUnit.HOURS.toNanos(1) : o.duration().toNanos());
        long expected = counted ? o.messagesPerPair() * o.pairs() : Long.MAX_VALUE;
        long measuredStart = start; // moved to the warm-up's end once it is reached
        long measuredEnd;
        boolean inWindow = false;
        long lastTick = System.nanoTime();
        long lastProgress = lastTick;
        long progressMark = -1;
        while (true) {
            long now = System.nanoTime();
            long settled = traffic.received.sum() + traffic.refused.sum();
            if (settled != progressMark) {
                progressMark = settled;
                lastProgress = now;
            } else if (now - lastProgress > o.drain().toNanos()) {
                // Nothing arrives any more: report what was lost rather than wait for ever, and keep the
                // stall out of the measured window so the rate stays the rate of the messages that moved.
                measuredEnd = Math.max(measuredStart, lastProgress);
                break;
            }
            if (!inWindow && now >= warmupEnd) {
                inWindow = true;
                traffic.openWindow(serverPid);
                measuredStart = now;
            }
            if (now >= end || settled >= expected) {
                measuredEnd = now;
                break;
            }
            if (now - lastTick >= 1_000_000_000L) {
                // One rate throughout: the average over the measured window so far (over the warm-up
                // while it lasts), the same figure the summary's delivered_per_s ends on.
                double rate = inWindow
                        ? traffic.measured() / ((now - measuredStart) / 1e9)
                        : traffic.received.sum() / ((now - start) / 1e9);
                progress.printf(
                        "\r[%s] %4.0fs  %s %,9d msg/s  sent %,d  received %,d  refused %,d   ",
                        o.scenario(),
                        (now - start) / 1e9,
                        inWindow ? "avg" : "warm-up",
                        (long) rate,
                        traffic.sent.sum(),
                        traffic.received.sum(),
                        traffic.refused.sum());
                progress.flush();
                lastTick = now;
            }
            Thread.sleep(20);
        }
        Traffic.Window window = traffic.closeWindow(Math.max(1, measuredEnd - measuredStart), serverPid);
        sending = false;
        tickers.forEach(t -> t.cancel(false));

        // Drain: everything sent must arrive.
        long drainDeadline = System.nanoTime() + o.drain().toNanos();
        while (traffic.received.sum() + traffic.refused.sum() < traffic.sent.sum()
                && System.nanoTime() < drainDeadline) {
            Thread.sleep(10);
        }
        long[] totals = totals();
        closingClients();
        progress.print("\r");
        progress.flush();

        BenchResult r = new BenchResult()
                .put("scenario", o.scenario())
                .put("pairs", o.pairs())
                .put(openLoop ? "rate" : "window", openLoop ? o.rate() : o.window())
                .put("message_bytes", prefix.length + 30)
                .put("setup_s", round(setupSeconds))
                .put("measured_s", round(window.seconds()))
                .put("delivered_per_s", Math.round(window.delivered() / window.seconds()))
                .put("sent", totals[0])
                .put("received", totals[1])
                .put("refused_by_server", totals[6])
                .put("lost", totals[0] - totals[1] - totals[6])
                .put("duplicated", totals[2])
                .put("reordered", totals[3])
                .put("gaps", totals[4])
                .put("wrong_sender", totals[5])
                .put("unexpected_frames", traffic.unexpected.sum())
                .put("closed_early", closedEarly.sum() + failedConnects.sum());
        window.addTo(r, serverPid);
        return r;
    }

    /** sent, received, duplicated, reordered, gaps, wrong sender, refused — read on each pair's loop. */
    private long[] totals() throws InterruptedException {
        return LoopTotals.sum(
                pairs,
                p -> p.a.eventLoop(),
                7,
                (p, t) -> LoopTotals.add(
                        t, p.sent, p.received, p.duplicates, p.reordered, p.gaps, p.wrongSender, p.refusedBySender));
    }

    @Override
    void close() {
        closingClients();
        for (Pair p : pairs) {
            if (p.a != null) {
                p.a.close();
            }
            if (p.b != null) {
                p.b.close();
            }
        }
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
