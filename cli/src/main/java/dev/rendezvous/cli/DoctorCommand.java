package dev.rendezvous.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rendezvous doctor [URL] [--token T] [--json]}: checks a deployment step by step and prints one
 * line per check, ✓ or ✗ with the reason. Exits 0 only when every check passed, 1 otherwise.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        header = "Diagnoses a deployment step by step, down to a real peer connection.",
        description = {
            "Diagnoses a Rendezvous deployment: HTTP, /healthz, ICE servers, each STUN/TURN server,",
            "WebSocket admission, two in-process peers over a data channel, round-trip time.",
            "Exit status 0 only when every check passes."
        })
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ServerArgument server;

    URI url;

    @Option(
            names = "--token",
            defaultValue = "${env:RENDEZVOUS_TOKEN}",
            description = "JWT for servers with auth on (env: RENDEZVOUS_TOKEN).")
    String token;

    @Option(
            names = "--peerjs-path",
            defaultValue = "/",
            paramLabel = "PATH",
            description = "The server's PeerJS path, as its peerjs.path (default: ${DEFAULT-VALUE}).")
    String peerJsPath;

    @Option(
            names = "--peerjs-key",
            defaultValue = "peerjs",
            paramLabel = "KEY",
            description =
                    "The server's PeerJS key with auth off, as its peerjs.key (default: ${DEFAULT-VALUE}); with --token the token is the key.")
    String peerJsKey;

    @Option(names = "--json", description = "Print one JSON object instead of the checklist.")
    boolean json;

    @Option(
            names = "--timeout",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Time limit of each check (default: ${DEFAULT-VALUE}; the peer check gets three times it).")
    Duration timeout;

    private final Doctor.PeerCheck peerCheck;

    /** The command line's instance: the peers run in a child JVM ({@link DoctorPeersProcess}). */
    DoctorCommand() {
        this(new DoctorPeersProcess());
    }

    DoctorCommand(Doctor.PeerCheck peerCheck) {
        this.peerCheck = peerCheck;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        url = server.http();
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        List<DoctorCheck> checks;
        try {
            DoctorTarget target =
                    new DoctorTarget(url, Optional.ofNullable(token).filter(t -> !t.isBlank()), timeout, http);
            checks = new Doctor(target, peerCheck, peerJsPath, peerJsKey).run();
        } finally {
            http.close();
        }
        boolean allPassed = checks.stream().allMatch(DoctorCheck::ok);
        out.print(json ? json(checks, allPassed) : text(checks, allPassed));
        out.flush();
        return allPassed ? 0 : 1;
    }

    private String text(List<DoctorCheck> checks, boolean allPassed) {
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(10);
        StringBuilder s = new StringBuilder("rendezvous doctor " + url + "\n");
        for (DoctorCheck c : checks) {
            s.append(!c.ok() ? "✗ " : c.warning() ? "⚠ " : "✓ ")
                    .append(String.format(Locale.ROOT, "%-" + width + "s  ", c.name()))
                    .append(c.detail());
            if (!c.elapsed().isZero()) {
                s.append(String.format(Locale.ROOT, " [%d ms]", c.elapsed().toMillis()));
            }
            s.append('\n');
        }
        long failed = checks.stream().filter(c -> !c.ok()).count();
        long warned = checks.stream().filter(DoctorCheck::warning).count();
        s.append(
                allPassed
                        ? "all " + checks.size() + " checks passed"
                                + (warned > 0 ? " (" + warned + " with a warning)" : "") + "\n"
                        : failed + " of " + checks.size() + " checks failed\n");
        return s.toString();
    }

    private String json(List<DoctorCheck> checks, boolean allPassed) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("url", url.toString());
        root.put("ok", allPassed);
        ArrayNode list = root.putArray("checks");
        for (DoctorCheck c : checks) {
            list.addObject()
                    .put("name", c.name())
                    .put("ok", c.ok())
                    .put("status", c.status())
                    .put("detail", c.detail())
                    .put("elapsed_ms", c.elapsed().toNanos() / 1e6);
        }
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of strings and numbers always serializes
        }
    }
}
