package dev.rendezvous.cli;

import java.net.URI;
import java.util.List;

/**
 * The lines {@code serve} prints after its "Rendezvous listening on …" line (which stays first and
 * unchanged: scripts and tests parse it): what a first-time user opens to try the server. A server bound
 * to every interface ({@code 0.0.0.0}, {@code ::}) is named by 127.0.0.1 here, since a browser cannot open
 * the wildcard address; other machines use this one's own address.
 */
final class ServeBanner {
    private ServeBanner() {}

    /** The hint lines for a server whose HTTP base is {@code http} (e.g. {@code http://127.0.0.1:8765/}). */
    static List<String> hints(URI http) {
        String host = http.getHost();
        boolean wildcard = "0.0.0.0".equals(host) || "[0:0:0:0:0:0:0:0]".equals(host) || "[::]".equals(host);
        URI base = wildcard ? URI.create(http.getScheme() + "://127.0.0.1:" + http.getPort() + "/") : http;
        return List.of(
                "  Try it: open " + base + " in two browser tabs and pair them"
                        + (wildcard
                                ? " (from another machine: this machine's address, port " + http.getPort() + ")"
                                : "")
                        + ".",
                "  Dashboard: " + base.resolve("/debug.html") + "   Health: " + base.resolve("/healthz")
                        + "   Stop: Ctrl-C");
    }
}
