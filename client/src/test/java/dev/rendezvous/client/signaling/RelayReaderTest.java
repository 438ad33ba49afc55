package dev.rendezvous.client.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Offers, answers and candidates as different stacks send them. */
class RelayReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void readsTheSdpOfEitherDialect() throws Exception {
        assertThat(RelayReader.sdp(json("{\"type\":\"offer\",\"sdp\":\"v=0 stage\"}"), "offer"))
                .contains("v=0 stage");
        assertThat(RelayReader.sdp(
                        json("{\"type\":\"offer\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0 seed\"}}"), "offer"))
                .contains("v=0 seed");
        assertThat(RelayReader.sdp(
                        json("{\"type\":\"answer\",\"sdp\":{\"type\":\"answer\",\"sdp\":\"v=0 nested\"}}"), "answer"))
                .contains("v=0 nested");
        assertThat(RelayReader.sdp(json("{\"type\":\"answer\",\"description\":{\"sdp\":\"v=0 d\"}}"), "answer"))
                .contains("v=0 d");
        assertThat(RelayReader.sdp(json("{\"type\":\"offer\"}"), "offer")).isEmpty();
    }

    @Test
    void readsCandidatesAsObjectsOrStrings() throws Exception {
        assertThat(
                        RelayReader.candidate(
                                json(
                                        "{\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}")))
                .contains(new RemoteCandidate("candidate:1 1 udp 1 127.0.0.1 5 typ host", "0", 0));
        assertThat(
                        RelayReader.candidate(
                                json(
                                        "{\"candidate\":\"a=candidate:2 1 udp 1 127.0.0.1 6 typ host\",\"sdpMid\":\"data\",\"sdpMLineIndex\":1}")))
                .contains(new RemoteCandidate("candidate:2 1 udp 1 127.0.0.1 6 typ host", "data", 1));
        assertThat(RelayReader.candidate(
                        json("{\"candidate\":{\"candidate\":\"candidate:3 1 udp 1 127.0.0.1 7 typ host\"}}")))
                .contains(new RemoteCandidate("candidate:3 1 udp 1 127.0.0.1 7 typ host", "", 0));
    }

    @Test
    void endOfCandidatesReadsAsNothing() throws Exception {
        assertThat(RelayReader.candidate(json("{\"candidate\":null}"))).isEmpty();
        assertThat(RelayReader.candidate(json("{\"candidate\":\"\"}"))).isEmpty();
        assertThat(RelayReader.candidate(json("{\"candidate\":{\"candidate\":\"\",\"sdpMid\":\"0\"}}")))
                .isEmpty();
        assertThat(RelayReader.candidate(json("{}"))).isEmpty();
    }
}
