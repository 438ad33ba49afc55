package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.hub.LocalHub;
import dev.rendezvous.server.hub.RecordingLink;
import dev.rendezvous.server.hub.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * A connection in front of a hub that answers admission and pairing later (as the Redis backplane
 * does): frames wait for admission and are then handled in order, a close while the hub decides gives
 * the id back, and {@code cluster_unavailable} answers are reported. Logic only, on a manual clock.
 */
class AsyncHubConnectionTest {
    private final ManualTransport clock = new ManualTransport();
    private final SlowHub hub = new SlowHub();

    /** A {@link LocalHub} whose admit and pairAsync complete only when the test says so. */
    private static final class SlowHub implements Hub {
        final LocalHub local = new LocalHub();
        final List<Runnable> pending = new ArrayList<>();
        final List<Session> departed = new ArrayList<>();
        Admission admission = Admission.ADMITTED;
        PairResult pairResult;

        void answer() {
            List<Runnable> now = new ArrayList<>(pending);
            pending.clear();
            now.forEach(Runnable::run);
        }

        @Override
        public CompletionStage<Admission> admit(Session session) {
            CompletableFuture<Admission> f = new CompletableFuture<>();
            pending.add(() -> f.complete(admission == Admission.ADMITTED && !local.register(session) ? Admission.ID_TAKEN : admission));
            return f;
        }

        @Override
        public CompletionStage<PairResult> pairAsync(Session requester, String targetId) {
            CompletableFuture<PairResult> f = new CompletableFuture<>();
            pending.add(() -> f.complete(pairResult != null ? pairResult : local.pair(requester, targetId)));
            return f;
        }

        @Override
        public boolean register(Session session) {
            throw new AssertionError("the connection must call admit()");
        }

        @Override
        public void join(Session session) {
            local.join(session);
        }

        @Override
        public PairResult pair(Session requester, String targetId) {
            throw new AssertionError("the connection must call pairAsync()");
        }

        @Override
        public boolean unpair(Session session) {
            return local.unpair(session);
        }

        @Override
        public RelayResult relay(Session sender, String to, ByteBuf frame) {
            return local.relay(sender, to, frame);
        }

        @Override
        public void depart(Session session) {
            departed.add(session);
            local.depart(session);
        }

        @Override
        public HubState state() {
            return local.state();
        }
    }

    private Connection open(RecordingLink link, String id) {
        ConnectionSettings settings = new ConnectionSettings(hub, HubObserver.NONE, Duration.ofMillis(100),
                Duration.ofMillis(300), null, Duration.ofMillis(1000), Runnable::run, i -> List.of(), 0, 0);
        Connection c = new Connection(settings, link, clock, null, id, null, "test");
        c.open();
        return c;
    }

    private static void text(Connection c, String json) {
        ByteBuf b = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
        try {
            c.onText(b);
        } finally {
            b.release();
        }
    }

    private void answer() {
        hub.answer();
        clock.runPending();
    }

    @Test
    void framesSentBeforeAdmissionWaitAndAreHandledInOrderOnceAdmitted() {
        RecordingLink link = new RecordingLink();
        Connection c = open(link, "a");
        text(c, "{\"type\":\"ping\"}");
        text(c, "{\"type\":\"dance\"}");
        assertThat(link.drainMessages()).as("nothing before your_id").isEmpty();
        answer();
        List<Message> got = link.drainMessages();
        assertThat(got).hasSize(3);
        assertThat(got.get(0)).isInstanceOf(Message.YourId.class);
        assertThat(got.get(1)).isEqualTo(new Message.Pong());
        assertThat(((Message.Error) got.get(2)).code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
    }

    @Test
    void aCloseWhileTheHubDecidesGivesTheIdBackExactlyOnce() {
        RecordingLink link = new RecordingLink();
        Connection c = open(link, "a");
        text(c, "{\"type\":\"ping\"}");
        c.onClosed();
        answer();
        assertThat(hub.departed).hasSize(1);
        assertThat(hub.state().empty()).isTrue();
        assertThat(link.drainMessages()).isEmpty();
    }

    @Test
    void anUnreachableBackplaneRefusesAdmissionWithClusterUnavailableAnd1013() {
        hub.admission = Hub.Admission.CLUSTER_UNAVAILABLE;
        RecordingLink link = new RecordingLink();
        open(link, "a");
        answer();
        assertThat(link.drainMessages()).singleElement()
                .isInstanceOfSatisfying(Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_UNAVAILABLE));
        assertThat(link.closedWith()).isEqualTo(CloseCode.TRY_AGAIN_LATER);
        assertThat(hub.departed).isEmpty();
    }

    @Test
    void pairingAnsweredLaterReportsRefusalsAndClusterUnavailable() {
        RecordingLink aLink = new RecordingLink();
        RecordingLink bLink = new RecordingLink();
        Connection a = open(aLink, "a");
        open(bLink, "b");
        answer();
        aLink.drain();
        bLink.drain();
        text(a, "{\"type\":\"pair_request\",\"target_id\":\"nobody\"}");
        assertThat(aLink.drain()).as("no answer until the hub decides").isEmpty();
        answer();
        assertThat(((Message.Error) aLink.drainMessages().get(0)).code()).isEqualTo(ErrorCode.PEER_NOT_FOUND);

        hub.pairResult = Hub.PairResult.CLUSTER_UNAVAILABLE;
        text(a, "{\"type\":\"pair_request\",\"target_id\":\"b\"}");
        answer();
        Message.Error e = (Message.Error) aLink.drainMessages().get(0);
        assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_UNAVAILABLE);
        assertThat(e.ref()).isEqualTo("pair_request");

        hub.pairResult = null;
        text(a, "{\"type\":\"pair_request\",\"target_id\":\"b\"}");
        answer();
        assertThat(aLink.drainMessages()).containsExactly(new Message.Paired("b", true));
        assertThat(bLink.drainMessages()).containsExactly(new Message.Paired("a", false));
    }

    @Test
    void aPairingAnsweredAfterTheCloseSendsNothing() {
        RecordingLink link = new RecordingLink();
        Connection a = open(link, "a");
        answer();
        link.drain();
        hub.pairResult = Hub.PairResult.PEER_NOT_FOUND;
        text(a, "{\"type\":\"pair_request\",\"target_id\":\"x\"}");
        a.onClosed();
        answer();
        assertThat(link.drain()).isEmpty();
    }
}
