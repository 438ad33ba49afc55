package dev.rendezvous.server.ice;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed STUN or TURN URL (RFC 7064 / RFC 7065): {@code stun:host[:port]},
 * {@code turn:host[:port][?transport=udp|tcp]}, and their TLS variants {@code stuns:} / {@code turns:}.
 *
 * @param scheme the URL scheme
 * @param host a host name, IPv4 address or bracket-less IPv6 address
 * @param port the explicit port, or the scheme's default (3478, or 5349 for the TLS variants)
 * @param transport {@code udp} or {@code tcp}; TLS variants are always {@code tcp}
 */
public record IceUrl(Scheme scheme, String host, int port, Transport transport) {

    /** The four URL schemes WebRTC knows. */
    public enum Scheme {
        STUN,
        STUNS,
        TURN,
        TURNS;

        public boolean isTurn() {
            return this == TURN || this == TURNS;
        }

        public boolean isTls() {
            return this == STUNS || this == TURNS;
        }
    }

    /** The transport a client uses to reach the server. */
    public enum Transport {
        UDP,
        TCP
    }

    private static final Pattern SYNTAX = Pattern.compile(
            "(?i)(stuns?|turns?):(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9._-]+)(?::(\\d{1,5}))?(?:\\?transport=(udp|tcp))?");

    /** Parses {@code url}; the message of the exception says what is wrong in one sentence. */
    public static IceUrl parse(String url) {
        Matcher m = SYNTAX.matcher(url.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + url + "' is not a stun:, stuns:, turn: or turns: URL"
                    + " (expected e.g. turn:turn.example:3478?transport=udp)");
        }
        Scheme scheme = Scheme.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = m.group(3) == null ? (scheme.isTls() ? 5349 : 3478) : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("'" + url + "' has port " + port + ", outside 1-65535");
        }
        if (!scheme.isTurn() && m.group(4) != null) {
            throw new IllegalArgumentException("'" + url + "': ?transport= is only defined for turn: URLs");
        }
        Transport transport = scheme.isTls() || "tcp".equalsIgnoreCase(m.group(4)) ? Transport.TCP : Transport.UDP;
        if (scheme.isTls() && "udp".equalsIgnoreCase(m.group(4))) {
            throw new IllegalArgumentException("'" + url + "': turns: runs over TLS, so transport=udp is impossible");
        }
        return new IceUrl(scheme, host, port, transport);
    }
}
