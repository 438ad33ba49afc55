package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.hub.LocalHub;
import dev.rendezvous.server.hub.RecordingLink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A departure decided on one event loop while the peer's loop is busy reading its own frames: the peer
 * hears of the departure ({@code peer_disconnected}, {@code user_left}) before any refusal that results from
 * it ({@code not_paired}, {@code target_not_found}). Alice and Bob each have their own manually driven loop;
 * Bob's link orders frames as the transport does ({@link InboxLink}), and Bob's loop reads one more frame at
 * the very moment Alice's loop hands the notice over. Deterministic: one thread plays both loops.
 */
class DepartureOrderTest {
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final String CANDIDATE = "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\"}}";
    private static final Message NOT_PAIRED =
            new Message.Error(ErrorCode.NOT_PAIRED, "pair with a peer before sending candidate", "candidate");

    private final LocalHub hub = new LocalHub();
    private final ConnectionSettings settings = TestSettings.of(hub, HubObserver.NONE, null, Runnable::run, 0, GRACE);
    private final ManualTransport aliceLoop = new ManualTransport();
    private final ManualTransport bobLoop = new ManualTransport();
    private final RecordingLink aliceWire = new RecordingLink();
    private final InboxLink bobLink = new InboxLink(bobLoop);
    private Connection bob;

    private static void text(Connection c, String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        c.onText(utf8, utf8.length);
    }

    /** Alice connects on her loop ({@code resumable=1}: a session that can detach), in {@code room} or the lobby. */
    private Connection alice(String room, boolean resumable) {
        Connection c = new Connection(
                settings, aliceWire, aliceLoop, new ConnectRequest(room, "alice", null, "test", resumable, false));
        c.open();
        return c;
    }

    private void bobConnects(String room) {
        bob = new Connection(settings, bobLink, bobLoop, ConnectRequest.v1(room, "bob", null, "test"));
        bobLink.onLoop(bob::open);
    }

    /** Bob's loop reads one frame from Bob. */
    private void bobSends(String json) {
        bobLink.onLoop(() -> text(bob, json));
    }

    /** Alice (resumable or not) paired with Bob; what both were told so far is drained. */
    private Connection pairedAlice(boolean resumable) {
        Connection a = alice(null, resumable);
        bobConnects(null);
        bobSends("{\"type\":\"pair_request\",\"target_id\":\"alice\"}");
        bobLoop.runPending();
        assertThat(bobLink.wire.drainMessages())
                .containsExactly(new Message.YourId("bob", List.of(), 100, 300), new Message.Paired("alice", true));
        aliceWire.drain();
        return a;
    }

    /** What Bob's client reads once his loop has run what was queued for it. */
    private List<Message> bobReads() {
        assertThat(bobLink.waitingForHandOver())
                .as("a hand-over from another loop happened")
                .isFalse();
        bobLoop.runPending();
        return bobLink.wire.drainMessages();
    }

    /**
     * Alice's loop runs {@code departure} while Bob's loop reads on (a candidate at the hand-over, one after):
     * Bob reads {@code peer_disconnected}, then {@code not_paired}, never the other way round.
     */
    private void departsWhileBobSends(Runnable departure) {
        bobLink.onNextHandOver(() -> text(bob, CANDIDATE));
        departure.run();
        bobSends(CANDIDATE);
        assertThat(bobReads()).containsExactly(new Message.PeerDisconnected("alice"), NOT_PAIRED);
        assertThat(hub.state().pairs()).isZero();
    }

    @Test
    void aDetachedPeerWhoseBufferOverflowsIsReportedBeforeNotPaired() {
        Connection a = pairedAlice(true);
        a.onClosed(); // no close frame: detached
        for (int i = 0; i < ResumableLink.MAX_FRAMES; i++) {
            bobSends(CANDIDATE); // kept for Alice
        }
        bobSends(CANDIDATE); // one too many: Alice's session departs, on her own loop
        departsWhileBobSends(aliceLoop::runPending);
        assertThat(hub.find("alice")).isNull();
    }

    @Test
    void aDetachedPeerWhoseGraceExpiresIsReportedBeforeNotPaired() {
        Connection a = pairedAlice(true);
        a.onClosed();
        departsWhileBobSends(() -> aliceLoop.advanceMillis(GRACE.toMillis()));
        assertThat(hub.find("alice")).isNull();
    }

    @Test
    void aPeerClosingIsReportedBeforeNotPaired() {
        Connection a = pairedAlice(false);
        departsWhileBobSends(() -> {
            a.onCloseFrame();
            a.onClosed();
        });
    }

    @Test
    void aPeerUnpairingIsReportedBeforeNotPaired() {
        Connection a = pairedAlice(false);
        departsWhileBobSends(() -> text(a, "{\"type\":\"unpair\"}"));
    }

    @Test
    void aRoomMemberLeavingIsReportedBeforeTargetNotFound() {
        Connection a = alice("r", false);
        bobConnects("r");
        assertThat(bobReads()).hasSize(2); // your_id, users_in_room
        String toAlice = "{\"type\":\"candidate\",\"to\":\"alice\",\"candidate\":{\"candidate\":\"c\"}}";
        bobLink.onNextHandOver(() -> text(bob, toAlice));
        a.onCloseFrame();
        a.onClosed();
        bobSends(toAlice);
        assertThat(bobReads())
                .containsExactly(
                        new Message.UserLeft("alice", null),
                        new Message.Error(ErrorCode.TARGET_NOT_FOUND, "no client alice in room r", "candidate"));
    }
}
