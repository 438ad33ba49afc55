package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.WsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: stop accepting, close every session with 1001, return within the bound. */
class ShutdownTest {

    @Test
    void closeSendsGoingAwayToEveryoneAndReturnsWithinTheBound() throws Exception {
        SignalingServer server = SignalingServer.start(ServerConfig.builder()
                .port(0)
                .shutdownTimeout(Duration.ofSeconds(2))
                .build());
        WsRecorder a = WsRecorder.admitted(server.lobbyUri());
        WsRecorder b = WsRecorder.admitted(server.lobbyUri());
        a.pairWith(b);
        WsRecorder r = WsRecorder.admitted(server.roomUri("x"));
        r.next(Message.UsersInRoom.class);
        // a client that never reads nor answers the close handshake
        RawWebSocket mute = RawWebSocket.connect(server.lobbyUri());
        MessageCodec.decode(mute.readText());

        long start = System.nanoTime();
        server.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // The bound is the shutdown timeout (2 s) plus a moment for the loops to stop; generous for a loaded machine,
        // it catches a close() that waits for the mute client instead of dropping it.
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(a.awaitClose()).isEqualTo(1001);
        assertThat(b.awaitClose()).isEqualTo(1001);
        assertThat(r.awaitClose()).isEqualTo(1001);
        assertThat(mute.awaitClose(Duration.ofSeconds(2))).isIn(1001, 1006);
        assertThat(server.hub().state().empty()).isTrue();
        assertThatThrownBy(() -> WsRecorder.connect(server.lobbyUri())).isInstanceOf(AssertionError.class);
        server.close(); // idempotent
        mute.close();
    }

    /**
     * A rolling restart must not end live calls: a client told {@code peer_disconnected} (or
     * {@code user_left}) resets its WebRTC connection, so clients closed by the shutdown hear nothing
     * but their own 1001.
     */
    @Test
    void sessionsClosedByTheShutdownAreNotToldThatTheirPeerLeft() throws Exception {
        SignalingServer server =
                SignalingServer.start(ServerConfig.builder().port(0).build());
        List<WsRecorder> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // several pairs and members, spread over the event loops
            WsRecorder a = WsRecorder.admitted(server.lobbyUri());
            WsRecorder b = WsRecorder.admitted(server.lobbyUri());
            a.pairWith(b);
            clients.add(a);
            clients.add(b);
        }
        List<WsRecorder> members = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            WsRecorder m = WsRecorder.admitted(server.roomUri("x"));
            m.next(Message.UsersInRoom.class);
            for (WsRecorder other : members) {
                other.next(Message.UserJoined.class);
            }
            members.add(m);
        }
        clients.addAll(members);

        server.close();

        for (WsRecorder c : clients) {
            assertThat(c.nextEvent(WsRecorder.TIMEOUT))
                    .as("the first thing %s hears after the shutdown", c.id())
                    .isInstanceOfSatisfying(
                            WsRecorder.Event.Closed.class,
                            closed -> assertThat(closed.code()).isEqualTo(1001));
        }
        assertThat(server.hub().state().empty()).isTrue();
    }
}
