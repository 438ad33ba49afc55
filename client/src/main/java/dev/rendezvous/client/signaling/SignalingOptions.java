package dev.rendezvous.client.signaling;

import java.net.URI;
import java.time.Duration;

/**
 * Where and how to connect.
 *
 * @param server {@code ws://host:port/ws} (lobby) or {@code ws://host:port/ws/<room>} (room)
 * @param token a JWT sent when the server asks ({@code auth_required}), or null
 * @param clientId the id to ask for, or null for a server-made one
 * @param username the display name to ask for (auth off), or null
 * @param connectTimeout how long the WebSocket handshake may take
 * @param resumable ask for a resumable session ({@code resumable=1}, v1.1): on by default
 * @param backoff the delays between resume attempts
 */
public record SignalingOptions(
        URI server,
        String token,
        String clientId,
        String username,
        Duration connectTimeout,
        boolean resumable,
        Backoff backoff) {

    public SignalingOptions {
        backoff = backoff == null ? Backoff.DEFAULT : backoff;
    }

    /** Resumable, with the default backoff. */
    public SignalingOptions(URI server, String token, String clientId, String username, Duration connectTimeout) {
        this(server, token, clientId, username, connectTimeout, true, Backoff.DEFAULT);
    }

    public static SignalingOptions of(URI server) {
        return new SignalingOptions(server, null, null, null, Duration.ofSeconds(10));
    }

    public SignalingOptions withToken(String jwt) {
        return new SignalingOptions(server, jwt, clientId, username, connectTimeout, resumable, backoff);
    }

    public SignalingOptions withClientId(String id) {
        return new SignalingOptions(server, token, id, username, connectTimeout, resumable, backoff);
    }

    public SignalingOptions withUsername(String name) {
        return new SignalingOptions(server, token, clientId, name, connectTimeout, resumable, backoff);
    }

    /** Off: a plain v1 session that ends with its connection. */
    public SignalingOptions withResumable(boolean on) {
        return new SignalingOptions(server, token, clientId, username, connectTimeout, on, backoff);
    }

    public SignalingOptions withBackoff(Backoff delays) {
        return new SignalingOptions(server, token, clientId, username, connectTimeout, resumable, delays);
    }

    /** The same options for another URL (a room's). */
    public SignalingOptions withServer(URI url) {
        return new SignalingOptions(url, token, clientId, username, connectTimeout, resumable, backoff);
    }

    /** The lobby or room URL for {@code base} (a server URL such as {@code ws://127.0.0.1:8765/ws}). */
    public static URI roomUri(URI base, String room) {
        String path = base.getPath() == null
                        || base.getPath().isEmpty()
                        || base.getPath().equals("/")
                ? "/ws"
                : base.getPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return base.resolve(path + "/" + room);
    }
}
