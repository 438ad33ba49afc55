package dev.rendezvous.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The hub's routing, pairing and room logic, without sockets. */
class LocalHubTest {
    private final LocalHub hub = new LocalHub();

    private Session lobby(String id) {
        Session s = new Session(id, null, null, new RecordingLink());
        assertThat(register(hub, s)).isTrue();
        return s;
    }

    private Session member(String id, String room, String name) {
        Session s = new Session(id, name, room, new RecordingLink());
        assertThat(register(hub, s)).isTrue();
        hub.join(s);
        return s;
    }

    private record PairedAB(Session a, Session b) {}

    /** Lobby clients a and b, paired (a asked), their {@code paired} frames drained. */
    private PairedAB pairedAB() {
        Session a = lobby("a");
        Session b = lobby("b");
        assertThat(pair(hub, a, "b")).isEqualTo(PAIRED_WITH_B);
        link(a).drain();
        link(b).drain();
        return new PairedAB(a, b);
    }

    private static boolean register(Hub hub, Session s) {
        return hub.register(s).toCompletableFuture().join();
    }

    private static PairResult pair(Hub hub, Session requester, String target) {
        return hub.pair(requester, target).toCompletableFuture().join();
    }

    private static final PairResult PAIRED_WITH_B = new PairResult.Paired("b");
    private static final PairResult SELF_PAIR = Refusal.of(ErrorCode.SELF_PAIR, "you cannot pair with yourself");

    private static PairResult notFound(String target) {
        return Refusal.of(ErrorCode.PEER_NOT_FOUND, "no lobby client has id " + target);
    }

    private static RecordingLink link(Session s) {
        return (RecordingLink) s.link();
    }

    private static ByteBuf frame(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    @Test
    void idsAreNeverReplaced() {
        Session a = lobby("a");
        assertThat(register(hub, new Session("a", null, "room", new RecordingLink())))
                .isFalse();
        assertThat(hub.find("a")).isSameAs(a);
    }

    @Test
    void pairingAndRefusals() {
        Session a = lobby("a");
        Session b = lobby("b");
        Session c = lobby("c");
        member("r", "room", null);
        assertThat(pair(hub, a, "a")).isEqualTo(SELF_PAIR);
        assertThat(pair(hub, a, "zz")).isEqualTo(notFound("zz"));
        assertThat(pair(hub, a, "r")).isEqualTo(notFound("r"));
        assertThat(pair(hub, a, "b")).isEqualTo(PAIRED_WITH_B);
        assertThat(link(a).drainMessages()).containsExactly(new Message.Paired("b", true));
        assertThat(link(b).drainMessages()).containsExactly(new Message.Paired("a", false));
        assertThat(pair(hub, b, "a")).isEqualTo(new PairResult.AlreadyPairedWithTarget("a"));
        assertThat(pair(hub, c, "a")).isEqualTo(Refusal.of(ErrorCode.PEER_BUSY, "a is already paired"));
        assertThat(pair(hub, a, "c")).isEqualTo(Refusal.of(ErrorCode.ALREADY_PAIRED, "you are already paired with b"));
        assertThat(pair(hub, a, "zz")).isEqualTo(Refusal.of(ErrorCode.ALREADY_PAIRED, "you are already paired with b"));
        assertThat(a.peerId()).isEqualTo("b");
        assertThat(b.peerId()).isEqualTo("a");
        assertThat(hub.state().pairs()).isEqualTo(1);
        assertThat(link(a).drain()).isEmpty();
        assertThat(link(c).drain()).isEmpty();
    }

    @Test
    void unpairTellsOnlyThePeer() {
        PairedAB p = pairedAB();
        Session a = p.a();
        Session b = p.b();
        assertThat(hub.unpair(a)).isTrue();
        assertThat(link(b).drainMessages()).containsExactly(new Message.PeerDisconnected("a"));
        assertThat(link(a).drain()).isEmpty();
        assertThat(hub.unpair(a)).isFalse();
        assertThat(hub.state().pairs()).isZero();
    }

    @Test
    void lobbyRelayGoesToThePeerOnly() {
        Session a = lobby("a");
        Session b = lobby("b");
        Session c = lobby("c");
        assertThat(hub.relay(a, null, frame("{}"))).isEqualTo(Hub.RelayResult.NOT_PAIRED);
        pair(hub, a, "b");
        link(b).drain();
        assertThat(hub.relay(a, null, frame("{\"n\":1}"))).isEqualTo(Hub.RelayResult.DELIVERED);
        assertThat(hub.relay(a, "b", frame("{\"n\":2}"))).isEqualTo(Hub.RelayResult.DELIVERED);
        assertThat(hub.relay(a, "c", frame("{\"n\":3}"))).isEqualTo(Hub.RelayResult.TARGET_NOT_FOUND);
        assertThat(link(b).drain()).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(link(c).drain()).isEmpty();
    }

    @Test
    void roomPresenceAndRelay() {
        Session a = member("a", "r", "Ann");
        assertThat(link(a).drainMessages()).containsExactly(new Message.UsersInRoom(List.of()));
        Session b = member("b", "r", "Bob");
        assertThat(link(b).drainMessages())
                .containsExactly(new Message.UsersInRoom(List.of(new Message.RoomUser("a", "Ann"))));
        assertThat(link(a).drainMessages()).containsExactly(new Message.UserJoined("b", "Bob"));
        Session c = member("c", "r", null);
        link(a).drain();
        link(b).drain();
        link(c).drain();
        Session other = member("o", "elsewhere", null);
        Session lobby = lobby("l");

        assertThat(hub.relay(a, null, frame("{\"all\":1}"))).isEqualTo(Hub.RelayResult.DELIVERED);
        assertThat(link(b).drain()).containsExactly("{\"all\":1}");
        assertThat(link(c).drain()).containsExactly("{\"all\":1}");
        assertThat(link(a).drain()).isEmpty();
        assertThat(hub.relay(a, "c", frame("{\"one\":1}"))).isEqualTo(Hub.RelayResult.DELIVERED);
        assertThat(link(c).drain()).containsExactly("{\"one\":1}");
        assertThat(link(b).drain()).isEmpty();
        assertThat(hub.relay(a, "a", frame("{}"))).isEqualTo(Hub.RelayResult.DROPPED_SELF);
        assertThat(hub.relay(a, "o", frame("{}"))).isEqualTo(Hub.RelayResult.TARGET_NOT_FOUND);
        assertThat(hub.relay(a, "l", frame("{}"))).isEqualTo(Hub.RelayResult.TARGET_NOT_FOUND);
        assertThat(link(other).drain()).hasSize(1); // only its own users_in_room
        assertThat(link(lobby).drain()).isEmpty();

        hub.depart(b);
        assertThat(link(a).drainMessages()).containsExactly(new Message.UserLeft("b", "Bob"));
        assertThat(link(c).drainMessages()).containsExactly(new Message.UserLeft("b", "Bob"));
        assertThat(hub.state()).isEqualTo(new Hub.HubState(4, 0, 2, 3));
    }

    @Test
    void departureRunsOnceAndFreesEverything() {
        PairedAB p = pairedAB();
        Session a = p.a();
        Session b = p.b();
        hub.depart(a);
        hub.depart(a);
        assertThat(link(b).drainMessages()).containsExactly(new Message.PeerDisconnected("a"));
        assertThat(pair(hub, b, "a")).isEqualTo(notFound("a"));
        Session r = member("r", "room", null);
        departAndAssertEmpty(r, b);
    }

    @Test
    void aSessionRefusedAtRegistrationDepartsWithoutTouchingTheHolder() {
        Session holder = lobby("a");
        Session refused = new Session("a", null, null, new RecordingLink());
        assertThat(register(hub, refused)).isFalse();
        hub.depart(refused);
        assertThat(hub.find("a")).isSameAs(holder);
    }

    @Test
    void mutualPairingRacesEndPairedExactlyOnce() throws Exception {
        for (int round = 0; round < 300; round++) {
            LocalHub h = new LocalHub();
            Session a = new Session("a" + round, null, null, new RecordingLink());
            Session b = new Session("b" + round, null, null, new RecordingLink());
            register(h, a);
            register(h, b);
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicReference<PairResult> ra = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                await(start);
                ra.set(pair(h, a, b.id()));
            });
            await(start);
            PairResult rb = pair(h, b, a.id());
            t.join();
            assertThat(ra.get()).isIn(new PairResult.Paired(b.id()), new PairResult.AlreadyPairedWithTarget(b.id()));
            assertThat(rb).isIn(new PairResult.Paired(a.id()), new PairResult.AlreadyPairedWithTarget(a.id()));
            assertThat(List.of(ra.get(), rb))
                    .filteredOn(r -> r instanceof PairResult.Paired)
                    .hasSize(1);
            List<Message> ma = link(a).drainMessages();
            List<Message> mb = link(b).drainMessages();
            assertThat(ma).hasSize(1);
            assertThat(mb).hasSize(1);
            assertThat(((Message.Paired) ma.get(0)).initiator()).isNotEqualTo(((Message.Paired) mb.get(0)).initiator());
            assertThat(h.state().pairs()).isEqualTo(1);
        }
    }

    @Test
    void departingWhilePairingLeavesNoGhostPair() throws Exception {
        for (int round = 0; round < 300; round++) {
            LocalHub h = new LocalHub();
            Session a = new Session("a", null, null, new RecordingLink());
            Session b = new Session("b", null, null, new RecordingLink());
            register(h, a);
            register(h, b);
            CyclicBarrier start = new CyclicBarrier(2);
            Thread t = Thread.ofPlatform().start(() -> {
                await(start);
                h.depart(b);
            });
            await(start);
            PairResult r = pair(h, a, "b");
            t.join();
            assertThat(h.state().pairs()).isZero();
            assertThat(a.peerId()).isNull();
            if (r.equals(PAIRED_WITH_B)) {
                assertThat(link(a).drainMessages())
                        .containsExactly(new Message.Paired("b", true), new Message.PeerDisconnected("b"));
            } else {
                assertThat(r).isEqualTo(notFound("b"));
            }
        }
    }

    @Test
    void aReconnectWithTheSameIdCannotMeetItsOwnGhostWhileTheOldSessionLeaves() throws Exception {
        Session old = member("a", "room", "Ann");
        Session b = member("b", "room", "Bob");
        link(old).drain();
        link(b).drain();
        LocalHub.Room room = ((LocalHub.Entry) old.entry()).joinedRoom;
        Thread leaving;
        synchronized (room) { // holds the old session's departure in the middle: before it leaves the room
            leaving = Thread.ofPlatform().start(() -> hub.depart(old));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (leaving.getState() != Thread.State.BLOCKED) {
                assertThat(System.nanoTime())
                        .as("departure reached the room lock")
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
            assertThat(register(hub, new Session("a", "Ann", "room", new RecordingLink())))
                    .as("the id stays taken until the departure is complete")
                    .isFalse();
        }
        leaving.join();
        assertThat(hub.state()).isEqualTo(new Hub.HubState(1, 0, 1, 1));
        Session again = member("a", "room", "Ann");
        assertThat(link(again).drainMessages())
                .containsExactly(new Message.UsersInRoom(List.of(new Message.RoomUser("b", "Bob"))));
        assertThat(link(b).drainMessages())
                .containsExactly(new Message.UserLeft("a", "Ann"), new Message.UserJoined("a", "Ann"));
        assertThat(hub.state()).isEqualTo(new Hub.HubState(2, 0, 1, 2));
        hub.depart(old); // a second departure of the old session changes nothing
        assertThat(link(again).drain()).isEmpty();
        departAndAssertEmpty(again, b);
    }

    @Test
    void departuresDuringShutdownTellNoOneButStillCleanUp() {
        Session a = lobby("a");
        Session b = lobby("b");
        assertThat(pair(hub, a, "b")).isEqualTo(PAIRED_WITH_B);
        Session r1 = member("r1", "room", null);
        Session r2 = member("r2", "room", null);
        for (Session s : List.of(a, b, r1, r2)) {
            link(s).drain();
        }
        hub.goingAway();
        hub.depart(a);
        hub.depart(r1);
        assertThat(link(b).drain()).as("no peer_disconnected").isEmpty();
        assertThat(link(r2).drain()).as("no user_left").isEmpty();
        assertThat(b.peerId()).isNull();
        departAndAssertEmpty(b, r2);
    }

    /** Departs the sessions still in the hub: nothing of them stays. */
    private void departAndAssertEmpty(Session... last) {
        for (Session s : last) {
            hub.depart(s);
        }
        assertThat(hub.state().empty()).isTrue();
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
