package dev.rendezvous.server.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.server.ice.IceUrl.Scheme;
import dev.rendezvous.server.ice.IceUrl.Transport;
import org.junit.jupiter.api.Test;

class IceUrlTest {

    @Test
    void parsesSchemesPortsAndTransports() {
        assertThat(IceUrl.parse("stun:127.0.0.1")).isEqualTo(new IceUrl(Scheme.STUN, "127.0.0.1", 3478, Transport.UDP));
        assertThat(IceUrl.parse("turn:turn.example:3479?transport=tcp"))
                .isEqualTo(new IceUrl(Scheme.TURN, "turn.example", 3479, Transport.TCP));
        assertThat(IceUrl.parse("turns:turn.example"))
                .isEqualTo(new IceUrl(Scheme.TURNS, "turn.example", 5349, Transport.TCP));
        assertThat(IceUrl.parse("turn:[::1]:3478")).isEqualTo(new IceUrl(Scheme.TURN, "::1", 3478, Transport.UDP));
    }

    @Test
    void refusesWhatWebRtcWouldRefuse() {
        assertThatThrownBy(() -> IceUrl.parse("stun://127.0.0.1")).hasMessageContaining("is not a stun:");
        assertThatThrownBy(() -> IceUrl.parse("turn:h:70000")).hasMessageContaining("outside 1-65535");
        assertThatThrownBy(() -> IceUrl.parse("stun:h?transport=tcp")).hasMessageContaining("only defined for turn:");
        assertThatThrownBy(() -> IceUrl.parse("turns:h?transport=udp"))
                .hasMessageContaining("transport=udp is impossible");
    }
}
