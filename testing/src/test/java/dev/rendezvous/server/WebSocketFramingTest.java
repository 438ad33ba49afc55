package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.server.transport.WebSocketOpcodes;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6455 framing as the server reads it (its own frame reader, not Netty's): frames split anywhere
 * across TCP writes, fragmentation with control frames in between, every violation closed 1002 while
 * the neighbours carry on, and oversize messages refused without being buffered. Real sockets.
 */
class WebSocketFramingTest {
    private static final Duration PROMPT = Duration.ofSeconds(1);

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private RawWebSocket admittedRaw() throws Exception {
        RawWebSocket raw = RawWebSocket.connect(server.lobbyUri());
        assertThat(MessageCodec.decode(raw.readText())).isInstanceOf(Message.YourId.class);
        return raw;
    }

    @Test
    void framesSplitByteByByteAcrossWritesAreReadWhole() throws Exception {
        try (RawWebSocket raw = admittedRaw()) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            stream.writeBytes(RawWebSocket.frame(
                    0x80 | WebSocketOpcodes.TEXT, utf8("{\"type\":\"ping\",\"a\":\"" + "x".repeat(300) + "\"}"), true));
            stream.writeBytes(RawWebSocket.frame(0x80 | WebSocketOpcodes.TEXT, utf8("{\"type\":\"ping\"}"), true));
            for (byte b : stream.toByteArray()) {
                raw.sendRaw(new byte[] {b});
            }
            assertThat(raw.readText()).isEqualTo("{\"type\":\"pong\"}");
            assertThat(raw.readText()).isEqualTo("{\"type\":\"pong\"}");
        }
    }

    @Test
    void manyFramesInOneWriteAreEachAnswered() throws Exception {
        try (RawWebSocket raw = admittedRaw()) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int i = 0; i < 50; i++) {
                stream.writeBytes(RawWebSocket.frame(0x80 | WebSocketOpcodes.TEXT, utf8("{\"type\":\"ping\"}"), true));
            }
            raw.sendRaw(stream.toByteArray());
            for (int i = 0; i < 50; i++) {
                assertThat(raw.readText()).isEqualTo("{\"type\":\"pong\"}");
            }
        }
    }

    @Test
    void aLargeFrameWithA16BitAndA64BitLengthIsRead() throws Exception {
        try (RawWebSocket raw = admittedRaw()) {
            String pad = "y".repeat(60_000);
            raw.sendText("{\"type\":\"ping\",\"p\":\"" + pad + "\"}"); // 16-bit length
            assertThat(raw.readText()).isEqualTo("{\"type\":\"pong\"}");
            // The same message with a (legal, non-minimal) 64-bit length field.
            byte[] payload = utf8("{\"type\":\"ping\"}");
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write(0x80 | WebSocketOpcodes.TEXT);
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >>> (8 * i)));
            }
            byte[] mask = {1, 2, 3, 4};
            f.writeBytes(mask);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i & 3]);
            }
            raw.sendRaw(f.toByteArray());
            assertThat(raw.readText()).isEqualTo("{\"type\":\"pong\"}");
        }
    }

    @Test
    void aPingBetweenFragmentsIsAnsweredAndTheMessageStillAssembles() throws Exception {
        try (RawWebSocket raw = admittedRaw()) {
            raw.sendFrame(WebSocketOpcodes.TEXT, utf8("{\"type\""), false);
            raw.sendFrame(WebSocketOpcodes.PING, utf8("are you there"), true);
            raw.sendFrame(WebSocketOpcodes.CONTINUATION, utf8(":"), false);
            raw.sendFrame(WebSocketOpcodes.CONTINUATION, utf8("\"ping\"}"), true);
            RawWebSocket.Frame pong = raw.readFrame();
            assertThat(pong.opcode()).isEqualTo(WebSocketOpcodes.PONG);
            assertThat(pong.text()).isEqualTo("are you there");
            assertThat(raw.readText()).isEqualTo("{\"type\":\"pong\"}");
        }
    }

    @Test
    void aFragmentedBinaryMessageIsRefusedOnceAndTheSessionCarriesOn() throws Exception {
        try (RawWebSocket raw = admittedRaw()) {
            raw.sendFrame(WebSocketOpcodes.BINARY, new byte[] {1, 2}, false);
            raw.sendFrame(WebSocketOpcodes.CONTINUATION, new byte[] {3}, false);
            raw.sendFrame(WebSocketOpcodes.CONTINUATION, new byte[] {4}, true);
            raw.sendText("{\"type\":\"ping\"}");
            assertThat(MessageCodec.decode(raw.readText()))
                    .isInstanceOfSatisfying(
                            Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BINARY_NOT_SUPPORTED));
            assertThat(raw.readText())
                    .as("one error for the whole binary message")
                    .isEqualTo("{\"type\":\"pong\"}");
        }
    }

    static Stream<Arguments> violations() {
        byte[] ping = utf8("{\"type\":\"ping\"}");
        return Stream.of(
                Arguments.of("unmasked frame", RawWebSocket.frame(0x80 | WebSocketOpcodes.TEXT, ping, false)),
                Arguments.of("reserved bit set", RawWebSocket.frame(0x80 | 0x40 | WebSocketOpcodes.TEXT, ping, true)),
                Arguments.of("unknown data opcode", RawWebSocket.frame(0x80 | 0x3, ping, true)),
                Arguments.of("unknown control opcode", RawWebSocket.frame(0x80 | 0xB, new byte[0], true)),
                Arguments.of("continuation outside a message", RawWebSocket.frame(0x80, ping, true)),
                Arguments.of("fragmented ping", RawWebSocket.frame(WebSocketOpcodes.PING, new byte[0], true)),
                Arguments.of(
                        "ping over 125 bytes", RawWebSocket.frame(0x80 | WebSocketOpcodes.PING, new byte[126], true)),
                Arguments.of(
                        "close with a one-byte payload",
                        RawWebSocket.frame(0x80 | WebSocketOpcodes.CLOSE, new byte[] {3}, true)),
                Arguments.of(
                        "close with an invalid code",
                        RawWebSocket.frame(0x80 | WebSocketOpcodes.CLOSE, new byte[] {0x03, (byte) 0xED}, true)),
                Arguments.of(
                        "text inside a fragmented message",
                        concat(
                                RawWebSocket.frame(WebSocketOpcodes.TEXT, utf8("{"), true),
                                RawWebSocket.frame(0x80 | WebSocketOpcodes.TEXT, ping, true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void protocolViolationsClose1002AndNeighboursCarryOn(String what, byte[] bytes) throws Exception {
        WsRecorder left = server.admittedClient();
        WsRecorder right = server.admittedClient();
        left.send(new Message.PairRequest(right.id()));
        right.next(Message.Paired.class);
        left.next(Message.Paired.class);
        try (RawWebSocket raw = admittedRaw()) {
            raw.sendRaw(bytes);
            raw.sendText("{\"type\":\"ping\"}"); // ignored: nothing is read after a violation
            assertThat(raw.awaitClose(WsRecorder.TIMEOUT)).as(what).isEqualTo(1002);
        }
        left.sendText("{\"type\":\"candidate\",\"n\":7}");
        assertThat(right.nextJson().get("n").asInt()).isEqualTo(7);
    }

    @Test
    void theClientsCloseCodeIsEchoedAndTheConnectionEnds() throws Exception {
        try (RawWebSocket raw = admittedRaw()) {
            raw.sendFrame(WebSocketOpcodes.CLOSE, new byte[] {0x0F, (byte) 0xA0, 'b', 'y', 'e'}, true); // 4000
            assertThat(raw.awaitClose(WsRecorder.TIMEOUT)).isEqualTo(4000);
            assertThat(raw.input().read())
                    .as("then the server closes the TCP connection")
                    .isEqualTo(-1);
        }
    }

    @Test
    void anOversizeFrameIsRefusedFromItsHeaderAndTheCloseHandshakeCompletes() throws Exception {
        try (RawWebSocket raw = admittedRaw()) {
            // Only the header of a 10 MB frame and a little of its payload: the server must answer from the
            // header alone, without waiting for (or buffering) the rest.
            long huge = 10_000_000;
            byte[] withLength = new byte[14 + 100];
            withLength[0] = (byte) (0x80 | WebSocketOpcodes.TEXT);
            withLength[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                withLength[2 + i] = (byte) (huge >>> (8 * (7 - i)));
            }
            raw.sendRaw(withLength); // mask key (zeros) + 100 payload bytes
            assertThat(MessageCodec.decode(raw.readText()))
                    .isInstanceOfSatisfying(
                            Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE));
            RawWebSocket.Frame close = raw.readFrame();
            assertThat(close.opcode()).isEqualTo(WebSocketOpcodes.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1009);
        }
    }

    /** Found in review: a fragment's 63-bit length must not overflow the running message size. */
    @Test
    void aContinuationWithA63BitLengthIsTooLargeNotAnOverflow() throws Exception {
        try (RawWebSocket raw = admittedRaw()) {
            raw.sendFrame(WebSocketOpcodes.TEXT, utf8("x"), false);
            byte[] header = new byte[14]; // FIN + continuation, masked, 64-bit length 2^63 - 1, zero mask
            header[0] = (byte) 0x80;
            header[1] = (byte) (0x80 | 127);
            long length = Long.MAX_VALUE;
            for (int i = 0; i < 8; i++) {
                header[2 + i] = (byte) (length >>> (8 * (7 - i)));
            }
            raw.sendRaw(header);
            assertThat(MessageCodec.decode(raw.readText()))
                    .isInstanceOfSatisfying(
                            Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE));
            assertThat(raw.readFrame().closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void afterAnOversizeFragmentTheClientsCloseFrameStillEndsTheConnectionPromptly() throws Exception {
        try (RawWebSocket raw = admittedRaw()) {
            byte[] big = new byte[40_000];
            raw.sendFrame(WebSocketOpcodes.TEXT, big, false);
            raw.sendFrame(WebSocketOpcodes.CONTINUATION, big, false); // over 64 KiB together: refused, skipped
            assertThat(MessageCodec.decode(raw.readText()))
                    .isInstanceOfSatisfying(
                            Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE));
            assertThat(raw.readFrame().closeCode()).isEqualTo(1009);
            raw.sendFrame(WebSocketOpcodes.CONTINUATION, big, true); // the rest still arrives; skipped too
            raw.sendFrame(WebSocketOpcodes.CLOSE, new byte[] {0x03, (byte) 0xF1}, true); // 1009 back
            // The server saw our close frame through the skipped bytes: it closes at once, not after its
            // close grace period (2 s).
            assertThat(readEofWithin(raw, PROMPT)).isTrue();
        }
    }

    private static boolean readEofWithin(RawWebSocket raw, Duration within) throws Exception {
        try {
            raw.readFrame(within);
            return raw.input().read() == -1;
        } catch (java.io.EOFException | java.net.SocketException e) {
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
