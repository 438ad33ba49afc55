package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.server.transport.WebSocketOpcodes;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every class of bad input gets its precise error, the offender's session carries on, and a pair next
 * to it keeps relaying. Real sockets.
 */
class BadInputTest {

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    private WsRecorder offender;
    private WsRecorder left;
    private WsRecorder right;

    @BeforeEach
    void neighbours() {
        offender = server.admittedClient();
        left = server.admittedClient();
        right = server.admittedClient();
        left.pairWith(right);
    }

    static Stream<Arguments> badFrames() {
        return Stream.of(
                Arguments.of("{\"type\":\"ping\"} x", ErrorCode.INVALID_JSON, null),
                Arguments.of("{\"type\":\"ping\"}{\"type\":\"ping\"}", ErrorCode.INVALID_JSON, null),
                Arguments.of("{\"type\":\"ping\"", ErrorCode.INVALID_JSON, null),
                Arguments.of("{type:\"ping\"}", ErrorCode.INVALID_JSON, null),
                Arguments.of("{\"type\":\"ping\",}", ErrorCode.INVALID_JSON, null),
                Arguments.of("", ErrorCode.INVALID_JSON, null),
                Arguments.of("   ", ErrorCode.INVALID_JSON, null),
                Arguments.of("hello", ErrorCode.INVALID_JSON, null),
                Arguments.of("[1,2] 3", ErrorCode.INVALID_JSON, null),
                Arguments.of("[1,2]", ErrorCode.INVALID_MESSAGE, null),
                Arguments.of("\"ping\"", ErrorCode.INVALID_MESSAGE, null),
                Arguments.of("42", ErrorCode.INVALID_MESSAGE, null),
                Arguments.of("null", ErrorCode.INVALID_MESSAGE, null),
                Arguments.of("{}", ErrorCode.INVALID_MESSAGE, null),
                Arguments.of("{\"kind\":\"ping\"}", ErrorCode.INVALID_MESSAGE, null),
                Arguments.of("{\"type\":5}", ErrorCode.INVALID_MESSAGE, null),
                Arguments.of("{\"type\":null}", ErrorCode.INVALID_MESSAGE, null),
                Arguments.of("{\"type\":{\"a\":1}}", ErrorCode.INVALID_MESSAGE, null),
                Arguments.of("{\"type\":\"pair_request\"}", ErrorCode.INVALID_MESSAGE, "pair_request"),
                Arguments.of("{\"type\":\"pair_request\",\"target_id\":7}", ErrorCode.INVALID_MESSAGE, "pair_request"),
                Arguments.of("{\"type\":\"offer\",\"sdp\":\"x\",\"to\":7}", ErrorCode.INVALID_MESSAGE, "offer"),
                Arguments.of("{\"type\":\"dance\"}", ErrorCode.UNKNOWN_TYPE, "dance"),
                Arguments.of("{\"type\":\"\"}", ErrorCode.UNKNOWN_TYPE, ""),
                Arguments.of("{\"type\":\"OFFER\"}", ErrorCode.UNKNOWN_TYPE, "OFFER"),
                Arguments.of("{\"type\":\"your_id\",\"id\":\"x\"}", ErrorCode.UNKNOWN_TYPE, "your_id"),
                Arguments.of(
                        "{\"type\":\"paired\",\"peer_id\":\"x\",\"initiator\":true}", ErrorCode.UNKNOWN_TYPE, "paired"),
                Arguments.of("{\"type\":\"error\",\"code\":\"x\",\"message\":\"y\"}", ErrorCode.UNKNOWN_TYPE, "error"),
                Arguments.of("{\"type\":\"auth_token\",\"token\":\"t\"}", ErrorCode.INVALID_MESSAGE, "auth_token"));
    }

    @ParameterizedTest
    @MethodSource("badFrames")
    void badFrameGetsItsErrorAndNothingElseChanges(String frame, ErrorCode code, String ref) {
        offender.sendText(frame);
        JsonNode error = offender.nextJson();
        assertThat(error.get("type").asText()).isEqualTo("error");
        assertThat(error.get("code").asText()).isEqualTo(code.wireName());
        assertThat(error.get("message").asText()).isNotBlank();
        if (ref == null) {
            assertThat(error.has("ref"))
                    .as("ref absent when the type was not a string")
                    .isFalse();
        } else {
            assertThat(error.get("ref").asText()).isEqualTo(ref);
        }
        assertSessionAndNeighboursCarryOn();
    }

    @Test
    void binaryFramesAreRefusedAndTheSessionStaysOpen() {
        offender.sendBinary(new byte[] {1, 2, 3});
        JsonNode error = offender.nextJson();
        assertThat(error.get("code").asText()).isEqualTo("binary_not_supported");
        assertThat(error.has("ref")).isFalse();
        offender.sendBinary("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
        offender.nextError(ErrorCode.BINARY_NOT_SUPPORTED);
        assertSessionAndNeighboursCarryOn();
    }

    @Test
    void invalidUtf8IsInvalidJsonAndTheSessionStaysOpen() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(server.lobbyUri())) {
            raw.readText(); // your_id
            byte[] bad = "{\"type\":\"offer\",\"sdp\":\"\u00ff\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
            raw.sendFrame(WebSocketOpcodes.TEXT, bad, true);
            assertThat(MessageCodec.decode(raw.readText()))
                    .isInstanceOfSatisfying(
                            Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_JSON));
            raw.sendText("{\"type\":\"ping\"}");
            assertThat(raw.readText()).isEqualTo("{\"type\":\"pong\"}");
        }
        assertSessionAndNeighboursCarryOn();
    }

    /**
     * Strict UTF-8 (what browsers and the JDK enforce on received text frames): an overlong form, a UTF-16
     * surrogate and an F5 lead byte, each in a relayed offer, are refused and never reach the peer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"c080", "eda080", "f5808080"})
    void strictlyInvalidUtf8IsRefusedAndNeverRelayed(String hex) throws Exception {
        WsRecorder peer = server.admittedClient();
        try (RawWebSocket raw = RawWebSocket.connect(server.lobbyUri())) {
            String id = ((Message.YourId) MessageCodec.decode(raw.readText())).id();
            peer.send(new Message.PairRequest(id));
            peer.next(Message.Paired.class);
            assertThat(MessageCodec.decode(raw.readText())).isInstanceOf(Message.Paired.class);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.writeBytes("{\"type\":\"offer\",\"sdp\":\"".getBytes(StandardCharsets.US_ASCII));
            frame.writeBytes(HexFormat.of().parseHex(hex));
            frame.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
            raw.sendFrame(WebSocketOpcodes.TEXT, frame.toByteArray(), true);
            assertThat(MessageCodec.decode(raw.readText())).isInstanceOfSatisfying(Message.Error.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_JSON);
                assertThat(e.message()).isEqualTo("the frame is not valid UTF-8");
            });
            raw.sendText("{\"type\":\"offer\",\"sdp\":\"valid\"}");
            assertThat(peer.nextJson().get("sdp").asText())
                    .as("the next frame the peer gets is the valid one")
                    .isEqualTo("valid");
        }
        assertSessionAndNeighboursCarryOn();
    }

    @Test
    void fragmentedMessagesAreReassembled() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(server.lobbyUri())) {
            raw.readText();
            raw.sendFrame(WebSocketOpcodes.TEXT, "{\"type\":".getBytes(StandardCharsets.UTF_8), false);
            raw.sendFrame(WebSocketOpcodes.CONTINUATION, "\"ping\"}".getBytes(StandardCharsets.UTF_8), true);
            assertThat(raw.readText()).isEqualTo("{\"type\":\"pong\"}");
        }
    }

    @Test
    void exactly65536BytesIsAccepted() {
        offender.sendText(pingOfSize(65_536));
        offender.next(Message.Pong.class);
        assertSessionAndNeighboursCarryOn();
    }

    @Test
    void oneByteMoreIsMessageTooLargeThenClose1009() {
        offender.sendText(pingOfSize(65_537));
        JsonNode error = offender.nextJson();
        assertThat(error.get("code").asText()).isEqualTo("message_too_large");
        assertThat(offender.awaitClose()).isEqualTo(1009);
        left.sendText("{\"type\":\"candidate\",\"n\":1}");
        assertThat(right.nextJson().get("n").asInt()).isEqualTo(1);
    }

    @Test
    void aFragmentedMessageOverTheLimitIsTooLarge() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(server.lobbyUri())) {
            raw.readText();
            byte[] half = new byte[40_000];
            Arrays.fill(half, (byte) 'a');
            raw.sendFrame(WebSocketOpcodes.TEXT, half, false);
            raw.sendFrame(WebSocketOpcodes.CONTINUATION, half, true);
            assertThat(MessageCodec.decode(raw.readText()))
                    .isInstanceOfSatisfying(
                            Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE));
            assertThat(raw.awaitClose(WsRecorder.TIMEOUT)).isEqualTo(1009);
        }
    }

    @Test
    void errorsAreOneHumanSentenceWithTheDocumentedShape() {
        offender.send(new Message.PairRequest("ghost"));
        JsonNode e = offender.nextJson();
        assertThat(e.fieldNames()).toIterable().containsExactlyInAnyOrder("type", "code", "message", "ref");
        assertThat(e.get("message").asText()).doesNotContain("\n").isNotBlank();
    }

    private void assertSessionAndNeighboursCarryOn() {
        offender.sendText("{\"type\":\"ping\"}");
        offender.next(Message.Pong.class);
        left.sendText("{\"type\":\"offer\",\"sdp\":\"still here\"}");
        assertThat(right.nextJson().get("sdp").asText()).isEqualTo("still here");
        right.sendText("{\"type\":\"answer\",\"sdp\":\"me too\"}");
        assertThat(left.nextJson().get("sdp").asText()).isEqualTo("me too");
        offender.assertNothingBeforePong();
        left.assertNothingBeforePong();
        right.assertNothingBeforePong();
    }

    /** A {@code ping} padded to exactly {@code bytes} bytes of UTF-8. */
    private static String pingOfSize(int bytes) {
        String prefix = "{\"type\":\"ping\",\"pad\":\"";
        String frame = prefix + "p".repeat(bytes - prefix.length() - 2) + "\"}";
        assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return frame;
    }
}
