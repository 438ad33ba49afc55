package dev.rendezvous.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/**
 * {@code rendezvous rooms [URL] --admin-token T [--json]}: every room of the cluster with its members, from
 * the admin API. Exit 0 when the server answered, 1 when it could not be read, 2 on a usage error (no token).
 */
@Command(
        name = "rooms",
        mixinStandardHelpOptions = true,
        header = "Lists a running server's rooms with their members (admin API).",
        description = {
            "Lists every room of a running server's cluster with its members (id, name, node), read from",
            "the admin API (the server must run with --admin-token). Exit status 0 when the server answered."
        })
final class RoomsCommand extends AdminCommand {

    RoomsCommand() {
        super("/admin/api/rooms");
    }

    @Override
    String text(JsonNode data) {
        StringBuilder b = new StringBuilder();
        if (!data.path("complete").asBoolean(true)) {
            b.append("! the cluster backplane is unreachable: only the answering node's members are shown\n");
        }
        if (data.get("rooms").isEmpty()) {
            return b.append("no rooms\n").toString();
        }
        for (JsonNode room : data.get("rooms")) {
            b.append(room.get("id").asText())
                    .append(" (")
                    .append(StatusCommand.plural(room.get("members").size(), "member"))
                    .append(")\n");
            for (JsonNode m : room.get("members")) {
                b.append(String.format(
                        "  %-24s %-20s @%s%n",
                        m.get("id").asText(),
                        m.get("username").isNull() ? "-" : m.get("username").asText(),
                        m.get("node").asText()));
            }
        }
        return b.toString();
    }
}
