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
 */
public record SessionConfig(
        List<IceServer> iceServers, boolean loopback, boolean trickle, boolean relayOnly, SendPolicy sendPolicy) {

    public SessionConfig {
        iceServers = List.copyOf(iceServers);
    }

    /** Loopback mode, trickle ICE, no ICE servers, default send policy: what tests use. */
    public static SessionConfig loopbackDefaults() {
        return new SessionConfig(List.of(), true, true, false, SendPolicy.DEFAULT);
    }

    public SessionConfig withIceServers(List<IceServer> servers) {
        return new SessionConfig(servers, loopback, trickle, relayOnly, sendPolicy);
    }

    public SessionConfig withLoopback(boolean on) {
        return new SessionConfig(iceServers, on, trickle, relayOnly, sendPolicy);
    }

    public SessionConfig withTrickle(boolean on) {
        return new SessionConfig(iceServers, loopback, on, relayOnly, sendPolicy);
    }

    public SessionConfig withRelayOnly(boolean on) {
        return new SessionConfig(iceServers, loopback, trickle, on, sendPolicy);
    }

    public SessionConfig withSendPolicy(SendPolicy policy) {
        return new SessionConfig(iceServers, loopback, trickle, relayOnly, policy);
    }
}
