package dev.rendezvous.client.rtc;

import java.util.Optional;

/**
 * Loopback ICE mode: keeps all peer-to-peer traffic on 127.0.0.1. libwebrtc never gathers loopback
 * candidates, so with adapter enumeration disabled (sockets on the wildcard address) each local host
 * candidate is rewritten to 127.0.0.1 before it is signalled; IPv6 host candidates are dropped.
 * Candidates of other types (relay on a loopback TURN server) pass unchanged.
 */
final class LoopbackCandidates {
    static final String LOOPBACK = "127.0.0.1";

    private LoopbackCandidates() {}

    /**
     * Rewrites one candidate line ({@code candidate:…}, optionally with {@code a=}).
     * Fields: foundation, component, protocol, priority, address (5th), port, "typ", type, ...
     */
    static Optional<String> rewrite(String candidate) {
        String[] fields = candidate.trim().split(" ");
        if (fields.length < 8 || !"typ".equals(fields[6])) {
            return Optional.of(candidate); // not a shape we understand: leave it to libwebrtc
        }
        if (!"host".equals(fields[7])) {
            return Optional.of(candidate);
        }
        if (fields[4].contains(":")) {
            return Optional.empty();
        }
        fields[4] = LOOPBACK;
        return Optional.of(String.join(" ", fields));
    }

    /** Applies {@link #rewrite} to every {@code a=candidate:} line of an SDP. */
    static String rewriteSdp(String sdp) {
        StringBuilder out = new StringBuilder(sdp.length());
        for (String line : sdp.split("\r\n", -1)) {
            if (line.startsWith("a=candidate:")) {
                Optional<String> rewritten = rewrite(line.substring(2));
                if (rewritten.isEmpty()) {
                    continue;
                }
                line = "a=" + rewritten.get();
            }
            out.append(line).append("\r\n");
        }
        // split(-1) leaves an empty last element after the final CRLF: drop the extra CRLF we appended.
        out.setLength(out.length() - 2);
        return out.toString();
    }
}
