package dev.rendezvous.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.cli.stun.StunProbe;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.server.ice.IceUrl;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rendezvous doctor}'s STUN/TURN checks: reads the servers a Rendezvous server hands out and asks each
 * one for a binding (STUN) or an allocation with the handed-out credential (TURN). Blocking, on the caller's
 * thread.
 */
final class DoctorIceServers {

    private final Duration timeout;

    DoctorIceServers(Duration timeout) {
        this.timeout = timeout;
    }

    static List<IceServer> parse(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("the answer has no \"ice_servers\" array");
        }
        List<IceServer> servers = new ArrayList<>();
        for (JsonNode entry : array) {
            JsonNode urls = entry.path("urls");
            List<String> list = new ArrayList<>();
            if (urls.isTextual()) {
                list.add(urls.textValue());
            } else {
                urls.forEach(u -> list.add(u.asText()));
            }
            servers.add(new IceServer(list, textOrNull(entry, "username"), textOrNull(entry, "credential")));
        }
        return servers;
    }

    static String describe(List<IceServer> servers) {
        long stun = servers.stream()
                .flatMap(s -> s.urls().stream())
                .filter(u -> u.startsWith("stun"))
                .count();
        long turn = servers.stream()
                .flatMap(s -> s.urls().stream())
                .filter(u -> u.startsWith("turn"))
                .count();
        return stun + " STUN and " + turn + " TURN URL(s)";
    }

    /** One check per URL of {@code servers}; a single skipped one when no one said which servers ({@code known}). */
    List<DoctorCheck> checks(List<IceServer> servers, boolean known) {
        if (!known) {
            return List.of(DoctorCheck.skipped(
                    "STUN/TURN servers", "neither the ICE servers endpoint nor your_id listed them"));
        }
        List<DoctorCheck> checks = new ArrayList<>();
        for (IceServer server : servers) {
            for (String url : server.urls()) {
                checks.add(check(url, server));
            }
        }
        return checks;
    }

    private DoctorCheck check(String url, IceServer server) {
        IceUrl parsed;
        try {
            parsed = IceUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return DoctorCheck.fail("ICE " + url, e.getMessage(), Duration.ZERO);
        }
        if (!parsed.scheme().isTurn()) {
            return outcome("STUN " + url, false, StunProbe.binding(parsed, timeout));
        }
        String name = "TURN " + url;
        if (server.username() == null || server.credential() == null) {
            return DoctorCheck.fail(name, "the server hands out this TURN URL without credentials", Duration.ZERO);
        }
        return outcome(name, true, StunProbe.allocate(parsed, server.username(), server.credential(), timeout));
    }

    /** What a probe's answer means: a binding for STUN, an allocation for TURN ({@code turn}); anything else fails. */
    private static DoctorCheck outcome(String name, boolean turn, StunProbe.Result result) {
        return switch (result) {
            case StunProbe.Result.Bound b
            when !turn -> DoctorCheck.pass(name, "binding answered: we appear as " + hostPort(b.mapped()), b.elapsed());
            case StunProbe.Result.Allocated a
            when turn ->
                DoctorCheck.pass(
                        name,
                        "allocation granted with the handed-out credential: relay " + hostPort(a.relayed()),
                        a.elapsed());
            case StunProbe.Result.Refused r
            when turn ->
                DoctorCheck.fail(
                        name,
                        "allocation refused: " + r.code() + " " + r.reason()
                                + (r.code() == 401
                                        ? " (the server's --turn-secret differs from coturn's static-auth-secret, or clocks differ)"
                                        : ""),
                        r.elapsed());
            case StunProbe.Result.Refused r ->
                DoctorCheck.fail(name, "binding refused: " + r.code() + " " + r.reason(), r.elapsed());
            case StunProbe.Result.NoAnswer n -> DoctorCheck.fail(name, n.reason(), n.elapsed());
            case StunProbe.Result.Bound b -> DoctorCheck.fail(name, "unexpected binding answer", b.elapsed());
            case StunProbe.Result.Allocated a -> DoctorCheck.fail(name, "unexpected allocation answer", a.elapsed());
        };
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
