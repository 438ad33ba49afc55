package dev.rendezvous.server.ice;

import java.util.List;

/**
 * One entry of a client's {@code iceServers} list, in the shape of the WebRTC {@code RTCIceServer}
 * dictionary: STUN entries carry no credentials, TURN entries carry a minted one.
 */
public record IceServerEntry(List<String> urls, String username, String credential) {

    public IceServerEntry {
        urls = List.copyOf(urls);
    }

    @Override
    public String toString() {
        return "IceServerEntry[urls=" + urls + ", username=" + username
                + ", credential=" + (credential == null ? null : "***") + "]";
    }
}
