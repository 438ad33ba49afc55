package dev.rendezvous.cli.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Rooms of {@code roomSize} members; at a fixed total rate, members take turns broadcasting a
 * candidate (no {@code to}: every other member receives it). Every receiver checks, per sender, that
 * messages come from that member, once each, in order. One room lives on one event loop.
 */
final class FanoutScenario {
    private static final byte[] CLIENT_ID = Frames.bytes("\"client_id\"");

    private final BenchOptions o;
    private final PrintStream progress;
    private final List<Room> rooms = new ArrayList<>();
    private final LongAdder sentTotal = new LongAdder();
    private final LongAdder deliveredTotal = new LongAdder();
    private final LongAdder measured = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final Recorder latency = new Recorder(3_600_000_000L, 3);
    private final CountDownLatch ready;
    private volatile boolean sending;
    private volatile boolean measuring;

    FanoutScenario(BenchOptions o, PrintStream progress) {
        this.o = o;
        this.progress = progress;
        this.ready = new CountDownLatch(o.rooms() * o.roomSize());
    }

    /** One room; confined to its event loop. */
    final class Room {
        final int index;
        final EventLoop loop;
        final Member[] members;
        final String[] ids;

        Room(int index, EventLoop loop) {
            this.index = index;
            this.loop = loop;
            this.members = new Member[o.roomSize()];
            this.ids = new String[o.roomSize()];
        }
    }

    final class Member implements WsClient.Listener {
        final Room room;
        final int index;
        final byte[] prefix;
        final long[] next;
        volatile WsClient client;
        int knownOthers;
        boolean counted;
        long sent;
        long delivered;
        long duplicatesOrReordered;
        long gaps;
        long wrongSender;
        boolean dirty;

        Member(Room room, int index) {
            this.room = room;
            this.index = index;
            this.prefix = Frames.candidatePrefix(o.messageBytes(), "\"m\":" + index + ",");
            this.next = new long[o.roomSize()];
        }

        @Override
        public void onText(WsClient c, ByteBuf f) {
            if (FrameType.CANDIDATE.of(f)) {
                onRelayed(f);
            } else if (FrameType.YOUR_ID.of(f)) {
                room.ids[index] = Frames.id(f);
                checkReady();
            } else if (FrameType.USERS_IN_ROOM.of(f)) {
                for (int at = Frames.indexOf(f, CLIENT_ID, f.readerIndex());
                        at >= 0;
                        at = Frames.indexOf(f, CLIENT_ID, at + 1)) {
                    knownOthers++;
                }
                checkReady();
            } else if (FrameType.USER_JOINED.of(f)) {
                knownOthers++;
                checkReady();
            } else if (FrameType.PING.of(f)) {
                c.send("{\"type\":\"pong\"}");
            } else if (FrameType.ERROR.of(f) && Frames.isRateLimited(f)) {
                refused.increment(); // one of this member's broadcasts, refused by the server: not a loss
            } else {
                unexpected.increment();
            }
        }

        private void checkReady() {
            if (!counted && room.ids[index] != null && knownOthers == o.roomSize() - 1) {
                counted = true;
                ready.countDown();
            }
        }

        private void onRelayed(ByteBuf f) {
            long now = System.nanoTime();
            int m = (int) Frames.member(f);
            long seq = Frames.seq(f);
            if (m < 0 || m >= next.length || m == index || seq < 0 || !room.ids[m].equals(Frames.from(f))) {
                wrongSender++;
                return;
            }
            if (seq < next[m]) {
                duplicatesOrReordered++;
                return;
            }
            if (seq > next[m]) {
                gaps++;
            }
            next[m] = seq + 1;
            delivered++;
            deliveredTotal.increment();
            if (measuring) {
                measured.increment();
                latency.recordValue(Math.max(0, now - Frames.t(f)));
            }
        }

        void sendOne() {
            ByteBuf out = client.channel().alloc().buffer(prefix.length + 40);
            out.writeBytes(prefix);
            Frames.writeLong(out, sent++);
            out.writeBytes(Frames.T_SEP);
            Frames.writeLong(out, System.nanoTime());
            out.writeByte('}');
            client.send(out);
            sentTotal.increment();
            dirty = true;
        }
    }

    BenchResult run(EventLoopGroup group) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int n = 0;
        for (int r = 0; r < o.rooms(); r++) {
            Room room = new Room(r, group.next());
            rooms.add(room);
            for (int m = 0; m < o.roomSize(); m++) {
                Member member = new Member(room, m);
                room.members[m] = member;
                member.client = WsClient.connect(room.loop, o.uri("/ws/bench-" + r), o.sourceAddress(n++), member);
            }
        }
        if (!ready.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException((o.rooms() * o.roomSize() - ready.getCount()) + " members ready in time");
        }
        long pid = Bench.serverPid(o);
        sending = true;
        long start = System.nanoTime();
        List<ScheduledFuture<?>> tickers = new ArrayList<>();
        List<List<Room>> byLoop = new ArrayList<>();
        java.util.Map<EventLoop, List<Room>> map = new java.util.IdentityHashMap<>();
        for (Room room : rooms) {
            map.computeIfAbsent(room.loop, l -> new ArrayList<>()).add(room);
        }
        byLoop.addAll(map.values());
        double perLoopPerNano = o.rate() / 1e9 / byLoop.size();
        for (List<Room> mine : byLoop) {
            long[] state = new long[2];
            tickers.add(mine.get(0)
                    .loop
                    .scheduleAtFixedRate(
                            () -> {
                                if (!sending) {
                                    return;
                                }
                                long due = (long) ((System.nanoTime() - start) * perLoopPerNano) - state[0];
                                int size = o.roomSize();
                                for (long k = 0; k < due; k++) {
                                    long slot = state[1]++;
                                    Room room = mine.get((int) (slot % mine.size()));
                                    room.members[(int) ((slot / mine.size()) % size)].sendOne();
                                    state[0]++;
                                }
                                for (Room room : mine) {
                                    for (Member m : room.members) {
                                        if (m.dirty) {
                                            m.dirty = false;
                                            m.client.flush();
                                        }
                                    }
                                }
                            },
                            0,
                            1,
                            TimeUnit.MILLISECONDS));
        }
        long warmupEnd = start + o.warmup().toNanos();
        long end = warmupEnd + o.duration().toNanos();
        long cpu0 = 0;
        long self0 = 0;
        long mStart = 0;
        long lastTick = System.nanoTime();
        boolean in = false;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (!in && now >= warmupEnd) {
                in = true;
                latency.reset();
                measuring = true;
                mStart = now;
                cpu0 = ProcStats.cpuNanos(pid);
                self0 = ProcStats.selfCpuNanos();
            }
            if (now - lastTick > 1_000_000_000L) {
                progress.printf(
                        "\r[fanout] %4.0fs  sent %,d  delivered %,d  refused %,d   ",
                        (now - start) / 1e9, sentTotal.sum(), deliveredTotal.sum(), refused.sum());
                progress.flush();
                lastTick = now;
            }
            Thread.sleep(20);
        }
        measuring = false;
        long mNanos = System.nanoTime() - mStart;
        long cpu = pid > 0 ? ProcStats.cpuNanos(pid) - cpu0 : -1;
        long self = ProcStats.selfCpuNanos() - self0;
        Histogram h = latency.getIntervalHistogram();
        long deliveredMeasured = measured.sum();
        sending = false;
        tickers.forEach(t -> t.cancel(false));
        long expected = (sentTotal.sum() - refused.sum()) * (o.roomSize() - 1);
        long drainDeadline = System.nanoTime() + o.drain().toNanos();
        while (deliveredTotal.sum() < expected && System.nanoTime() < drainDeadline) {
            Thread.sleep(10);
        }
        long[] t = totals();
        progress.print("\r");
        BenchResult r = new BenchResult()
                .put("scenario", "fanout")
                .put("rooms", o.rooms())
                .put("room_size", o.roomSize())
                .put("rate", o.rate())
                .put("measured_s", PairScenario.round(mNanos / 1e9))
                .put("deliveries_per_s", Math.round(deliveredMeasured / (mNanos / 1e9)))
                .put("sent", t[0])
                .put("delivered", t[1])
                .put("refused_by_server", refused.sum())
                .put("lost", (t[0] - refused.sum()) * (o.roomSize() - 1) - t[1])
                .put("duplicated_or_reordered", t[2])
                .put("gaps", t[3])
                .put("wrong_sender", t[4])
                .put("unexpected_frames", unexpected.sum())
                .latency(h);
        Bench.cpu(r, pid, cpu, self, mNanos, deliveredMeasured);
        return r;
    }

    /** sent, delivered, duplicated or reordered, gaps, wrong sender — read on each room's loop. */
    private long[] totals() throws InterruptedException {
        return LoopTotals.sum(rooms, room -> room.loop, 5, (room, t) -> {
            for (Member m : room.members) {
                t[0] += m.sent;
                t[1] += m.delivered;
                t[2] += m.duplicatesOrReordered;
                t[3] += m.gaps;
                t[4] += m.wrongSender;
            }
        });
    }

    void close() {
        for (Room room : rooms) {
            for (Member m : room.members) {
                if (m != null && m.client != null) {
                    m.client.close();
                }
            }
        }
    }
}
