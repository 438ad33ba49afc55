package dev.rendezvous.server.transport;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * One WebSocket endpoint of the server: the paths it serves, and the session of a connection upgraded
 * there. {@link HttpRequestHandler} asks the routes {@link ServerInitializer} gives it, in order, and the
 * first that {@link #serves} a path takes the upgrade; a protocol of its own (another signaling dialect)
 * is one more route there.
 *
 * <p>Shared by every connection of a server: stateless, called on the connection's event loop.
 */
interface WebSocketRoute {

    /** Whether upgrades at {@code path} are this route's. */
    boolean serves(String path);

    /** Whether a plain request at {@code path} is answered 426 Upgrade Required: the path is only a WebSocket endpoint. */
    boolean upgradeOnly(String path);

    /** The session for an upgrade of {@code channel} at {@code uri} (whose path this route serves), or why not. */
    Upgrade accept(Channel channel, QueryStringDecoder uri);

    /** A route's answer to an upgrade request. */
    sealed interface Upgrade {
        /** Upgrade, and hand the connection to {@code session} (a new one, never null). */
        record Accepted(WebSocketSession session) implements Upgrade {}

        /** Answer {@code status} with the plain-text {@code reason} instead (a bad parameter: 400); both set. */
        record Refused(HttpResponseStatus status, String reason) implements Upgrade {}
    }
}
