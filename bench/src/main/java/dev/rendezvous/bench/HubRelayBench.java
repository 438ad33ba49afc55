package dev.rendezvous.bench;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.hub.Link;
import dev.rendezvous.server.hub.LocalHub;
import dev.rendezvous.server.hub.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The hub's routing of one relayed frame: lobby pair (one volatile read), room target by id (a map
 * lookup), room broadcast to {@code roomSize - 1} members (a retained duplicate each). The link only
 * releases the frame, so this is routing alone, no I/O. Run with several threads to see contention.
 * Public API only: it sits in the bench package, not the hub's.
 */
@State(Scope.Benchmark)
public class HubRelayBench extends QuickNanosBench {
    /** A link that drops what it is given. */
    static final class NullLink implements Link {
        @Override
        public void send(ByteBuf utf8Json) {
            utf8Json.release();
        }

        @Override
        public void close(CloseCode code, String reason) {}
    }

    @Param({"8"})
    int roomSize;

    private final LocalHub hub = new LocalHub();
    private Session lobbyA;
    private Session roomSender;
    private String roomTarget;

    @Setup
    public void setUp() {
        lobbyA = new Session("a", null, null, new NullLink());
        Session lobbyB = new Session("b", null, null, new NullLink());
        hub.register(lobbyA);
        hub.register(lobbyB);
        hub.pair(lobbyA, "b");
        for (int i = 0; i < roomSize; i++) {
            Session s = new Session("r" + i, "user" + i, "room", new NullLink());
            hub.register(s);
            hub.join(s);
            if (i == 0) {
                roomSender = s;
            }
        }
        roomTarget = "r1";
    }

    private static ByteBuf frame() {
        return PooledByteBufAllocator.DEFAULT.buffer(320).writerIndex(300);
    }

    @Benchmark
    public Hub.RelayResult lobbyPair() {
        return hub.relay(lobbyA, null, frame());
    }

    @Benchmark
    public Hub.RelayResult roomTargeted() {
        return hub.relay(roomSender, roomTarget, frame());
    }

    @Benchmark
    public Hub.RelayResult roomBroadcast() {
        return hub.relay(roomSender, null, frame());
    }

    @Benchmark
    @Threads(2)
    public Hub.RelayResult lobbyPairTwoThreads() {
        return hub.relay(lobbyA, null, frame());
    }
}
