package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Protocol v1 rooms: names, presence, targeted relay and broadcast, departure. Real sockets. */
class RoomTest {

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    @Test
    void joinerGetsYourIdThenTheOthersAndOthersGetUserJoined() {
        WsRecorder a = server.client(server.uri("/ws/team?username=Ann"));
        String aId = a.next(Message.YourId.class).id();
        assertThat(a.next(Message.UsersInRoom.class).users()).isEmpty();

        WsRecorder b = server.client(server.uri("/ws/team?username=Bob&client_id=bob"));
        assertThat(b.next(Message.YourId.class).id()).isEqualTo("bob");
        assertThat(b.next(Message.UsersInRoom.class).users()).containsExactly(new Message.RoomUser(aId, "Ann"));
        assertThat(a.next(Message.UserJoined.class)).isEqualTo(new Message.UserJoined("bob", "Bob"));

        WsRecorder c = server.client(server.uri("/ws/team"));
        String cId = c.next(Message.YourId.class).id();
        assertThat(c.next(Message.UsersInRoom.class).users())
                .containsExactlyInAnyOrder(new Message.RoomUser(aId, "Ann"), new Message.RoomUser("bob", "Bob"));
        assertThat(a.next(Message.UserJoined.class).clientId()).isEqualTo(cId);
        assertThat(b.next(Message.UserJoined.class).clientId()).isEqualTo(cId);
        WsRecorder.assertNothingBeforePongOnEach(a, b);
        c.assertNothingBeforePong();
        assertThat(server.hubState().rooms()).isEqualTo(1);
        assertThat(server.hubState().roomMembers()).isEqualTo(3);
    }

    @Test
    void presenceMessagesHaveTheDocumentedFields() {
        WsRecorder a = server.client(server.uri("/ws/p?username=Ann"));
        a.next(Message.YourId.class);
        JsonNode empty = a.nextJson();
        assertThat(empty.get("type").asText()).isEqualTo("users_in_room");
        assertThat(empty.get("users").isArray()).isTrue();
        WsRecorder b = server.client(server.uri("/ws/p?client_id=b2&username=Bo"));
        b.next(Message.YourId.class);
        JsonNode users = b.nextJson();
        assertThat(users.get("users").get(0).get("client_id").asText()).isNotEmpty();
        assertThat(users.get("users").get(0).get("username").asText()).isEqualTo("Ann");
        JsonNode joined = a.nextJson();
        assertThat(joined.get("type").asText()).isEqualTo("user_joined");
        assertThat(joined.get("client_id").asText()).isEqualTo("b2");
        assertThat(joined.get("username").asText()).isEqualTo("Bo");
        b.close(1000, "");
        JsonNode left = a.nextJson();
        assertThat(left.get("type").asText()).isEqualTo("user_left");
        assertThat(left.get("client_id").asText()).isEqualTo("b2");
        assertThat(left.get("username").asText()).isEqualTo("Bo");
    }

    @Test
    void roomsAreSeparate() {
        WsRecorder a = room("one");
        WsRecorder b = room("two");
        WsRecorder.assertNothingBeforePongOnEach(a, b);
        a.sendText("{\"type\":\"offer\",\"sdp\":\"x\"}");
        a.assertNothingBeforePong(); // a's offer was handled
        b.assertNothingBeforePong();
        a.sendText("{\"type\":\"offer\",\"sdp\":\"x\",\"to\":\"" + b.id() + "\"}");
        assertThat(a.nextError(ErrorCode.TARGET_NOT_FOUND).ref()).isEqualTo("offer");
        assertThat(server.hubState().rooms()).isEqualTo(2);
    }

    @Test
    void targetedRelayReachesOnlyTheTargetWithFromAndUsername() {
        WsRecorder a = server.client(server.uri("/ws/t?username=Ann"));
        String aId = a.next(Message.YourId.class).id();
        a.next(Message.UsersInRoom.class);
        WsRecorder b = joins("t", a);
        WsRecorder c = joins("t", a, b);

        a.sendText("{\"type\":\"offer\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"to\":\"" + b.id()
                + "\",\"from\":\"forged\"}");
        assertThat(b.nextText())
                .isEqualTo("{\"type\":\"offer\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"from\":\"" + aId
                        + "\",\"username\":\"Ann\"}");
        WsRecorder.assertNothingBeforePongOnEach(c, a);
    }

    @Test
    void withoutToARoomMessageGoesToEveryOtherMember() {
        Three room = threeJoin("b");
        room.a().sendText("{\"type\":\"ice_candidate\",\"candidate\":{\"candidate\":\"c1\"}}");
        assertThat(room.b().nextJson().get("from").asText()).isEqualTo(room.a().id());
        assertThat(room.c().nextJson().get("from").asText()).isEqualTo(room.a().id());
        room.a().assertNothingBeforePong();
    }

    @Test
    void aToNamingTheSenderIsNeverDeliveredBack() {
        WsRecorder a = room("s");
        WsRecorder b = joins("s", a);
        a.sendText("{\"type\":\"offer\",\"sdp\":\"x\",\"to\":\"" + a.id() + "\"}");
        WsRecorder.assertNothingBeforePongOnEach(a, b);
    }

    @Test
    void relayRefusalsInRooms() {
        WsRecorder a = room("x");
        WsRecorder lobby = server.admittedClient();
        a.sendText("{\"type\":\"answer\",\"sdp\":\"x\",\"to\":\"ghost\"}");
        assertThat(a.nextError(ErrorCode.TARGET_NOT_FOUND).ref()).isEqualTo("answer");
        a.sendText("{\"type\":\"answer\",\"sdp\":\"x\",\"to\":\"" + lobby.id() + "\"}");
        assertThat(a.nextError(ErrorCode.TARGET_NOT_FOUND).ref()).isEqualTo("answer");
        lobby.assertNothingBeforePong();
        // a lone member broadcasting reaches no one and is not an error
        a.sendText("{\"type\":\"candidate\",\"candidate\":{}}");
        a.assertNothingBeforePong();
    }

    @Test
    void roomClientsDoNotPair() {
        WsRecorder a = room("np");
        WsRecorder b = joins("np", a);
        a.send(new Message.PairRequest(b.id()));
        a.nextError(ErrorCode.PEER_NOT_FOUND);
        a.send(new Message.Unpair());
        WsRecorder.assertNothingBeforePongOnEach(a, b);
    }

    @Test
    void leavingTellsTheOthersAndTheLastOneRemovesTheRoom() {
        Three room = threeJoin("l");
        WsRecorder a = room.a();
        WsRecorder b = room.b();
        WsRecorder c = room.c();
        b.close(1000, "");
        assertThat(a.next(Message.UserLeft.class).clientId()).isEqualTo(b.id());
        assertThat(c.next(Message.UserLeft.class).clientId()).isEqualTo(b.id());
        c.abort();
        assertThat(a.next(Message.UserLeft.class).clientId()).isEqualTo(c.id());
        // On two nodes c's own node drops it from its replica when its leave event comes back from Redis,
        // which can be a moment after a's node told a: the count is eventually exact, never above.
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(server.hubState().roomMembers()).isEqualTo(1));
        a.close(1000, "");
        a.awaitClose();
        server.assertNoLeaks();
    }

    @Test
    void roomNamesAreValidatedBeforeTheUpgrade() {
        for (String bad : List.of("/ws/a%20b", "/ws/" + "r".repeat(65), "/ws/", "/ws/a/b", "/ws/%C3%A9", "/ws/a*b")) {
            assertThat(WsRecorder.refusedUpgradeStatus(server.uri(bad))).as(bad).isEqualTo(400);
        }
        WsRecorder ok = server.client(server.uri("/ws/" + "Az09._-".repeat(10).substring(0, 64)));
        ok.next(Message.YourId.class);
        ok.next(Message.UsersInRoom.class);
    }

    @Test
    void aRoomCanBeReusedAfterItEmptied() {
        WsRecorder a = room("again");
        a.close(1000, "");
        a.awaitClose();
        server.assertNoLeaks();
        WsRecorder b = server.admittedClient("again");
        assertThat(b.next(Message.UsersInRoom.class).users()).isEmpty();
    }

    /** Three members of one room, in the order they joined. */
    private record Three(WsRecorder a, WsRecorder b, WsRecorder c) {}

    /** Three clients join room {@code name} one after the other; each has read the later ones' {@code user_joined}. */
    private Three threeJoin(String name) {
        WsRecorder a = room(name);
        WsRecorder b = joins(name, a);
        return new Three(a, b, joins(name, a, b));
    }

    /** A new member of room {@code name}, once each of the {@code earlier} members has read its {@code user_joined}. */
    private WsRecorder joins(String name, WsRecorder... earlier) {
        WsRecorder joiner = room(name);
        for (WsRecorder member : earlier) {
            member.await(Message.UserJoined.class);
        }
        return joiner;
    }

    /** A room member past its {@code your_id} and {@code users_in_room}. */
    private WsRecorder room(String name) {
        WsRecorder r = server.admittedClient(name);
        r.next(Message.UsersInRoom.class);
        return r;
    }
}
