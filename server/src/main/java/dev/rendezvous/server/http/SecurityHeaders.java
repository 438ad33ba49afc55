package dev.rendezvous.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.regex.Pattern;

/**
 * The headers every HTTP response of the server carries, page or API, so that a browser treats it as what it
 * is and nothing more: no MIME sniffing ({@code nosniff}), no framing by other sites (clickjacking:
 * {@code frame-ancestors 'none'}, and {@code X-Frame-Options: DENY} for old browsers), no referrer leaking
 * room names or invite links, and a Content-Security-Policy fitted to the page: scripts only as same-origin
 * files (ES modules; no inline script, no {@code eval}), styles only from same-origin files, images from
 * the page or {@code data:} (the favicon), network only to this server (HTTP and its WebSocket), no
 * plugins, no {@code <base>}. An injected string in the page therefore cannot run. The page policy goes on
 * HTML responses; every other response (a script, a style sheet, JSON: never run as a document) gets
 * {@code frame-ancestors 'none'} alone, so a test page or another tool that loads such a URL as a document
 * and injects its own scripts keeps working.
 *
 * <p>Stateless.
 */
public final class SecurityHeaders {
    /** A Host header fit to appear in the policy: a name or address and a port, nothing that could end a directive. */
    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

    private SecurityHeaders() {}

    /** The Content-Security-Policy for a response to a request that named {@code host} (may be null). */
    public static String contentSecurityPolicy(String host) {
        // 'self' covers ws:/wss: to the same host in CSP 3; the explicit entries are for browsers before it.
        String sockets = host != null && HOST.matcher(host).matches() ? " ws://" + host + " wss://" + host : "";
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
                // blob: lets the page (and a test reading a download link) fetch the files it stored itself.
                + "connect-src 'self'" + sockets + " blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                + "frame-ancestors 'none'";
    }

    /** The policy of a response that is not an HTML page: it may not be framed; nothing else applies to it. */
    public static final String NOT_A_PAGE_POLICY = "frame-ancestors 'none'";

    /** Adds the headers to {@code headers} (of a response to a request for {@code host}), leaving any an endpoint set itself. */
    public static void apply(HttpHeaders headers, String host) {
        setIfAbsent(headers, "X-Content-Type-Options", "nosniff");
        setIfAbsent(headers, HttpHeaderNames.X_FRAME_OPTIONS, "DENY");
        setIfAbsent(headers, "Referrer-Policy", "no-referrer");
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        boolean page = type != null && type.regionMatches(true, 0, "text/html", 0, 9);
        setIfAbsent(
                headers,
                HttpHeaderNames.CONTENT_SECURITY_POLICY,
                page ? contentSecurityPolicy(host) : NOT_A_PAGE_POLICY);
    }

    private static void setIfAbsent(HttpHeaders headers, CharSequence name, String value) {
        if (!headers.contains(name)) {
            headers.set(name, value);
        }
    }
}
