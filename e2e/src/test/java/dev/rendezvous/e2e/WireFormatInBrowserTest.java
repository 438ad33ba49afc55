package dev.rendezvous.e2e;

import static dev.rendezvous.e2e.ModuleHarness.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page's signaling wire helpers ({@code js/wire.js}) in Chromium: both relay dialects of protocol v1
 * are read, the stage dialect is written, and loopback mode keeps only 127.* candidates.
 */
class WireFormatInBrowserTest {

    /** The module under test, as the global {@code wire}. */
    private static final String IMPORT_WIRE = "async () => { window.wire = await import('/js/wire.js'); }";

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(5));

    @Test
    void readsTheStageAndTheSeed004Dialects() {
        Map<String, Object> result = run("""
        return {
          stageOffer: wire.sdpOf({ type: 'offer', sdp: 'v=0 stage' }),
          seedOffer: wire.sdpOf({ type: 'offer', offer: { type: 'offer', sdp: 'v=0 seed' }, from: 'x' }),
          seedAnswer: wire.sdpOf({ type: 'answer', answer: { type: 'answer', sdp: 'v=0 answer' } }),
          missing: wire.sdpOf({ type: 'offer' }),
          stageCandidate: wire.candidateOf({ type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } }),
          seedCandidate: wire.candidateOf({ type: 'ice_candidate', candidate: { candidate: 'candidate:2 1 udp 1 127.0.0.1 5001 typ host', sdpMid: '0', sdpMLineIndex: 0 } }),
          bareCandidate: wire.candidateOf({ type: 'candidate', candidate: 'candidate:3 1 udp 1 127.0.0.1 5002 typ host', sdpMid: '0' }),
          endOfCandidates: wire.candidateOf({ type: 'candidate', candidate: { candidate: '', sdpMid: '0', sdpMLineIndex: 0 } }),
          relayed: [...wire.RELAYED_TYPES].sort(),
        };
        """);
        assertThat(result)
                .containsEntry("stageOffer", "v=0 stage")
                .containsEntry("seedOffer", "v=0 seed")
                .containsEntry("seedAnswer", "v=0 answer")
                .containsEntry("missing", null)
                .containsEntry("endOfCandidates", null);
        assertThat(map(result.get("stageCandidate")))
                .containsEntry("sdpMid", "0")
                .containsEntry("sdpMLineIndex", 0);
        assertThat(map(result.get("seedCandidate")))
                .containsEntry("candidate", "candidate:2 1 udp 1 127.0.0.1 5001 typ host");
        assertThat(map(result.get("bareCandidate")))
                .containsEntry("candidate", "candidate:3 1 udp 1 127.0.0.1 5002 typ host");
        assertThat(result.get("relayed")).asList().containsExactly("answer", "candidate", "ice_candidate", "offer");
    }

    @Test
    void writesTheStageDialectWithToOnlyInRooms() {
        Map<String, Object> result = run("""
        const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'u' };
        return {
          lobbyOffer: wire.descriptionMessage('offer', 'v=0'),
          roomAnswer: wire.descriptionMessage('answer', 'v=0', 'peer-1'),
          roomCandidate: wire.candidateMessage(candidate, 'peer-2'),
          lobbyUrl: wire.signalingUrl({ protocol: 'http:', host: '127.0.0.1:8765' }, null, ''),
          roomUrl: wire.signalingUrl({ protocol: 'https:', host: 'example.test' }, 'team', 'ana lee'),
        };
        """);
        assertThat(map(result.get("lobbyOffer"))).isEqualTo(Map.of("type", "offer", "sdp", "v=0"));
        assertThat(map(result.get("roomAnswer"))).isEqualTo(Map.of("type", "answer", "sdp", "v=0", "to", "peer-1"));
        assertThat(map(result.get("roomCandidate")))
                .isEqualTo(Map.of(
                        "type", "candidate",
                        "candidate",
                                Map.of(
                                        "candidate",
                                        "candidate:1 1 udp 1 127.0.0.1 5000 typ host",
                                        "sdpMid",
                                        "0",
                                        "sdpMLineIndex",
                                        0),
                        "to", "peer-2"));
        assertThat(result)
                .containsEntry("lobbyUrl", "ws://127.0.0.1:8765/ws")
                .containsEntry("roomUrl", "wss://example.test/ws/team?username=ana%20lee");
    }

    @Test
    void loopbackModeKeepsOnlyIpv4LoopbackCandidates() {
        Map<String, Object> result = run("""
        const sdp = ['v=0', 'a=candidate:1 1 udp 2122 127.0.0.1 5000 typ host', 'a=candidate:2 1 udp 2122 192.0.2.2 5001 typ host',
                     'a=candidate:3 1 udp 2122 ::1 5002 typ host', 'a=candidate:4 1 udp 5 127.0.0.1 6000 typ relay raddr 127.0.0.1 rport 5000',
                     'a=mid:0', ''].join('\\r\\n');
        return {
          kept: wire.keepLoopbackCandidates(sdp),
          eth0: wire.isLoopbackCandidate('candidate:2 1 udp 2122 192.0.2.2 5001 typ host'),
          mdns: wire.isLoopbackCandidate('candidate:5 1 udp 2122 8c1e2a3b.local 5003 typ host'),
          lo: wire.isLoopbackCandidate('candidate:1 1 udp 2122 127.0.0.1 5000 typ host'),
        };
        """);
        assertThat(result.get("kept"))
                .isEqualTo(String.join(
                        "\r\n",
                        "v=0",
                        "a=candidate:1 1 udp 2122 127.0.0.1 5000 typ host",
                        "a=candidate:4 1 udp 5 127.0.0.1 6000 typ relay raddr 127.0.0.1 rport 5000",
                        "a=mid:0",
                        ""));
        assertThat(result)
                .containsEntry("eth0", false)
                .containsEntry("mdns", false)
                .containsEntry("lo", true);
    }

    private static Map<String, Object> run(String body) {
        return ModuleHarness.run(e2e, IMPORT_WIRE, body);
    }
}
