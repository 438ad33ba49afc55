package dev.rendezvous.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code ice_servers} in {@link Message.YourId}, shaped like the browser's
 * {@code RTCIceServer}.
 *
 * @param urls {@code stun:}/{@code turn:}/{@code turns:} URLs, at least one
 * @param username TURN user name, or null for STUN
 * @param credential TURN password, or null for STUN
 */
public record IceServer(List<String> urls, String username, String credential) {
    public IceServer {
        urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
    }

    /** A STUN server (no credentials). */
    public static IceServer stun(String url) {
        return new IceServer(List.of(url), null, null);
    }
}
