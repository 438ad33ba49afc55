package dev.rendezvous.client.rtc;

import java.util.List;

/** One STUN/TURN server for a session, as the signaling server announced it in {@code your_id}. */
public record IceServerSpec(List<String> urls, String username, String credential) {
    public IceServerSpec {
        urls = List.copyOf(urls);
    }
}
