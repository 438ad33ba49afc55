package dev.rendezvous.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    @Test
    void everyMessageRoundTrips() throws Exception {
        List<Message> messages = List.of(
                new Message.AuthRequired(),
                new Message.AuthToken("t", "me"),
                new Message.AuthSuccess("alice", "id-1"),
                new Message.YourId(
                        "id-1", List.of(new IceServer(List.of("turn:127.0.0.1:3478"), "u", "p")), 30000, 45000),
                new Message.PairRequest("bob"),
                new Message.Paired("bob", true),
                new Message.Unpair(),
                new Message.PeerDisconnected("bob"),
                new Message.UsersInRoom(List.of(new Message.RoomUser("a", "Alice"), new Message.RoomUser("b", null))),
                new Message.UserJoined("a", "Alice"),
                new Message.UserLeft("a", null),
                Message.Relay.offer("v=0"),
                Message.Relay.answer("v=0").withTo("x"),
                Message.Relay.candidate(new Message.IceCandidateInit("candidate:1", "0", 0)),
                Message.Relay.iceCandidate(new Message.IceCandidateInit("candidate:2", null, null), "bob"),
                new Message.Ping(),
                new Message.Pong(),
                new Message.Error(ErrorCode.PEER_BUSY, "bob is already paired", "pair_request"));
        for (Message m : messages) {
            assertThat(MessageCodec.decode(MessageCodec.encode(m)))
                    .as(m.toString())
                    .isEqualTo(m);
            assertThat(new String(MessageCodec.encodeUtf8(m), java.nio.charset.StandardCharsets.UTF_8))
                    .as(m.toString())
                    .isEqualTo(MessageCodec.encode(m));
        }
    }

    @Test
    void utf8EncodingKeepsNonAsciiText() {
        Message m = new Message.UserJoined("a", "Zoë 🙂");
        assertThat(MessageCodec.encodeUtf8(m))
                .isEqualTo(MessageCodec.encode(m).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void wireNamesAreSnakeCase() {
        assertThat(MessageCodec.encode(new Message.Paired("bob", false)))
                .isEqualTo("{\"type\":\"paired\",\"peer_id\":\"bob\",\"initiator\":false}");
        assertThat(MessageCodec.encode(new Message.AuthToken("t", "c")))
                .isEqualTo("{\"type\":\"auth_token\",\"token\":\"t\",\"clientId\":\"c\"}");
        assertThat(ErrorCode.MESSAGE_TOO_LARGE.wireName()).isEqualTo("message_too_large");
        assertThat(CloseCode.RATE_LIMITED.code()).isEqualTo(4029);
    }

    @Test
    void relayKeepsEveryPayloadFieldAndReadsBothDialects() throws Exception {
        Message m = MessageCodec.decode(
                "{\"type\":\"offer\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"to\":\"b\",\"x\":[1,2],\"from\":\"a\"}");
        Message.Relay r = (Message.Relay) m;
        assertThat(r.to()).isEqualTo("b");
        assertThat(r.from()).isEqualTo("a");
        assertThat(r.sdp()).isEqualTo("v=0");
        assertThat(r.payload().toString()).isEqualTo("{\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"x\":[1,2]}");
        assertThat(((Message.Relay) MessageCodec.decode("{\"type\":\"answer\",\"sdp\":\"v=1\"}")).sdp())
                .isEqualTo("v=1");
        Message.Relay c = (Message.Relay)
                MessageCodec.decode(
                        "{\"type\":\"ice_candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMid\":\"0\",\"sdpMLineIndex\":1}}");
        assertThat(c.candidate()).isEqualTo(new Message.IceCandidateInit("c", "0", 1));
    }

    @Test
    void eachRelayedTypeBuildsItsOwnRecordAndNoOtherTypeIsARelay() {
        for (MessageType type : MessageType.values()) {
            if (type.relayed()) {
                Message.Relay r = Message.Relay.of(type, "b", null, null, null);
                assertThat(r.type()).isEqualTo(type);
                assertThat(r.payload().isEmpty()).isTrue();
                assertThat(r.withTo("c")).isEqualTo(Message.Relay.of(type, "c", null, null, null));
            } else {
                assertThatThrownBy(() -> Message.Relay.of(type, "b", null, null, null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(type.wireName());
            }
        }
    }

    @Test
    void badFramesNameTheirProblem() {
        assertCode("{\"type\":\"ping\"} x", ErrorCode.INVALID_JSON, null);
        assertCode("{\"type\":", ErrorCode.INVALID_JSON, null);
        assertCode("", ErrorCode.INVALID_JSON, null);
        assertCode("[1,2]", ErrorCode.INVALID_MESSAGE, null);
        assertCode("{\"type\":5}", ErrorCode.INVALID_MESSAGE, null);
        assertCode("{}", ErrorCode.INVALID_MESSAGE, null);
        assertCode("{\"type\":\"dance\"}", ErrorCode.UNKNOWN_TYPE, "dance");
        assertCode("{\"type\":\"pair_request\"}", ErrorCode.INVALID_MESSAGE, "pair_request");
        assertCode("{\"type\":\"pair_request\",\"target_id\":7}", ErrorCode.INVALID_MESSAGE, "pair_request");
        assertCode("{\"type\":\"offer\",\"to\":7}", ErrorCode.INVALID_MESSAGE, "offer");
    }

    @Test
    void tokensNeverAppearInToString() {
        assertThat(new Message.AuthToken("secret-token", null).toString()).doesNotContain("secret-token");
    }

    private static void assertCode(String text, ErrorCode code, String ref) {
        assertThatThrownBy(() -> MessageCodec.decode(text)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.ref()).isEqualTo(ref);
        });
    }
}
