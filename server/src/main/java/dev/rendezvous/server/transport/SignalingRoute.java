package dev.rendezvous.server.transport;

import dev.rendezvous.server.net.ClientAddress;
import dev.rendezvous.server.session.ConnectRequest;
import dev.rendezvous.server.session.Connection;
import dev.rendezvous.server.session.ConnectionSettings;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * The Rendezvous protocol's WebSocket endpoint: {@code /} and {@code /ws} (the lobby) and
 * {@code /ws/{room}}. The room name and the {@code client_id}/{@code username} query parameters are
 * validated before the upgrade (HTTP 400); the session is a {@link WebSocketSessionHandler}.
 *
 * <p>Stateless; shared by every connection of a server.
 *
 * @param settings what every connection of the server shares
 * @param maxMessageBytes the largest message accepted (named in the error for a larger one)
 */
record SignalingRoute(ConnectionSettings settings, int maxMessageBytes) implements WebSocketRoute {
    private static final String ROOM_PREFIX = "/ws/";
    private static final int MAX_USERNAME_CHARS = 64;

    @Override
    public boolean serves(String path) {
        return path.equals("/") || path.equals("/ws") || path.startsWith(ROOM_PREFIX);
    }

    @Override
    public boolean upgradeOnly(String path) {
        return path.equals("/ws") || path.startsWith(ROOM_PREFIX); // "/" without an upgrade is the web client
    }

    @Override
    public Upgrade accept(Channel channel, QueryStringDecoder uri) {
        String path = uri.path();
        String room = path.startsWith(ROOM_PREFIX) ? path.substring(ROOM_PREFIX.length()) : null;
        if (room != null && !Connection.NAME.matcher(room).matches()) {
            return new Upgrade.Refused(
                    HttpResponseStatus.BAD_REQUEST, "room names are 1-64 characters of [A-Za-z0-9._-]");
        }
        String clientId = first(uri, "client_id");
        if (clientId != null && !Connection.NAME.matcher(clientId).matches()) {
            return new Upgrade.Refused(
                    HttpResponseStatus.BAD_REQUEST, "client_id must be 1-64 characters of [A-Za-z0-9._-]");
        }
        String username = first(uri, "username");
        if (username != null && !validUsername(username)) {
            return new Upgrade.Refused(
                    HttpResponseStatus.BAD_REQUEST,
                    "username must be 1-" + MAX_USERNAME_CHARS + " characters without control characters");
        }
        ConnectRequest request = new ConnectRequest(
                room,
                clientId,
                username == null || username.isEmpty() ? null : username,
                ClientAddress.forLogs(channel), // behind a trusted proxy: the client it names
                "1".equals(first(uri, "resumable")),
                "1".equals(first(uri, "resume")));
        return new Upgrade.Accepted(new WebSocketSessionHandler(channel, settings, maxMessageBytes, request));
    }

    private static String first(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static boolean validUsername(String name) {
        if (name.isEmpty()) {
            return true; // treated as absent
        }
        if (name.codePointCount(0, name.length()) > MAX_USERNAME_CHARS) {
            return false;
        }
        return name.codePoints().noneMatch(Character::isISOControl);
    }
}
