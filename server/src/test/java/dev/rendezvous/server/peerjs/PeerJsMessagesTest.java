package dev.rendezvous.server.peerjs;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading client frames ({@link PeerJsScanner}) and writing server messages in peerjs-server's shape. */
class PeerJsMessagesTest {

    private static PeerJsScanner scanned(byte[] frame) {
        PeerJsScanner scan = new PeerJsScanner();
        assertThat(scan.scan(frame, frame.length))
                .as(new String(frame, StandardCharsets.UTF_8))
                .isTrue();
        return scan;
    }

    private static PeerJsScanner scanned(String frame) {
        return scanned(frame.getBytes(StandardCharsets.UTF_8));
    }

    /** The frame relayed for {@code scan}'s message from {@code src}, exactly as long as announced. */
    private static String relayed(PeerJsScanner scan, String src) {
        byte[] stamp = PeerJsMessages.srcValue(src);
        ByteBuf out = Unpooled.buffer();
        try {
            scan.writeRelayed(stamp, out);
            assertThat(out.readableBytes()).isEqualTo(scan.relayedLength(stamp));
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @Test
    void aRelayedMessageKeepsTypeSrcDstPayloadInThatOrderAndThePayloadByteForByte() {
        PeerJsScanner in = scanned("{\"payload\":{\"n\":1.50,\"big\":123456789012345678901234567890,\"s\":\"\\u00e9\"},"
                + "\"dst\":\"b\",\"src\":\"forged\",\"type\":\"OFFER\",\"extra\":true}");
        assertThat(in.type()).isEqualTo(PeerJsType.OFFER);
        assertThat(in.dst()).isEqualTo("b");
        assertThat(relayed(in, "a"))
                .isEqualTo("{\"type\":\"OFFER\",\"src\":\"a\",\"dst\":\"b\",\"payload\":"
                        + "{\"n\":1.50,\"big\":123456789012345678901234567890,\"s\":\"\\u00e9\"}}");
    }

    @Test
    void withoutPayloadTheMemberIsLeftOut() {
        assertThat(relayed(scanned("{\"type\":\"CANDIDATE\",\"dst\":\"b\"}"), "a"))
                .isEqualTo("{\"type\":\"CANDIDATE\",\"src\":\"a\",\"dst\":\"b\"}");
        assertThat(PeerJsMessages.relayed("EXPIRE", "ghost", "a"))
                .isEqualTo("{\"type\":\"EXPIRE\",\"src\":\"ghost\",\"dst\":\"a\"}");
    }

    @Test
    void escapedNamesAndTypesAreReadDecodedAndARepeatedNameCountsOnceTheLast() {
        PeerJsScanner in =
                scanned("{\"\\u0074ype\":\"ANS\\u0057ER\",\"dst\":\"x\",\"dst\":\"b\",\"payload\":1,\"payload\":[2]}");
        assertThat(in.type()).isEqualTo(PeerJsType.ANSWER);
        assertThat(relayed(in, "a")).isEqualTo("{\"type\":\"ANSWER\",\"src\":\"a\",\"dst\":\"b\",\"payload\":[2]}");
    }

    @Test
    void aFrameThatIsNotUtf8IsReadWithReplacementCharacters() {
        byte[] frame = "{\"type\":\"OFFER\",\"dst\":\"b\",\"payload\":\"?\"}".getBytes(StandardCharsets.UTF_8);
        frame[frame.length - 3] = (byte) 0xFF;
        assertThat(relayed(scanned(frame), "a"))
                .isEqualTo("{\"type\":\"OFFER\",\"src\":\"a\",\"dst\":\"b\",\"payload\":\"\uFFFD\"}");
    }

    @Test
    void unknownTypesAreOtherAndKeepTheirText() {
        PeerJsScanner in = scanned("{\"type\":\"offer\"}");
        assertThat(in.type()).isEqualTo(PeerJsType.OTHER);
        assertThat(in.typeText()).isEqualTo("offer");
        assertThat(scanned("{\"type\":\"HEARTBEAT\"}").type()).isEqualTo(PeerJsType.HEARTBEAT);
    }

    @Test
    void serverMessagesAreExactlyPeerjsServers() {
        assertThat(PeerJsMessages.open()).isEqualTo("{\"type\":\"OPEN\"}");
        assertThat(PeerJsMessages.error(PeerJsMessages.INVALID_KEY))
                .isEqualTo("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"Invalid key provided\"}}");
        assertThat(PeerJsMessages.idTaken()).isEqualTo("{\"type\":\"ID-TAKEN\",\"payload\":{\"msg\":\"ID is taken\"}}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"{\"type\":\"OFFER\",\"dst\":7}", "{\"type\":\"OFFER\",\"dst\":null}", "{\"type\":\"OFFER\"}"})
    void aNonStringDstIsNoDst(String frame) {
        assertThat(scanned(frame).dst()).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "x",
                "[]",
                "1",
                "null",
                "{}",
                "{\"type\":1}",
                "{\"type\":null}",
                "{\"type\":\"A\",\"type\":2}",
                "{\"type\":\"A\"} x",
                "{\"type\":\"A\"} {}",
                "{\"type\":\"A\"",
                "{\"type\":\"A\",}",
                "{\"type\":\"A\",\"payload\":01}"
            })
    void framesThatAreNotAnObjectWithAStringTypeAreRefused(String text) {
        byte[] frame = text.getBytes(StandardCharsets.UTF_8);
        assertThat(new PeerJsScanner().scan(frame, frame.length)).isFalse();
    }
}
