package dev.rendezvous.server.http;

import java.util.List;
import java.util.Locale;

/**
 * Which browser pages may use this server ({@code Origin}), and under which names it may be reached
 * ({@code Host}, against DNS rebinding). Checked at every WebSocket upgrade and every HTTP endpoint
 * ({@code /api/…}, {@code /metrics}, {@code /healthz}); a refusal is a 403.
 *
 * <p>Origins, without configuration (exactly): a request without {@code Origin} (not a browser) is
 * allowed; an {@code Origin} equal to the server's own {@code scheme://host:port} (the {@code Host} it was
 * reached by, which the host rule has vetted) is allowed; {@code http://127.0.0.1:*},
 * {@code http://localhost:*} and {@code http://[::1]:*} are allowed only while the server listens on a
 * loopback address; every other origin, {@code null} included, is refused. Configured entries add to the
 * own origin: an exact origin ({@code https://app.example.com}, {@code http://host:8080}), a pattern
 * {@code https://*.example.com} or {@code *.example.com} (any subdomain, the latter with any scheme; any
 * port unless one is given), or {@code *} (every origin — only behind an authenticating proxy).
 *
 * <p>Hosts, without configuration: while listening on a loopback address only loopback names
 * ({@code 127.0.0.1}, {@code localhost}, {@code [::1]}, any port) — a page on {@code evil.example} whose
 * name was rebound to 127.0.0.1 is refused; else any. Configured entries are names with an optional port
 * ({@code signal.example.com}, {@code signal.example.com:443}) or {@code *.example.com}.
 *
 * <p>Immutable, thread-safe.
 */
public final class OriginPolicy {
    private final List<String> origins;
    private final List<String> hosts;
    private final boolean loopback;
    private final String scheme;

    /**
     * @param allowedOrigins configured origins and patterns (empty: the defaults only)
     * @param allowedHosts configured host names (empty: the defaults)
     * @param loopback the server listens on a loopback address
     * @param tls the server speaks TLS (its own origin is {@code https://…})
     */
    public OriginPolicy(List<String> allowedOrigins, List<String> allowedHosts, boolean loopback, boolean tls) {
        this.origins = allowedOrigins.stream().map(OriginPolicy::lower).toList();
        this.hosts = allowedHosts.stream().map(OriginPolicy::lower).toList();
        this.loopback = loopback;
        this.scheme = tls ? "https" : "http";
    }

    /** Allows every origin and host: for tests and embedders that check elsewhere. */
    public static OriginPolicy open() {
        return new OriginPolicy(List.of("*"), List.of("*"), false, false);
    }

    /** Whether a request with this {@code Host} header (null when absent) may be served. */
    public boolean hostAllowed(String host) {
        if (host == null) {
            return hosts.isEmpty() && !loopback; // HTTP/1.1 requires Host; a loopback server insists
        }
        String h = lower(host);
        if (hosts.isEmpty()) {
            return !loopback || isLoopbackName(stripPort(h));
        }
        for (String entry : hosts) {
            if (entry.equals("*")
                    || entry.equals(h)
                    || entry.equals(stripPort(h))
                    || (entry.startsWith("*.") && stripPort(h).endsWith(entry.substring(1)))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a request from {@code origin} (null when absent), reached by {@code host}, may be served. */
    public boolean originAllowed(String origin, String host) {
        if (origin == null) {
            return true; // not a browser: browsers always send Origin on WebSocket and CORS requests
        }
        String o = lower(origin.trim());
        if (host != null && o.equals(scheme + "://" + lower(host))) {
            return true;
        }
        if (loopback
                && (o.startsWith("http://127.0.0.1:")
                        || o.startsWith("http://localhost:")
                        || o.startsWith("http://[::1]:")
                        || o.equals("http://127.0.0.1")
                        || o.equals("http://localhost")
                        || o.equals("http://[::1]"))) {
            return true;
        }
        for (String entry : origins) {
            if (entry.equals("*") || entry.equals(o) || matchesPattern(entry, o)) {
                return true;
            }
        }
        return false;
    }

    /** {@code https://*.example.com[:port]} or {@code *.example.com[:port]} against {@code scheme://host[:port]}. */
    private static boolean matchesPattern(String entry, String origin) {
        int star = entry.indexOf("*.");
        if (star < 0 || o(origin) < 0) {
            return false;
        }
        String entryScheme = star == 0 ? null : entry.substring(0, star);
        if (entryScheme != null && !origin.startsWith(entryScheme)) {
            return false;
        }
        String hostPort = origin.substring(o(origin) + 3);
        String suffix = entry.substring(star + 1); // ".example.com[:port]"
        if (suffix.indexOf(':') >= 0) {
            return hostPort.endsWith(suffix) && hostPort.length() > suffix.length();
        }
        String host = stripPort(hostPort);
        return host.endsWith(suffix) && host.length() > suffix.length();
    }

    private static int o(String origin) {
        return origin.indexOf("://");
    }

    private static boolean isLoopbackName(String host) {
        return host.equals("localhost") || host.equals("[::1]") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static String stripPort(String hostPort) {
        int close = hostPort.lastIndexOf(']');
        int colon = hostPort.lastIndexOf(':');
        return colon > close ? hostPort.substring(0, colon) : hostPort;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
