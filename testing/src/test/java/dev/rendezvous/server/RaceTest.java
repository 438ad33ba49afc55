package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Concurrency on real sockets: mutual pairing at once, presence under join/leave storms, ordering under fan-in. */
class RaceTest {

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    @Test
    void hundredClientsPairingMutuallyAtOnceMakeExactlyFiftyPairs() throws Exception {
        int n = 100;
        List<WsRecorder> clients = connectAll(n, i -> server.uri("/ws?client_id=c" + i));
        for (WsRecorder c : clients) {
            c.rememberId(c.next(Message.YourId.class).id());
        }
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                WsRecorder me = clients.get(i);
                String partner = "c" + (i ^ 1);
                sends.add(pool.submit(() -> {
                    go.await();
                    me.send(new Message.PairRequest(partner));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : sends) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
        Map<String, Message.Paired> pairedOf = new HashMap<>();
        for (WsRecorder c : clients) {
            pairedOf.put(c.id(), c.next(Message.Paired.class));
        }
        for (WsRecorder c : clients) {
            c.assertNothingBeforePong(); // exactly one paired each, no error
        }
        for (int i = 0; i < n; i += 2) {
            Message.Paired a = pairedOf.get("c" + i);
            Message.Paired b = pairedOf.get("c" + (i + 1));
            assertThat(a.peerId()).isEqualTo("c" + (i + 1));
            assertThat(b.peerId()).isEqualTo("c" + i);
            assertThat(a.initiator())
                    .as("exactly one initiator in pair %d", i / 2)
                    .isNotEqualTo(b.initiator());
        }
        assertThat(server.hubState().pairs()).isEqualTo(n / 2);
    }

    @Test
    void manyClientsRacingForOneTargetPairExactlyOnce() throws Exception {
        WsRecorder target = server.client(server.uri("/ws?client_id=popular"));
        target.next(Message.YourId.class);
        List<WsRecorder> suitors = connectAll(30, i -> server.lobbyUri());
        for (WsRecorder s : suitors) {
            s.rememberId(s.next(Message.YourId.class).id());
        }
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (WsRecorder s : suitors) {
                pool.submit(() -> {
                    go.await();
                    s.send(new Message.PairRequest("popular"));
                    return null;
                });
            }
            go.countDown();
        }
        Message.Paired won = target.next(Message.Paired.class);
        int paired = 0;
        int busy = 0;
        for (WsRecorder s : suitors) {
            Message m = s.next();
            if (m instanceof Message.Paired p) {
                assertThat(s.id()).isEqualTo(won.peerId());
                assertThat(p.initiator()).isTrue();
                paired++;
            } else {
                assertThat(m)
                        .isInstanceOfSatisfying(
                                Message.Error.class,
                                e -> assertThat(e.code().wireName()).isEqualTo("peer_busy"));
                busy++;
            }
        }
        target.assertNothingBeforePong(); // every request was answered: nothing else reached the target
        assertThat(paired).isEqualTo(1);
        assertThat(busy).isEqualTo(29);
    }

    @Test
    void joinLeaveStormsLeaveEveryMembersViewEqualToTheServers() throws Exception {
        String room = "storm";
        int observers = 5;
        List<WsRecorder> watchers = new ArrayList<>();
        List<Set<String>> views = new ArrayList<>();
        for (int i = 0; i < observers; i++) {
            WsRecorder w = server.client(server.uri("/ws/" + room + "?client_id=obs" + i));
            w.rememberId(w.next(Message.YourId.class).id());
            Set<String> view = new HashSet<>();
            for (Message.RoomUser u : w.next(Message.UsersInRoom.class).users()) {
                view.add(u.clientId());
            }
            watchers.add(w);
            views.add(view);
        }
        int churners = 20;
        int rounds = 4;
        Set<String> survivors = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < churners; i++) {
                int me = i;
                jobs.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        String id = "churn" + me + "-" + r;
                        WsRecorder c = server.track(WsRecorder.connect(server.uri("/ws/" + room + "?client_id=" + id)));
                        c.next(Message.YourId.class);
                        boolean stay = r == rounds - 1 && me % 2 == 0;
                        if (stay) {
                            survivors.add(id);
                        } else if (r % 2 == 0) {
                            c.abort();
                        } else {
                            c.close(1000, "");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        int expectedMembers = observers + survivors.size();
        // Quiescent server first (every departure done), then each view until it equals the server's: a
        // barrier round applies what arrived so far; a user_left broadcast still on its way is taken by the next.
        Awaitility.await("departures processed")
                .atMost(Duration.ofSeconds(30))
                .until(() -> server.hubState().roomMembers() == expectedMembers
                        && server.hubState().sessions() == expectedMembers);
        for (int i = 0; i < observers; i++) {
            Set<String> expected = new HashSet<>(survivors);
            for (WsRecorder w : watchers) {
                expected.add(w.id());
            }
            expected.remove(watchers.get(i).id());
            WsRecorder w = watchers.get(i);
            Set<String> view = views.get(i);
            Awaitility.await("view of " + w.id())
                    .atMost(Duration.ofSeconds(30))
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        applyUntilPong(w, view);
                        return view.equals(expected);
                    });
            assertThat(view).as("view of %s", w.id()).isEqualTo(expected);
        }
    }

    /** Sends a ping and applies every presence event that arrives before its pong; each id joins before it leaves, once. */
    private static void applyUntilPong(WsRecorder w, Set<String> view) {
        w.send(new Message.Ping());
        while (true) {
            switch (w.next()) {
                case Message.Pong p -> {
                    return;
                }
                case Message.UserJoined j ->
                    assertThat(view.add(j.clientId())).as("joined twice: %s", j).isTrue();
                case Message.UserLeft l ->
                    assertThat(view.remove(l.clientId()))
                            .as("left unknown: %s", l)
                            .isTrue();
                case Message m -> throw new AssertionError("unexpected " + m);
            }
        }
    }

    /**
     * A client that drops and reconnects at once with the same id races its old session's departure: it
     * is refused (id_taken, 4002) until the old one has left, and then never meets its ghost — it is not
     * listed to itself, the room holds it once, and the others see it leave, then join.
     */
    @Test
    void aSameIdReconnectRacingItsOldSessionsDepartureNeverMeetsItsGhost() {
        WsRecorder b = server.client(server.uri("/ws/ghost?client_id=b"));
        b.next(Message.YourId.class);
        b.next(Message.UsersInRoom.class);
        java.net.URI asX = server.uri("/ws/ghost?client_id=x");
        for (int round = 0; round < 20; round++) {
            WsRecorder old = server.client(asX);
            old.next(Message.YourId.class);
            old.next(Message.UsersInRoom.class);
            b.next(Message.UserJoined.class);
            if (round % 2 == 0) {
                old.abort();
            } else {
                old.close(1000, "");
            }
            WsRecorder again = null;
            for (int attempt = 0; again == null; attempt++) {
                assertThat(attempt).as("reconnect attempts").isLessThan(500);
                WsRecorder c = server.client(asX);
                Message first = c.next();
                if (first instanceof Message.YourId) {
                    again = c;
                } else {
                    assertThat(first)
                            .isInstanceOfSatisfying(
                                    Message.Error.class,
                                    e -> assertThat(e.code().wireName()).isEqualTo("id_taken"));
                    assertThat(c.awaitClose()).isEqualTo(4002);
                }
            }
            assertThat(again.next(Message.UsersInRoom.class).users())
                    .extracting(Message.RoomUser::clientId)
                    .containsExactly("b");
            assertThat(b.next()).isEqualTo(new Message.UserLeft("x", null));
            assertThat(b.next()).isEqualTo(new Message.UserJoined("x", null));
            again.assertNothingBeforePong();
            b.assertNothingBeforePong();
            assertThat(server.hubState().roomMembers()).isEqualTo(2);
            again.close(1000, "");
            assertThat(b.next()).isEqualTo(new Message.UserLeft("x", null));
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> server.hubState().sessions() == 1);
        assertThat(server.hubState().roomMembers()).isEqualTo(1);
    }

    @Test
    void fanInKeepsEachSendersOrderWithoutLossOrDuplicates() throws Exception {
        WsRecorder sink = server.client(server.uri("/ws/fan?client_id=sink"));
        sink.next(Message.YourId.class);
        sink.next(Message.UsersInRoom.class);
        int senders = 5;
        int perSender = 200;
        List<WsRecorder> sources = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            WsRecorder s = server.client(server.uri("/ws/fan?client_id=src" + i));
            s.next(Message.YourId.class);
            s.next(Message.UsersInRoom.class);
            sources.add(s);
            sink.next(Message.UserJoined.class);
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (WsRecorder s : sources) {
                pool.submit(() -> {
                    for (int k = 0; k < perSender; k++) {
                        s.sendText("{\"type\":\"candidate\",\"to\":\"sink\",\"seq\":" + k + "}");
                    }
                    return null;
                });
            }
        }
        Map<String, Integer> next = new HashMap<>();
        for (int k = 0; k < senders * perSender; k++) {
            var msg = sink.nextJson();
            String from = msg.get("from").asText();
            int seq = msg.get("seq").asInt();
            assertThat(seq).as("next from %s", from).isEqualTo(next.getOrDefault(from, 0));
            next.put(from, seq + 1);
        }
        sink.assertNothingBeforePong();
        assertThat(next.values()).containsOnly(perSender);
    }

    private List<WsRecorder> connectAll(int n, java.util.function.IntFunction<java.net.URI> uri) {
        List<CompletableFuture<WsRecorder>> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pending.add(WsRecorder.connectAsync(uri.apply(i)));
        }
        List<WsRecorder> clients = new ArrayList<>();
        for (CompletableFuture<WsRecorder> f : pending) {
            clients.add(server.track(f.join()));
        }
        return clients;
    }
}
