package dev.rendezvous.cli;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Why {@code chat} (or {@code send}/{@code receive}) could not join a server, as one sentence with the fix.
 * The exceptions of the JDK's WebSocket client often carry no message at all ({@code ConnectException:
 * null}), so the sentence is chosen by the kind of failure, not copied from it.
 */
final class JoinFailure {
    private JoinFailure() {}

    /** E.g. {@code could not join ws://127.0.0.1:1/ws: nothing answers there; is `rendezvous serve` running?…}. */
    static String describe(URI server, String room, Throwable failure) {
        return "could not join " + server + (room != null ? " room " + room : "") + ": " + reason(server, failure);
    }

    private static String reason(URI server, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            switch (t) {
                case HttpConnectTimeoutException ignored -> {
                    return "no answer from " + server.getAuthority()
                            + " in time; check the address and that the server runs";
                }
                case ConnectException ignored -> {
                    return "nothing answers at " + server.getAuthority()
                            + "; start the server (`rendezvous serve`) or give its address with --server";
                }
                case UnresolvedAddressException ignored -> {
                    return "unknown host " + server.getHost() + "; check --server";
                }
                case WebSocketHandshakeException handshake -> {
                    int status = handshake.getResponse().statusCode();
                    return "the server refused the connection (HTTP " + status + ")"
                            + (status == 404
                                    ? "; check --server's path (the lobby is /ws)"
                                    : "; check --server, --id and --room");
                }
                case SSLException tls -> {
                    return "TLS failed (" + tls.getMessage() + "); use ws:// for a server without TLS";
                }
                case TimeoutException ignored -> {
                    return "the server did not admit us in time; check that --server names a Rendezvous server";
                }
                default -> {}
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
