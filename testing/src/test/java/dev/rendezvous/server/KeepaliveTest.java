package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keepalive with small timings (interval 100 ms, timeout 300 ms) on real sockets. Waits are condition
 * waits on the recorder's queue; bounds are measured from the client's last send, which precedes the
 * server's "last heard" instant. Only the lower bound (never before the timeout) is tight here: a real
 * clock on a shared machine can be late by any amount, and the exact window is tested on a manual
 * clock ({@code ConnectionTest}, {@code KeepaliveClockTest}).
 */
class KeepaliveTest {
    private static final long INTERVAL = 100;
    private static final long TIMEOUT = 300;
    /** How late a loaded machine may be; an upper bound that only catches a close that never comes. */
    private static final Duration LATE = Duration.ofSeconds(10);

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(
            c -> c.pingInterval(Duration.ofMillis(INTERVAL)).pingTimeout(Duration.ofMillis(TIMEOUT)));

    @Test
    void yourIdAnnouncesTheTimings() {
        Message.YourId id = server.client(server.lobbyUri()).next(Message.YourId.class);
        assertThat(id.pingIntervalMs()).isEqualTo(INTERVAL);
        assertThat(id.pingTimeoutMs()).isEqualTo(TIMEOUT);
    }

    @Test
    void serverPingsEveryIntervalAndASilentClientIsClosedWith4008InsideTheWindow() {
        WsRecorder c = server.admittedClient();
        long sent = System.nanoTime();
        c.sendText("{\"type\":\"pong\"}"); // the last frame the server hears
        c.await(Message.Ping.class);
        c.await(Message.Ping.class);
        int code = c.awaitClose(LATE);
        long silentMs = (System.nanoTime() - sent) / 1_000_000;
        assertThat(code).isEqualTo(4008);
        assertThat(silentMs).as("never before the timeout").isBetween(TIMEOUT, TIMEOUT + INTERVAL + LATE.toMillis());
    }

    @Test
    void aClientAnsweringPingsStaysConnectedForManyTimeouts() {
        WsRecorder c = server.admittedClient();
        for (int i = 0; i < 12; i++) { // 12 pings ≈ 4 timeouts
            c.next(Message.Ping.class);
            c.send(new Message.Pong());
        }
        assertThat(c.isClosed()).isFalse();
        assertThat(server.hubState().sessions()).isEqualTo(1);
    }

    @Test
    void anyFrameCountsAsLivenessEvenAnInvalidOne() {
        WsRecorder c = server.admittedClient();
        int pings = 0;
        while (pings < 12) {
            Message m = c.next(); // pings and the errors our garbage earns, in any interleaving
            if (m instanceof Message.Ping) {
                pings++;
                c.sendText("not json");
            } else {
                assertThat(m)
                        .isInstanceOfSatisfying(
                                Message.Error.class,
                                e -> assertThat(e.code().wireName()).isEqualTo("invalid_json"));
            }
        }
        assertThat(c.isClosed()).isFalse();
    }

    @Test
    void aTimedOutLobbyClientIsDisconnectedFromItsPeer() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = server.admittedClient();
        a.send(new Message.PairRequest(b.id()));
        a.await(Message.Paired.class);
        b.await(Message.Paired.class);
        // b keeps answering, a goes silent
        long deadline = System.nanoTime() + LATE.toNanos();
        boolean sawDisconnect = false;
        while (!sawDisconnect && System.nanoTime() < deadline) {
            Message m = b.next();
            if (m instanceof Message.Ping) {
                b.send(new Message.Pong());
            } else if (m instanceof Message.PeerDisconnected pd) {
                assertThat(pd.peerId()).isEqualTo(a.id());
                sawDisconnect = true;
            }
        }
        assertThat(sawDisconnect).isTrue();
        assertThat(a.awaitClose()).isEqualTo(4008);
        assertThat(b.isClosed()).isFalse();
    }

    @Test
    void aTimedOutRoomMemberLeavesTheRoom() {
        WsRecorder a = server.admittedClient("k");
        a.await(Message.UsersInRoom.class);
        WsRecorder b = server.admittedClient("k");
        b.await(Message.UsersInRoom.class);
        long deadline = System.nanoTime() + LATE.toNanos();
        Message.UserLeft left = null;
        while (left == null && System.nanoTime() < deadline) {
            Message m = b.next();
            if (m instanceof Message.Ping) {
                b.send(new Message.Pong());
            } else if (m instanceof Message.UserLeft ul) {
                left = ul;
            }
        }
        assertThat(left).isNotNull();
        assertThat(left.clientId()).isEqualTo(a.id());
    }

    @Test
    void clientPingGetsPong() {
        WsRecorder c = server.admittedClient();
        c.send(new Message.Ping());
        c.await(Message.Pong.class);
    }
}
