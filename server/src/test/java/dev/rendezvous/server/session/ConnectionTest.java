package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.auth.AuthResult;
import dev.rendezvous.server.auth.Authenticator;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.hub.LocalHub;
import dev.rendezvous.server.hub.RecordingLink;
import dev.rendezvous.server.hub.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One connection's protocol logic on a manual clock: admission, keepalive, auth timeout, limits. No sockets. */
class ConnectionTest {
    private final ManualTransport clock = new ManualTransport();
    private final LocalHub hub = new LocalHub();
    private final AtomicInteger closedEvents = new AtomicInteger();
    private final HubObserver observer = new HubObserver() {
        @Override
        public void connectionClosed() {
            closedEvents.incrementAndGet();
        }
    };

    private ConnectionSettings settings(Authenticator auth, double rate) {
        return TestSettings.of(hub, observer, auth, Runnable::run, rate);
    }

    private Connection open(ConnectionSettings settings, RecordingLink link, String room, String id) {
        Connection c = new Connection(settings, link, clock, ConnectRequest.v1(room, id, null, "test"));
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

    @Test
    void authOffAdmitsAtOnceThenPingsEveryIntervalAndClosesASilentClientAtTheTimeout() {
        RecordingLink link = new RecordingLink();
        Connection c = open(settings(null, 0), link, null, "a");
        assertThat(link.drainMessages()).containsExactly(new Message.YourId("a", List.of(), 100, 300));
        clock.advanceMillis(100);
        assertThat(link.drainMessages()).containsExactly(new Message.Ping());
        clock.advanceMillis(100);
        assertThat(link.drainMessages()).containsExactly(new Message.Ping());
        clock.advanceMillis(99);
        assertThat(link.closedWith()).isNull();
        clock.advanceMillis(1);
        assertThat(link.closedWith()).isEqualTo(CloseCode.KEEPALIVE_TIMEOUT);
        assertThat(hub.state().empty()).as("cleaned up at once").isTrue();
        c.onClosed();
        assertThat(closedEvents.get()).isEqualTo(1);
        assertThat(clock.liveTimers()).isZero();
    }

    @Test
    void anyFrameIsLivenessEvenAnInvalidOne() {
        RecordingLink link = new RecordingLink();
        Connection c = open(settings(null, 0), link, null, "a");
        for (int i = 0; i < 20; i++) {
            clock.advanceMillis(250);
            text(c, i % 2 == 0 ? "garbage" : "{\"type\":\"pong\"}");
        }
        assertThat(link.closedWith()).isNull();
        clock.advanceMillis(300);
        assertThat(link.closedWith()).isEqualTo(CloseCode.KEEPALIVE_TIMEOUT);
    }

    @Test
    void authTimeoutClosesWith4001() {
        RecordingLink link = new RecordingLink();
        open(settings(token -> new AuthResult.Refused("never asked"), 0), link, null, null);
        assertThat(link.drainMessages()).containsExactly(new Message.AuthRequired());
        clock.advanceMillis(999);
        assertThat(link.closedWith()).isNull();
        clock.advanceMillis(1);
        List<Message> out = link.drainMessages();
        assertThat(out).hasSize(1);
        assertThat(((Message.Error) out.get(0)).code()).isEqualTo(ErrorCode.AUTH_TIMEOUT);
        assertThat(link.closedWith()).isEqualTo(CloseCode.AUTH_FAILED);
    }

    @Test
    void tokensAreVerifiedOffThreadAndTheVerdictComesBackOnIt() {
        RecordingLink link = new RecordingLink();
        Connection c = open(
                settings(token -> new AuthResult.Admitted("user-" + token, Optional.empty()), 0), link, null, null);
        link.drain();
        text(c, "{\"type\":\"auth_token\",\"token\":\"t1\",\"clientId\":\"me\"}");
        text(c, "{\"type\":\"ping\"}"); // before the verdict: ignored
        assertThat(link.drain()).isEmpty();
        clock.runPending();
        assertThat(link.drainMessages())
                .containsExactly(
                        new Message.AuthSuccess("user-t1", "me"), new Message.YourId("me", List.of(), 100, 300));
        clock.advanceMillis(1000);
        assertThat(link.closedWith())
                .as("no auth timeout once admitted, but the keepalive")
                .isEqualTo(CloseCode.KEEPALIVE_TIMEOUT);
    }

    @Test
    void aRoomOutsideTheTokensRoomsIsForbidden() {
        RecordingLink link = new RecordingLink();
        Connection c = open(
                settings(token -> new AuthResult.Admitted("u", Optional.of(Set.of("blue"))), 0), link, "red", null);
        link.drain();
        text(c, "{\"type\":\"auth_token\",\"token\":\"t\"}");
        clock.runPending();
        Message.Error e = (Message.Error) link.drainMessages().get(0);
        assertThat(e.code()).isEqualTo(ErrorCode.ROOM_FORBIDDEN);
        assertThat(link.closedWith()).isEqualTo(CloseCode.AUTH_FAILED);
        assertThat(hub.state().empty()).isTrue();
    }

    @Test
    void idTakenClosesWith4002AndTheHolderStays() {
        RecordingLink first = new RecordingLink();
        open(settings(null, 0), first, null, "same");
        RecordingLink second = new RecordingLink();
        Connection dup = open(settings(null, 0), second, null, "same");
        assertThat(((Message.Error) second.drainMessages().get(0)).code()).isEqualTo(ErrorCode.ID_TAKEN);
        assertThat(second.closedWith()).isEqualTo(CloseCode.ID_TAKEN);
        dup.onClosed();
        assertThat(hub.find("same")).isNotNull();
        assertThat(hub.state().sessions()).isEqualTo(1);
    }

    /** Ten pings are answered (the whole burst), the eleventh is refused {@code rate_limited}. */
    private void assertBurstOfTenThenRateLimited(Connection c, RecordingLink link) {
        for (int i = 0; i < 10; i++) {
            text(c, "{\"type\":\"ping\"}");
        }
        assertThat(link.drainMessages()).hasSize(10).containsOnly(new Message.Pong());
        text(c, "{\"type\":\"ping\"}");
        assertThat(link.drainMessages())
                .containsExactly(new Message.Error(ErrorCode.RATE_LIMITED, "too many messages; slow down", "ping"));
    }

    @Test
    void rateLimitRefusesThenCloses() {
        RecordingLink link = new RecordingLink();
        Connection c = open(settings(null, 5), link, null, "a"); // 5/s, burst 10
        link.drain();
        assertBurstOfTenThenRateLimited(c, link);
        clock.advanceMillis(200); // one token back (and two server pings meanwhile)
        link.drain();
        text(c, "{\"type\":\"ping\"}");
        assertThat(link.drainMessages()).containsExactly(new Message.Pong());
        for (int i = 0; i < 200 && link.closedWith() == null; i++) {
            text(c, "{\"type\":\"ping\"}");
        }
        assertThat(link.closedWith()).isEqualTo(CloseCode.RATE_LIMITED);
    }

    @Test
    void aConnectionIdleForLongStillHasItsWholeBurstAtItsFirstFrames() {
        RecordingLink link = new RecordingLink();
        Connection c = open(settings(null, 5), link, null, "a"); // 5/s, burst 10
        for (int i = 0; i < 50; i++) { // ten minutes of keepalive: pings answered by pongs, which count as frames
            clock.advanceMillis(90);
            c.onControlFrame();
        }
        link.drain();
        assertBurstOfTenThenRateLimited(c, link);
    }

    @Test
    void serverAssignedIdsAreRandomVersion4Uuids() {
        RecordingLink a = new RecordingLink();
        RecordingLink b = new RecordingLink();
        open(settings(null, 0), a, null, null);
        open(settings(null, 0), b, null, null);
        String idA = ((Message.YourId) a.drainMessages().get(0)).id();
        String idB = ((Message.YourId) b.drainMessages().get(0)).id();
        assertThat(java.util.UUID.fromString(idA).version()).isEqualTo(4);
        assertThat(idA).isNotEqualTo(idB);
        assertThat(hub.find(idA)).isNotNull();
    }

    @Test
    void operatorsGetOneInfoLineAtAdmissionAndOneAtDepartureSayingWhoClosed() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Connection.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        ch.qos.logback.classic.Level before = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.addAppender(lines);
        try {
            Connection byClient = open(settings(null, 0), new RecordingLink(), "r1", "a");
            byClient.onClosed();
            RecordingLink tooLarge = new RecordingLink();
            Connection byServer = open(settings(null, 0), tooLarge, null, "b");
            byServer.onTooLarge(1024);
            byServer.onClosed();
            List<String> info = lines.list.stream()
                    .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO)
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith("admit") || m.startsWith("disconnect") || m.startsWith("connect"))
                    .toList();
            assertThat(info)
                    .containsExactly(
                            "admit client=a scope=room:r1 user=null remote=test",
                            "disconnect client=a remote=test by=client",
                            "admit client=b scope=lobby user=null remote=test",
                            "disconnect client=b remote=test by=server code=1009");
        } finally {
            logger.detachAppender(lines);
            logger.setLevel(before);
        }
    }

    @Test
    void cleanupRunsOnceWhateverEndsTheSession() {
        RecordingLink a = new RecordingLink();
        RecordingLink b = new RecordingLink();
        Connection ca = open(settings(null, 0), a, null, "a");
        open(settings(null, 0), b, null, "b");
        text(ca, "{\"type\":\"pair_request\",\"target_id\":\"b\"}");
        b.drain();
        ca.onTooLarge(65_536);
        ca.onClosed();
        ca.onShutdown();
        assertThat(a.closedWith()).isEqualTo(CloseCode.MESSAGE_TOO_LARGE);
        assertThat(b.drainMessages()).containsExactly(new Message.PeerDisconnected("a"));
        assertThat(hub.state().pairs()).isZero();
        assertThat(closedEvents.get()).isEqualTo(1);
    }

    /** A hub whose register/pair answers arrive later, as a cluster backplane's would. */
    private static final class DeferredHub implements dev.rendezvous.server.hub.Hub {
        final LocalHub local = new LocalHub();
        java.util.concurrent.CompletableFuture<Boolean> registration;
        dev.rendezvous.server.hub.Session registering;
        /** What join answers instead of the local hub's answer, when set. */
        dev.rendezvous.server.hub.JoinResult joinAnswer;

        @Override
        public java.util.concurrent.CompletionStage<Boolean> register(dev.rendezvous.server.hub.Session session) {
            registering = session;
            registration = new java.util.concurrent.CompletableFuture<>();
            return registration;
        }

        void completeRegistration() {
            registration.complete(
                    local.register(registering).toCompletableFuture().join());
        }

        @Override
        public java.util.concurrent.CompletionStage<dev.rendezvous.server.hub.JoinResult> join(
                dev.rendezvous.server.hub.Session session) {
            java.util.concurrent.CompletionStage<dev.rendezvous.server.hub.JoinResult> joined = local.join(session);
            return joinAnswer != null ? java.util.concurrent.CompletableFuture.completedFuture(joinAnswer) : joined;
        }

        @Override
        public java.util.concurrent.CompletionStage<dev.rendezvous.server.hub.PairResult> pair(
                dev.rendezvous.server.hub.Session requester, String targetId) {
            return local.pair(requester, targetId);
        }

        @Override
        public boolean unpair(dev.rendezvous.server.hub.Session session) {
            return local.unpair(session);
        }

        @Override
        public RelayResult relay(dev.rendezvous.server.hub.Session sender, String to, ByteBuf frame) {
            return local.relay(sender, to, frame);
        }

        @Override
        public void depart(dev.rendezvous.server.hub.Session session) {
            local.depart(session);
        }

        @Override
        public HubState state() {
            return local.state();
        }
    }

    private ConnectionSettings settings(dev.rendezvous.server.hub.Hub hub) {
        return TestSettings.of(hub, observer, null, Runnable::run, 0);
    }

    @Test
    void aDeferredRegistrationAdmitsOnTheConnectionsThreadWhenItCompletes() {
        DeferredHub deferred = new DeferredHub();
        RecordingLink link = new RecordingLink();
        Connection c = open(settings(deferred), link, null, "late");
        text(c, "{\"type\":\"ping\"}"); // not admitted yet: ignored
        assertThat(link.drain()).isEmpty();
        deferred.completeRegistration();
        assertThat(link.drain())
                .as("the answer hops back through Transport.execute")
                .isEmpty();
        clock.runPending();
        assertThat(link.drainMessages()).containsExactly(new Message.YourId("late", List.of(), 100, 300));
        c.onClosed();
        assertThat(deferred.state().empty()).isTrue();
    }

    @Test
    void aConnectionThatEndsWhileItsIdIsClaimedReleasesItWhenTheClaimLands() {
        DeferredHub deferred = new DeferredHub();
        RecordingLink link = new RecordingLink();
        Connection c = open(settings(deferred), link, null, "gone");
        c.onClosed();
        deferred.completeRegistration();
        clock.runPending();
        assertThat(deferred.state().empty()).isTrue();
        assertThat(link.drain()).isEmpty();
    }

    @Test
    void anUnreachableDirectoryIsClusterUnavailable() {
        DeferredHub deferred = new DeferredHub();
        RecordingLink link = new RecordingLink();
        open(settings(deferred), link, null, "x");
        deferred.registration.completeExceptionally(new IllegalStateException("redis down"));
        clock.runPending();
        assertThat(((Message.Error) link.drainMessages().get(0)).code()).isEqualTo(ErrorCode.CLUSTER_UNAVAILABLE);
        assertThat(link.closedWith()).isEqualTo(CloseCode.INTERNAL_ERROR);
    }

    @Test
    void aClosingRefusalOfTheJoinIsSentAndClosedByTheConnectionNotTheHub() {
        DeferredHub deferred = new DeferredHub();
        deferred.joinAnswer = new Refusal(ErrorCode.CLUSTER_UNAVAILABLE, "no backplane", CloseCode.INTERNAL_ERROR);
        RecordingLink link = new RecordingLink();
        open(settings(deferred), link, "room", "m");
        deferred.completeRegistration();
        clock.runPending();
        List<Message> sent = link.drainMessages();
        assertThat(sent.get(0)).isEqualTo(new Message.YourId("m", List.of(), 100, 300));
        assertThat(sent).contains(new Message.Error(ErrorCode.CLUSTER_UNAVAILABLE, "no backplane", null));
        assertThat(link.closedWith()).isEqualTo(CloseCode.INTERNAL_ERROR);
        assertThat(deferred.state().empty()).as("departed at once").isTrue();
    }

    @Test
    void anEvictionFromTheHubIsSentAndClosedOnTheConnectionsThread() {
        RecordingLink link = new RecordingLink();
        Connection c = open(settings(null, 0), link, null, "a");
        link.drain();
        c.session().evict(new Refusal(ErrorCode.ID_TAKEN, "client id a is already in use", CloseCode.ID_TAKEN));
        assertThat(link.closedWith()).as("not on the hub's thread").isNull();
        clock.runPending();
        assertThat(link.drainMessages())
                .containsExactly(new Message.Error(ErrorCode.ID_TAKEN, "client id a is already in use", null));
        assertThat(link.closedWith()).isEqualTo(CloseCode.ID_TAKEN);
        assertThat(hub.state().empty()).isTrue();
    }

    @Test
    void aConnectionThatNeverOpenedDoesNotCountAClose() {
        Connection c = new Connection(
                settings(null, 0), new RecordingLink(), clock, ConnectRequest.v1(null, null, null, "test"));
        c.onClosed(); // the upgrade failed: the transport closes a connection that never opened
        assertThat(closedEvents.get()).isZero();
    }

    @Test
    void aVerdictAfterTheEventLoopsStoppedIsDroppedQuietly() {
        java.util.concurrent.atomic.AtomicReference<Throwable> escaped =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.Executor authThread =
                task -> { // what reaches the auth thread's uncaught-exception handler
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        escaped.set(e);
                    }
                };
        ConnectionSettings s =
                TestSettings.of(hub, observer, token -> new AuthResult.Admitted("u", Optional.empty()), authThread, 0);
        RecordingLink link = new RecordingLink();
        Connection c = open(s, link, null, null);
        link.drain();
        clock.stopped = true; // shutdown: the loops are gone while the token is being verified
        text(c, "{\"type\":\"auth_token\",\"token\":\"t\"}");
        assertThat(escaped.get()).isNull();
        assertThat(hub.state().empty()).isTrue();
    }

    @Test
    void aRegistrationThatNeverCompletesIsClusterUnavailableAtTheDeadline() {
        DeferredHub deferred = new DeferredHub();
        RecordingLink link = new RecordingLink();
        open(settings(deferred), link, null, "stuck");
        clock.advanceMillis(999);
        assertThat(link.closedWith()).isNull();
        clock.advanceMillis(1);
        assertThat(link.drainMessages())
                .singleElement()
                .isInstanceOfSatisfying(
                        Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_UNAVAILABLE));
        assertThat(link.closedWith()).isEqualTo(CloseCode.INTERNAL_ERROR);
        deferred.completeRegistration(); // the answer lands after all: the claim is released
        clock.runPending();
        assertThat(deferred.state().empty()).isTrue();
        assertThat(clock.liveTimers()).isZero();
    }

    @Test
    void everyRefusalBeforeAdmissionIsOneAuthFailedThen4001() {
        record Case(String frame, String ref) {}
        List<Case> cases = List.of(
                new Case("not json", null),
                new Case("{\"type\":\"ping\"} x", null),
                new Case("[1]", null),
                new Case("{\"type\":\"auth_token\"}", "auth_token"),
                new Case("{\"type\":\"auth_token\",\"token\":5}", "auth_token"),
                new Case("{\"type\":\"auth_token\",\"token\":\"t\",\"clientId\":5}", "auth_token"),
                new Case("{\"type\":\"auth_token\",\"token\":\"t\",\"clientId\":\"a b\"}", "auth_token"),
                new Case("{\"type\":\"offer\",\"sdp\":\"x\"}", "offer"),
                new Case(null, null)); // a binary frame
        for (Case k : cases) {
            RecordingLink link = new RecordingLink();
            Connection c = open(settings(token -> new AuthResult.Admitted("u", Optional.empty()), 0), link, null, null);
            link.drain();
            if (k.frame() == null) {
                c.onBinary();
            } else {
                text(c, k.frame());
            }
            assertThat(link.drainMessages())
                    .as("%s", k.frame())
                    .singleElement()
                    .isInstanceOfSatisfying(Message.Error.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED);
                        assertThat(e.ref()).isEqualTo(k.ref());
                        assertThat(e.message()).isNotBlank();
                    });
            assertThat(link.closedWith()).isEqualTo(CloseCode.AUTH_FAILED);
            assertThat(hub.state().empty()).isTrue();
        }
    }
}
