package dev.rendezvous.server.session;

/**
 * What a client asked for when it connected: the scope and query parameters of its upgrade request
 * (already validated by the transport), and where it came from. Immutable.
 *
 * @param room the room of a {@code /ws/{room}} connection, or null for the lobby
 * @param requestedId the {@code client_id} query parameter, or null
 * @param username the {@code username} query parameter, or null
 * @param remote the peer address, only for logs: its {@code toString} runs only when a line is written
 * @param resumable the {@code resumable=1} query parameter: the client asks for a resumable session (v1.1)
 * @param resume the {@code resume=1} query parameter: the client asks to resume a session (v1.1)
 */
public record ConnectRequest(
        String room, String requestedId, String username, Object remote, boolean resumable, boolean resume) {

    /** A v1 request: no resume parameters. */
    public static ConnectRequest v1(String room, String requestedId, String username, Object remote) {
        return new ConnectRequest(room, requestedId, username, remote, false, false);
    }
}
