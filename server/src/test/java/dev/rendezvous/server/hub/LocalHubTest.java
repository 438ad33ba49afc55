package dev.rendezvous.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static boolean register(Hub hub, Session s) {
        return hub.register(s).toCompletableFuture().join();
    }

    private static Hub.PairResult pair(Hub hub, Session requester, String target) {
        return hub.pair(requester, target).toCompletableFuture().join();
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
        assertThat(register(hub, new Session("a", null, "room", new RecordingLink()))).isFalse();
        assertThat(hub.find("a")).isSameAs(a);
    }

    @Test
    void pairingAndRefusals() {
        Session a = lobby("a");
        Session b = lobby("b");
        Session c = lobby("c");
        member("r", "room", null);
        assertThat(pair(hub, a, "a")).isEqualTo(Hub.PairResult.SELF_PAIR);
        assertThat(pair(hub, a, "zz")).isEqualTo(Hub.PairResult.PEER_NOT_FOUND);
        assertThat(pair(hub, a, "r")).isEqualTo(Hub.PairResult.PEER_NOT_FOUND);
        assertThat(pair(hub, a, "b")).isEqualTo(Hub.PairResult.PAIRED);
        assertThat(link(a).drainMessages()).containsExactly(new Message.Paired("b", true));
        assertThat(link(b).drainMessages()).containsExactly(new Message.Paired("a", false));
        assertThat(pair(hub, b, "a")).isEqualTo(Hub.PairResult.ALREADY_PAIRED_WITH_TARGET);
        assertThat(pair(hub, c, "a")).isEqualTo(Hub.PairResult.PEER_BUSY);
        assertThat(pair(hub, a, "c")).isEqualTo(Hub.PairResult.ALREADY_PAIRED);
        assertThat(pair(hub, a, "zz")).isEqualTo(Hub.PairResult.ALREADY_PAIRED);
        assertThat(hub.state().pairs()).isEqualTo(1);
        assertThat(link(a).drain()).isEmpty();
        assertThat(link(c).drain()).isEmpty();
    }

    @Test
    void unpairTellsOnlyThePeer() {
        Session a = lobby("a");
        Session b = lobby("b");
        pair(hub, a, "b");
        link(a).drain();
        link(b).drain();
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
        assertThat(link(b).drainMessages()).containsExactly(new Message.UsersInRoom(List.of(new Message.RoomUser("a", "Ann"))));
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
        Session a = lobby("a");
        Session b = lobby("b");
        pair(hub, a, "b");
        link(b).drain();
        hub.depart(a);
        hub.depart(a);
        assertThat(link(b).drainMessages()).containsExactly(new Message.PeerDisconnected("a"));
        assertThat(pair(hub, b, "a")).isEqualTo(Hub.PairResult.PEER_NOT_FOUND);
        Session r = member("r", "room", null);
        hub.depart(r);
        hub.depart(b);
        assertThat(hub.state().empty()).isTrue();
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
            AtomicReference<Hub.PairResult> ra = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                await(start);
                ra.set(pair(h, a, b.id()));
            });
            await(start);
            Hub.PairResult rb = pair(h, b, a.id());
            t.join();
            assertThat(List.of(ra.get(), rb)).containsExactlyInAnyOrder(Hub.PairResult.PAIRED, Hub.PairResult.ALREADY_PAIRED_WITH_TARGET);
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
            Hub.PairResult r = pair(h, a, "b");
            t.join();
            assertThat(h.state().pairs()).isZero();
            assertThat(a.peerId()).isNull();
            if (r == Hub.PairResult.PAIRED) {
                assertThat(link(a).drainMessages()).containsExactly(new Message.Paired("b", true), new Message.PeerDisconnected("b"));
            } else {
                assertThat(r).isEqualTo(Hub.PairResult.PEER_NOT_FOUND);
            }
        }
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
