package dev.rendezvous.client.rtc;

import dev.rendezvous.protocol.IceServer;
import java.util.List;

/**
 * How a {@link PeerSession} connects.
 *
 * @param iceServers STUN/TURN servers (from {@code your_id}); empty means host candidates only
 * @param loopback loopback ICE mode: every candidate signalled is on 127.0.0.1 (single host, tests)
 * @param trickle send candidates one by one as gathered; when false, the offer/answer is sent once
 *     gathering completes and carries every candidate in its SDP (for stacks that do not trickle)
 * @param relayOnly force TURN relay ({@code iceTransportPolicy = relay})
 * @param sendPolicy bounds of safe send
 * @param udpReceiveBufferBytes the kernel receive buffer asked for on libwebrtc's UDP sockets (Linux; the
 *     kernel caps it at {@code net.core.rmem_max}); 0 leaves the system default. A larger buffer keeps a
 *     fast channel from losing packets while its network thread waits for a core ({@link UdpReceiveBuffers})
 */
public record SessionConfig(
        List<IceServer> iceServers,
        boolean loopback,
        boolean trickle,
        boolean relayOnly,
        SendPolicy sendPolicy,
        int udpReceiveBufferBytes) {

    public SessionConfig {
        iceServers = List.copyOf(iceServers);
        if (udpReceiveBufferBytes < 0) {
            throw new IllegalArgumentException("udpReceiveBufferBytes must be 0 (system default) or positive");
        }
    }

    /** As the full form, with the default UDP receive buffer (4 MiB asked for). */
    public SessionConfig(
            List<IceServer> iceServers, boolean loopback, boolean trickle, boolean relayOnly, SendPolicy sendPolicy) {
        this(iceServers, loopback, trickle, relayOnly, sendPolicy, UdpReceiveBuffers.DEFAULT_BYTES);
    }

    /** Loopback mode, trickle ICE, no ICE servers, default send policy: what tests use. */
    public static SessionConfig loopbackDefaults() {
        return new SessionConfig(List.of(), true, true, false, SendPolicy.DEFAULT);
    }

    public SessionConfig withIceServers(List<IceServer> servers) {
        return new SessionConfig(servers, loopback, trickle, relayOnly, sendPolicy, udpReceiveBufferBytes);
    }

    public SessionConfig withLoopback(boolean on) {
        return new SessionConfig(iceServers, on, trickle, relayOnly, sendPolicy, udpReceiveBufferBytes);
    }

    public SessionConfig withTrickle(boolean on) {
        return new SessionConfig(iceServers, loopback, on, relayOnly, sendPolicy, udpReceiveBufferBytes);
    }

    public SessionConfig withRelayOnly(boolean on) {
        return new SessionConfig(iceServers, loopback, trickle, on, sendPolicy, udpReceiveBufferBytes);
    }

    public SessionConfig withSendPolicy(SendPolicy policy) {
        return new SessionConfig(iceServers, loopback, trickle, relayOnly, policy, udpReceiveBufferBytes);
    }

    /** The UDP receive buffer to ask for, in bytes; 0 leaves the system default. */
    public SessionConfig withUdpReceiveBufferBytes(int bytes) {
        return new SessionConfig(iceServers, loopback, trickle, relayOnly, sendPolicy, bytes);
    }
}
