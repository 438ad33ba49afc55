package dev.rendezvous.client.rtc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopbackCandidatesTest {

    @Test
    void rewritesIpv4HostCandidatesToLoopback() {
        assertThat(LoopbackCandidates.rewrite(
                        "candidate:1 1 udp 2122260223 192.0.2.2 40000 typ host generation 0 ufrag ab network-id 1"))
                .contains("candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host generation 0 ufrag ab network-id 1");
    }

    @Test
    void dropsIpv6HostCandidatesAndKeepsRelays() {
        assertThat(LoopbackCandidates.rewrite("candidate:2 1 udp 2122262783 fd00::2 40001 typ host generation 0"))
                .isEmpty();
        String relay = "candidate:3 1 udp 41885439 127.0.0.1 50000 typ relay raddr 0.0.0.0 rport 0";
        assertThat(LoopbackCandidates.rewrite(relay)).contains(relay);
    }

    @Test
    void rewritesCandidatesInsideAnSdp() {
        String sdp = "v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "a=candidate:1 1 udp 2122260223 192.0.2.2 40000 typ host generation 0\r\n"
                + "a=candidate:2 1 udp 2122262783 fd00::2 40001 typ host generation 0\r\n"
                + "a=mid:0\r\n";
        assertThat(LoopbackCandidates.rewriteSdp(sdp))
                .isEqualTo("v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                        + "a=candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host generation 0\r\n"
                        + "a=mid:0\r\n");
    }
}
