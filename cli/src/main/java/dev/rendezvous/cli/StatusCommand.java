package dev.rendezvous.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import picocli.CommandLine.Command;

/**
 * {@code rendezvous status [URL] --admin-token T [--json]}: the cluster's counts, every node and every
 * PeerJS client, from the admin API. Exit 0 when the server answered, 1 when it could not be read, 2 on a usage error (no token).
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        header = "Shows a running server's nodes, connections, sessions and rooms (admin API).",
        description = {
            "Shows a running server's counts and every node of its cluster, read from the admin API",
            "(the server must run with --admin-token). Exit status 0 when the server answered."
        })
final class StatusCommand extends AdminCommand {

    StatusCommand() {
        super("/admin/api/nodes");
    }

    @Override
    String text(JsonNode data) {
        JsonNode c = data.get("counts");
        StringBuilder b = new StringBuilder();
        b.append(plural(c.get("nodes").asInt(), "node"))
                .append(" · ")
                .append(plural(c.get("connections").asInt(), "connection"))
                .append(" · ")
                .append(plural(c.get("sessions").asInt(), "session"))
                .append(
                        c.path("peerjs_sessions").asInt() > 0
                                ? " (" + c.get("peerjs_sessions").asInt() + " PeerJS)"
                                : "")
                .append(" · ")
                .append(plural(c.get("rooms").asInt(), "room"))
                .append(" (")
                .append(c.get("room_members").asInt())
                .append(" in rooms)\n");
        if (!data.path("complete").asBoolean(true)) {
            b.append("! the cluster backplane is unreachable: only the answering node is shown\n");
        }
        b.append(
                String.format("%-24s %-28s %-20s %11s %8s%n", "NODE", "ADDRESS", "STARTED", "CONNECTIONS", "SESSIONS"));
        for (JsonNode n : data.get("nodes")) {
            b.append(String.format(
                    "%-24s %-28s %-20s %11d %8d%n",
                    n.get("id").asText(),
                    n.get("address").asText(),
                    Instant.ofEpochMilli(n.get("started").asLong()).toString().replaceFirst("\\.\\d+Z$", "Z"),
                    n.get("connections").asInt(),
                    n.get("sessions").asInt()));
        }
        JsonNode peerJs = data.path("peerjs");
        if (!peerJs.isEmpty()) {
            b.append(String.format(
                    "%n%-8s %-32s %-24s %-20s %s%n", "PROTOCOL", "PEERJS ID", "NODE", "CONNECTED", "REMOTE"));
            for (JsonNode s : peerJs) {
                b.append(String.format(
                        "%-8s %-32s %-24s %-20s %s%n",
                        s.path("protocol").asText(),
                        s.path("id").asText(),
                        s.path("node").asText(),
                        Instant.ofEpochMilli(s.path("connected_since").asLong())
                                .toString()
                                .replaceFirst("\\.\\d+Z$", "Z"),
                        s.path("remote_address").asText()));
            }
        }
        return b.toString();
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
