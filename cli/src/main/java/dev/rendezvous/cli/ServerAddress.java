package dev.rendezvous.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A server as a person types it on the command line: {@code ws://host:port/ws}, {@code wss://…},
 * {@code http://host:port}, {@code https://…}, {@code host:port} or just {@code host}. Every form names the
 * same server; {@link #lobby()} is its WebSocket lobby and {@link #http()} its HTTP base, so {@code chat}
 * and {@code doctor} accept what the other prints.
 *
 * @param tls whether the server speaks TLS ({@code wss://} or {@code https://})
 * @param host host name or address (an IPv6 address without brackets)
 * @param port TCP port: as given, else 80 / 443 with a scheme, 8765 for a bare host
 * @param path the WebSocket path given with a {@code ws://} form, or {@code /ws}
 */
record ServerAddress(boolean tls, String host, int port, String path) {
    static final int DEFAULT_PORT = 8765;
    private static final String LOBBY_PATH = "/ws";

    /** Parses {@code text}; the message of the exception says what was expected. */
    static ServerAddress parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw invalid(text);
        }
        String lower = t.toLowerCase(Locale.ROOT);
        boolean hasScheme = lower.contains("://");
        URI uri;
        try {
            uri = new URI(hasScheme ? t : "ws://" + t);
        } catch (URISyntaxException e) {
            throw invalid(text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = switch (scheme) {
            case "ws", "http" -> false;
            case "wss", "https" -> true;
            default ->
                throw new IllegalArgumentException("unsupported scheme \"" + scheme + "\" in " + text
                        + ": use ws://, wss://, http://, https:// or host:port");
        };
        String host = uri.getHost();
        if (host == null
                || host.isEmpty()
                || uri.getUserInfo() != null
                || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw invalid(text);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        // With a scheme and no port, the scheme's own (80 or 443, as behind a proxy); bare host: ours.
        int port = uri.getPort() >= 0 ? uri.getPort() : !hasScheme ? DEFAULT_PORT : tls ? 443 : 80;
        String path = uri.getRawPath();
        // An http(s) address names the server, not a WebSocket path; a ws(s) address may name a room or a
        // mount point behind a proxy, and is kept.
        if (path == null || path.isEmpty() || path.equals("/") || scheme.startsWith("http")) {
            path = LOBBY_PATH;
        }
        return new ServerAddress(tls, host, port, path);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(
                "\"" + text + "\" is not a server address: use ws://host:port/ws, http://host:port or host:port");
    }

    /** The WebSocket lobby, e.g. {@code ws://127.0.0.1:8765/ws}. */
    URI lobby() {
        return URI.create((tls ? "wss://" : "ws://") + authority() + path);
    }

    /** The HTTP base, e.g. {@code http://127.0.0.1:8765}. */
    URI http() {
        return URI.create((tls ? "https://" : "http://") + authority());
    }

    private String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return lobby().toString();
    }

    /** picocli's converter: a bad address is reported as one sentence with the option's name. */
    static final class Converter implements ITypeConverter<ServerAddress> {
        @Override
        public ServerAddress convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
