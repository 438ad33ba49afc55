package dev.rendezvous.client;

import java.net.URI;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Two test peers, {@code <name>-a} and {@code <name>-b}, on one signaling server, each with its own
 * recorder. {@link #opened} also pairs them ({@code a} asks for {@code b}, so {@code a} offers) and waits
 * until both chat channels are open. Closing the pair closes both peers, {@code b} first.
 */
record PeerPair<R extends PeerRecorder>(Peer a, R aEvents, Peer b, R bEvents) implements AutoCloseable {

    /** Loopback peers in the lobby at {@code lobby}, paired, chat open. */
    static PeerPair<PeerRecorder> opened(URI lobby, String name) throws Exception {
        return opened(id -> TestPeers.loopback(lobby, id), name, PeerRecorder::new);
    }

    /** Peers made with {@code options} (given each one's id), paired, chat open. */
    static <R extends PeerRecorder> PeerPair<R> opened(
            Function<String, PeerOptions> options, String name, Supplier<R> recorders) throws Exception {
        PeerPair<R> pair = connected(options, name, recorders);
        try {
            pair.a.pair(pair.bId());
            pair.aEvents.awaitEvent("open " + pair.bId());
            pair.bEvents.awaitEvent("open " + pair.aId());
            return pair;
        } catch (Exception | Error e) {
            pair.close();
            throw e;
        }
    }

    /** Loopback peers in the lobby at {@code lobby}, connected, not paired. */
    static PeerPair<PeerRecorder> connected(URI lobby, String name) throws Exception {
        return connected(id -> TestPeers.loopback(lobby, id), name, PeerRecorder::new);
    }

    static <R extends PeerRecorder> PeerPair<R> connected(
            Function<String, PeerOptions> options, String name, Supplier<R> recorders) throws Exception {
        R aEvents = recorders.get();
        R bEvents = recorders.get();
        Peer a = TestPeers.connect(options.apply(name + "-a"), aEvents);
        try {
            return new PeerPair<>(a, aEvents, TestPeers.connect(options.apply(name + "-b"), bEvents), bEvents);
        } catch (Exception | Error e) {
            a.close();
            throw e;
        }
    }

    String aId() {
        return a.id();
    }

    String bId() {
        return b.id();
    }

    @Override
    public void close() {
        try {
            b.close();
        } finally {
            a.close();
        }
    }
}
