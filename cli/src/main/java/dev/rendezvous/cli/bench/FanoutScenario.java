package dev.rendezvous.cli.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Rooms of {@code roomSize} members; at a fixed total rate, members take turns broadcasting a
 * candidate (no {@code to}: every other member receives it). Every receiver checks, per sender, that
 * messages come from that member, once each, in order. One room lives on one event loop.
 */
final class FanoutScenario extends Scenario {
    private static final byte[] CLIENT_ID = Frames.bytes("\"client_id\"");

    private final List<Room> rooms = new ArrayList<>();
    private final Traffic traffic = new Traffic();
    private final CountDownLatch ready;
    private volatile boolean sending;

    FanoutScenario(BenchOptions o, PrintStream progress) {
        super(o, progress);
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

        /** Flushes the members that queued a broadcast since the last flush. */
        void flush() {
            for (Member m : members) {
                if (m.dirty) {
                    m.dirty = false;
                    m.client.flush();
                }
            }
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
                traffic.refused.increment(); // one of this member's broadcasts, refused by the server: not a loss
            } else {
                traffic.unexpected.increment();
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
            traffic.arrived(Frames.t(f), now);
        }

        void sendOne() {
            client.send(Frames.candidate(client.alloc(), prefix, sent++));
            traffic.sent.increment();
            dirty = true;
        }
    }

    @Override
    BenchResult run(EventLoopGroup group) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int n = 0;
        Map<EventLoop, List<Room>> byLoop = new IdentityHashMap<>();
        for (int r = 0; r < o.rooms(); r++) {
            Room room = new Room(r, group.next());
            rooms.add(room);
            byLoop.computeIfAbsent(room.loop, l -> new ArrayList<>()).add(room);
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
        int size = o.roomSize();
        List<ScheduledFuture<?>> tickers = FixedRate.schedule(
                byLoop,
                o.rate(),
                start,
                () -> sending,
                (mine, slot) -> { // the loop's rooms in turn, and in each room its members in turn
                    Room room = mine.get((int) (slot % mine.size()));
                    room.members[(int) ((slot / mine.size()) % size)].sendOne();
                },
                mine -> mine.forEach(Room::flush));
        long warmupEnd = start + o.warmup().toNanos();
        long end = warmupEnd + o.duration().toNanos();
        long mStart = start;
        long lastTick = System.nanoTime();
        boolean in = false;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (!in && now >= warmupEnd) {
                in = true;
                traffic.openWindow(pid);
                mStart = now;
            }
            if (now - lastTick > 1_000_000_000L) {
                progress.printf(
                        "\r[fanout] %4.0fs  sent %,d  delivered %,d  refused %,d   ",
                        (now - start) / 1e9, traffic.sent.sum(), traffic.received.sum(), traffic.refused.sum());
                progress.flush();
                lastTick = now;
            }
            Thread.sleep(20);
        }
        Traffic.Window window = traffic.closeWindow(System.nanoTime() - mStart, pid);
        sending = false;
        tickers.forEach(t -> t.cancel(false));
        long expected = (traffic.sent.sum() - traffic.refused.sum()) * (o.roomSize() - 1);
        long drainDeadline = System.nanoTime() + o.drain().toNanos();
        while (traffic.received.sum() < expected && System.nanoTime() < drainDeadline) {
            Thread.sleep(10);
        }
        long[] t = totals();
        progress.print("\r");
        BenchResult r = new BenchResult()
                .put("scenario", "fanout")
                .put("rooms", o.rooms())
                .put("room_size", o.roomSize())
                .put("rate", o.rate())
                .put("measured_s", PairScenario.round(window.seconds()))
                .put("deliveries_per_s", Math.round(window.delivered() / window.seconds()))
                .put("sent", t[0])
                .put("delivered", t[1])
                .put("refused_by_server", traffic.refused.sum())
                .put("lost", (t[0] - traffic.refused.sum()) * (o.roomSize() - 1) - t[1])
                .put("duplicated_or_reordered", t[2])
                .put("gaps", t[3])
                .put("wrong_sender", t[4])
                .put("unexpected_frames", traffic.unexpected.sum());
        window.addTo(r, pid);
        return r;
    }

    /** sent, delivered, duplicated or reordered, gaps, wrong sender — read on each room's loop. */
    private long[] totals() throws InterruptedException {
        return LoopTotals.sum(rooms, room -> room.loop, 5, (room, t) -> {
            for (Member m : room.members) {
                LoopTotals.add(t, m.sent, m.delivered, m.duplicatesOrReordered, m.gaps, m.wrongSender);
            }
        });
    }

    @Override
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
