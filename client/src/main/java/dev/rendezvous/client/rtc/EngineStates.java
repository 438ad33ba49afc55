package dev.rendezvous.client.rtc;

import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnectionState;

/**
 * The one mapping from webrtc-java's state enums to Rendezvous's own ({@link ChannelState},
 * {@link ConnectionState}, {@link IceState}), so the SDK's public types never expose the engine's. Each
 * of ours names the W3C states constant for constant, so a state maps by name; {@code EngineStatesTest}
 * checks every engine constant, so a webrtc-java upgrade that adds a state fails a test rather than a
 * user's callback.
 */
final class EngineStates {
    private EngineStates() {}

    static ChannelState of(RTCDataChannelState state) {
        return mirror(ChannelState.class, state);
    }

    static ConnectionState of(RTCPeerConnectionState state) {
        return mirror(ConnectionState.class, state);
    }

    static IceState of(RTCIceConnectionState state) {
        return mirror(IceState.class, state);
    }

    /** Our constant of the same name as {@code engine}'s. */
    private static <E extends Enum<E>> E mirror(Class<E> ours, Enum<?> engine) {
        return Enum.valueOf(ours, engine.name());
    }
}
