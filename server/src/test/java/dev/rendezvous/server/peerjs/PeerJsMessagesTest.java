package dev.rendezvous.server.peerjs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing client frames and writing server messages in peerjs-server's shape. */
class PeerJsMessagesTest {

    @Test
    void aRelayedMessageKeepsTypeSrcDstPayloadInThatOrderAndThePayloadsNumbersAsWritten() {
        var in = PeerJsMessages.parse(
                        "{\"payload\":{\"n\":1.50,\"big\":123456789012345678901234567890,\"s\":\"\\u00e9\"},"
                                + "\"dst\":\"b\",\"src\":\"forged\",\"type\":\"OFFER\",\"extra\":true}")
                .orElseThrow();
        assertThat(in.type()).isEqualTo("OFFER");
        assertThat(in.dst()).isEqualTo("b");
        assertThat(PeerJsMessages.relayed(in.type(), "a", in.dst(), in.payload()))
                .isEqualTo(
                        "{\"type\":\"OFFER\",\"src\":\"a\",\"dst\":\"b\",\"payload\":{\"n\":1.50,\"big\":123456789012345678901234567890,\"s\":\"é\"}}");
    }

    @Test
    void withoutPayloadTheMemberIsLeftOut() {
        assertThat(PeerJsMessages.relayed("EXPIRE", "ghost", "a", null))
                .isEqualTo("{\"type\":\"EXPIRE\",\"src\":\"ghost\",\"dst\":\"a\"}");
    }

    @Test
    void serverMessagesAreExactlyPeerjsServers() {
        assertThat(PeerJsMessages.open()).isEqualTo("{\"type\":\"OPEN\"}");
        assertThat(PeerJsMessages.error(PeerJsMessages.INVALID_KEY))
                .isEqualTo("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"Invalid key provided\"}}");
        assertThat(PeerJsMessages.idTaken()).isEqualTo("{\"type\":\"ID-TAKEN\",\"payload\":{\"msg\":\"ID is taken\"}}");
    }

    @Test
    void aNonStringDstIsNoDst() {
        assertThat(PeerJsMessages.parse("{\"type\":\"OFFER\",\"dst\":7}")
                        .orElseThrow()
                        .dst())
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "x",
                "[]",
                "1",
                "null",
                "{}",
                "{\"type\":1}",
                "{\"type\":null}",
                "{\"type\":\"A\"} x",
                "{\"type\":\"A\""
            })
    void framesThatAreNotAnObjectWithAStringTypeAreRefused(String text) {
        assertThat(PeerJsMessages.parse(text)).isEmpty();
    }
}
