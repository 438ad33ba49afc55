package dev.rendezvous.client.rtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import org.junit.jupiter.api.Test;

/** Every state webrtc-java reports has Rendezvous's own constant of the same name (checked here, not by a switch). */
class EngineStatesTest {

    @Test
    void everyChannelStateMaps() {
        for (RTCDataChannelState s : RTCDataChannelState.values()) {
            assertThat(EngineStates.of(s).name()).isEqualTo(s.name());
        }
        assertThat(ChannelState.values()).hasSameSizeAs(RTCDataChannelState.values());
    }

    @Test
    void everyConnectionStateMaps() {
        for (RTCPeerConnectionState s : RTCPeerConnectionState.values()) {
            assertThat(EngineStates.of(s).name()).isEqualTo(s.name());
        }
        assertThat(ConnectionState.values()).hasSameSizeAs(RTCPeerConnectionState.values());
    }

    @Test
    void everyIceStateMaps() {
        for (RTCIceConnectionState s : RTCIceConnectionState.values()) {
            assertThat(EngineStates.of(s).name()).isEqualTo(s.name());
        }
        assertThat(IceState.values()).hasSameSizeAs(RTCIceConnectionState.values());
    }
}
