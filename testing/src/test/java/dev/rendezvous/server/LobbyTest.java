package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Protocol v1 lobby: admission, pairing and its refusals, unpair, relay, departure. Real sockets. */
class LobbyTest {

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    @Test
    void admissionSendsYourIdWithAServerMadeUuidAndTheKeepaliveTimings() {
        WsRecorder c = server.client(server.lobbyUri());
        JsonNode yourId = c.nextJson();
        assertThat(yourId.get("type").asText()).isEqualTo("your_id");
        assertThat(yourId.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(yourId.get("ice_servers").isArray()).isTrue();
        assertThat(yourId.get("ice_servers")).isEmpty();
        assertThat(yourId.get("ping_interval_ms").asLong()).isEqualTo(30_000);
        assertThat(yourId.get("ping_timeout_ms").asLong()).isEqualTo(45_000);
        c.assertNothingBeforePong();
    }

    @Test
    void everyClientGetsItsOwnId() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = server.admittedClient();
        assertThat(a.id()).isNotEqualTo(b.id());
    }

    @Test
    void requestedClientIdIsHonoured() {
        WsRecorder c = server.client(server.uri("/ws?client_id=alice.1_x-Y"));
        assertThat(c.next(Message.YourId.class).id()).isEqualTo("alice.1_x-Y");
    }

    @Test
    void anIdInUseIsRefusedWith4002AndTheHolderKeepsIt() {
        WsRecorder first = server.client(server.uri("/ws?client_id=alice"));
        first.next(Message.YourId.class);
        assertIdTaken("/ws?client_id=alice");
        // the holder is untouched and still reachable
        WsRecorder bob = server.admittedClient();
        bob.send(new Message.PairRequest("alice"));
        assertThat(first.next(Message.Paired.class).peerId()).isEqualTo(bob.id());
    }

    @Test
    void idsAreUniqueAcrossLobbyAndRooms() {
        WsRecorder inRoom = server.client(server.uri("/ws/r1?client_id=carol"));
        inRoom.next(Message.YourId.class);
        assertIdTaken("/ws?client_id=carol");
        assertIdTaken("/ws/r2?client_id=carol");
    }

    @Test
    void anIdIsFreeAgainOnceItsHolderLeft() {
        WsRecorder first = server.client(server.uri("/ws?client_id=dave"));
        first.next(Message.YourId.class);
        first.close(1000, "bye");
        first.awaitClose();
        server.assertNoLeaks();
        WsRecorder again = server.client(server.uri("/ws?client_id=dave"));
        assertThat(again.next(Message.YourId.class).id()).isEqualTo("dave");
    }

    @Test
    void invalidClientIdIsRefusedBeforeTheUpgrade() {
        assertThat(WsRecorder.refusedUpgradeStatus(server.uri("/ws?client_id=bad%20id")))
                .isEqualTo(400);
        assertThat(WsRecorder.refusedUpgradeStatus(server.uri("/ws?client_id=" + "x".repeat(65))))
                .isEqualTo(400);
        assertThat(WsRecorder.refusedUpgradeStatus(server.uri("/ws?client_id=")))
                .isEqualTo(400);
        WsRecorder ok = server.client(server.uri("/ws?client_id=" + "x".repeat(64)));
        assertThat(ok.next(Message.YourId.class).id()).hasSize(64);
    }

    @Test
    void rootPathIsAlsoTheLobby() {
        WsRecorder c = server.client(server.uri("/"));
        c.next(Message.YourId.class);
        WsRecorder other = server.admittedClient();
        c.send(new Message.PairRequest(other.id()));
        assertThat(c.next(Message.Paired.class).peerId()).isEqualTo(other.id());
        assertThat(other.next(Message.Paired.class).initiator()).isFalse();
    }

    @Test
    void pairingTellsBothAndTheRequesterInitiates() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = server.admittedClient();
        a.send(new Message.PairRequest(b.id()));
        assertThat(a.next(Message.Paired.class)).isEqualTo(new Message.Paired(b.id(), true));
        assertThat(b.next(Message.Paired.class)).isEqualTo(new Message.Paired(a.id(), false));
        assertThat(server.hubState().pairs()).isEqualTo(1);
        WsRecorder.assertNothingBeforePongOnEach(a, b);
    }

    @Test
    void pairingRefusals() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = server.admittedClient();
        WsRecorder c = server.admittedClient();

        a.send(new Message.PairRequest("nobody"));
        assertThat(a.nextError(ErrorCode.PEER_NOT_FOUND).ref()).isEqualTo("pair_request");
        a.send(new Message.PairRequest(a.id()));
        assertThat(a.nextError(ErrorCode.SELF_PAIR).ref()).isEqualTo("pair_request");

        a.pairWith(b);

        c.send(new Message.PairRequest(a.id()));
        assertThat(c.nextError(ErrorCode.PEER_BUSY).ref()).isEqualTo("pair_request");
        a.send(new Message.PairRequest(c.id()));
        assertThat(a.nextError(ErrorCode.ALREADY_PAIRED).ref()).isEqualTo("pair_request");

        // refusals changed nothing
        assertThat(server.hubState().pairs()).isEqualTo(1);
        WsRecorder.assertNothingBeforePongOnEach(a, b);
        c.assertNothingBeforePong();
    }

    @Test
    void aLobbyPairRequestNamingARoomClientIsPeerNotFound() {
        WsRecorder roomClient = server.admittedClient("r");
        WsRecorder a = server.admittedClient();
        a.send(new Message.PairRequest(roomClient.id()));
        a.nextError(ErrorCode.PEER_NOT_FOUND);
    }

    @Test
    void unpairTellsOnlyThePeerAndBothCanPairAgain() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = server.admittedClient();
        a.pairWith(b);

        a.send(new Message.Unpair());
        assertThat(b.next(Message.PeerDisconnected.class).peerId()).isEqualTo(a.id());
        a.assertNothingBeforePong();
        assertThat(server.hubState().pairs()).isZero();

        b.send(new Message.PairRequest(a.id()));
        assertThat(b.next(Message.Paired.class)).isEqualTo(new Message.Paired(a.id(), true));
        assertThat(a.next(Message.Paired.class)).isEqualTo(new Message.Paired(b.id(), false));
    }

    @Test
    void unpairWithoutAPeerIsANoOp() {
        WsRecorder a = server.admittedClient();
        a.send(new Message.Unpair());
        a.assertNothingBeforePong();
    }

    @Test
    void relayStageDialectArrivesIntactWithFromStampedAndToRemoved() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = pairedWith(a);
        a.sendText("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\",\"from\":\"liar\",\"to\":\""
                + b.id() + "\"}");
        assertThat(b.nextText())
                .isEqualTo("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\",\"from\":\""
                        + a.id() + "\"}");
        b.sendText("{\"type\":\"answer\",\"sdp\":\"v=0\"}");
        assertThat(a.nextText()).isEqualTo("{\"type\":\"answer\",\"sdp\":\"v=0\",\"from\":\"" + b.id() + "\"}");
        String candidate =
                "{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}";
        a.sendText("{\"type\":\"candidate\",\"candidate\":" + candidate + "}");
        assertThat(b.nextText())
                .isEqualTo("{\"type\":\"candidate\",\"candidate\":" + candidate + ",\"from\":\"" + a.id() + "\"}");
        WsRecorder.assertNothingBeforePongOnEach(a, b);
    }

    @Test
    void relaySeed004DialectAndUnknownFieldsTravelUnchanged() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = pairedWith(a);
        String offer = "{ \"type\" : \"offer\" , \"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"}, \"to\":\"" + b.id()
                + "\", \"extra\": [1, 2.50, true, null, {\"é\":\"\\u00e9 \\\" \\\\\"}] , \"username\":\"Al\" }";
        a.sendText(offer);
        String extra = "[1, 2.50, true, null, {\"é\":\"\\u00e9 \\\" \\\\\"}]";
        assertThat(b.nextText())
                .as("members copied byte for byte (runs of members with the blanks between them);"
                        + " to dropped; from stamped; the server knows no name for a, so its own username field is a"
                        + " field like any other")
                .isEqualTo("{\"type\" : \"offer\" , \"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"extra\": " + extra
                        + " , \"username\":\"Al\",\"from\":\"" + a.id() + "\"}");
        b.sendText(
                "{\"type\":\"ice_candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0},\"to\":\""
                        + a.id() + "\"}");
        JsonNode ice = a.nextJson();
        assertThat(ice.get("type").asText()).isEqualTo("ice_candidate");
        assertThat(ice.get("candidate").get("candidate").asText()).isEqualTo("c");
        assertThat(ice.get("from").asText()).isEqualTo(b.id());
    }

    @Test
    void relayStampsTheUsernameWhenKnown() {
        WsRecorder a = server.client(server.uri("/ws?username=Alice%20A."));
        String aId = a.next(Message.YourId.class).id();
        WsRecorder b = server.admittedClient();
        a.pairWith(b);
        a.sendText("{\"type\":\"offer\",\"sdp\":\"x\",\"username\":\"Mallory\"}");
        JsonNode got = b.nextJson();
        assertThat(got.get("from").asText()).isEqualTo(aId);
        assertThat(got.get("username").asText())
                .as("the server's name replaces the client's")
                .isEqualTo("Alice A.");
    }

    @Test
    void relayRefusals() {
        WsRecorder a = server.admittedClient();
        a.sendText("{\"type\":\"offer\",\"sdp\":\"x\"}");
        assertThat(a.nextError(ErrorCode.NOT_PAIRED).ref()).isEqualTo("offer");
        a.sendText("{\"type\":\"candidate\",\"candidate\":{},\"to\":\"someone\"}");
        assertThat(a.nextError(ErrorCode.NOT_PAIRED).ref()).isEqualTo("candidate");

        WsRecorder b = server.admittedClient();
        WsRecorder c = server.admittedClient();
        a.pairWith(b);
        a.sendText("{\"type\":\"answer\",\"sdp\":\"x\",\"to\":\"" + c.id() + "\"}");
        assertThat(a.nextError(ErrorCode.TARGET_NOT_FOUND).ref()).isEqualTo("answer");
        a.sendText("{\"type\":\"answer\",\"sdp\":\"x\",\"to\":\"" + a.id() + "\"}");
        assertThat(a.nextError(ErrorCode.TARGET_NOT_FOUND).ref()).isEqualTo("answer");
        WsRecorder.assertNothingBeforePongOnEach(b, c);
    }

    @Test
    void orderIsPreservedPerSenderAndNothingIsEchoed() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = pairedWith(a);
        int n = 500;
        for (int i = 0; i < n; i++) {
            a.sendText("{\"type\":\"candidate\",\"seq\":" + i + "}");
            b.sendText("{\"type\":\"candidate\",\"seq\":" + i + "}");
        }
        for (int i = 0; i < n; i++) {
            assertThat(b.nextJson().get("seq").asInt()).isEqualTo(i);
            assertThat(a.nextJson().get("seq").asInt()).isEqualTo(i);
        }
        WsRecorder.assertNothingBeforePongOnEach(a, b);
    }

    @Test
    void cleanCloseTellsThePeerWhichCanPairAgain() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = pairedWith(a);
        a.close(1000, "bye");
        assertThat(a.awaitClose()).isEqualTo(1000);
        assertThat(b.next(Message.PeerDisconnected.class).peerId()).isEqualTo(a.id());
        WsRecorder c = server.admittedClient();
        b.send(new Message.PairRequest(c.id()));
        assertThat(b.next(Message.Paired.class).peerId()).isEqualTo(c.id());
    }

    @Test
    void abruptCloseTellsThePeer() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = pairedWith(a);
        a.abort();
        assertThat(b.next(Message.PeerDisconnected.class).peerId()).isEqualTo(a.id());
        b.assertNothingBeforePong();
    }

    @Test
    void tcpResetTellsThePeer() throws Exception {
        RawWebSocket raw = RawWebSocket.connect(server.lobbyUri());
        String rawId = ((Message.YourId) dev.rendezvous.protocol.MessageCodec.decode(raw.readText())).id();
        WsRecorder b = server.admittedClient();
        b.send(new Message.PairRequest(rawId));
        b.next(Message.Paired.class);
        raw.reset();
        assertThat(b.next(Message.PeerDisconnected.class).peerId()).isEqualTo(rawId);
    }

    @Test
    void clientPingIsAnsweredWithPong() {
        WsRecorder a = server.admittedClient();
        a.sendText("{\"type\":\"ping\"}");
        a.next(Message.Pong.class);
        a.sendText("{\"type\":\"pong\"}");
        a.assertNothingBeforePong();
    }

    @Test
    void aLargeRelayWithinTheLimitArrivesWhole() {
        WsRecorder a = server.admittedClient();
        WsRecorder b = pairedWith(a);
        String prefix = "{\"type\":\"offer\",\"sdp\":\"";
        String suffix = "\"}";
        String body = "a".repeat(65_536 - prefix.length() - suffix.length());
        a.sendText(prefix + body + suffix);
        JsonNode got = b.nextJson();
        assertThat(got.get("sdp").asText()).isEqualTo(body);
        a.assertNothingBeforePong();
    }

    /** A new admitted client, paired with {@code a} at {@code a}'s request. */
    private WsRecorder pairedWith(WsRecorder a) {
        WsRecorder b = server.admittedClient();
        a.pairWith(b);
        return b;
    }

    /** A client of {@code pathAndQuery} is refused {@code id_taken}, then closed 4002. */
    private void assertIdTaken(String pathAndQuery) {
        WsRecorder c = server.client(server.uri(pathAndQuery));
        c.nextError(ErrorCode.ID_TAKEN);
        assertThat(c.awaitClose()).isEqualTo(4002);
    }
}
