package dev.rendezvous.cli;

import static dev.rendezvous.cli.DoctorTarget.since;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link DoctorPeers} in a child JVM. libwebrtc's native threads print to the process's standard
 * output while the JVM exits ("VM attach current thread failed"), which would corrupt
 * {@code doctor --json}; a crash inside libwebrtc would take the whole doctor down. In a child both stay
 * contained: the parent reads one marker line and ignores the rest. Costs one JVM start (~0.5 s).
 */
final class DoctorPeersProcess implements Doctor.PeerCheck {

    static final String MARKER = "RENDEZVOUS-DOCTOR-PEERS ";
    static final String TOKEN_ENV = "RENDEZVOUS_DOCTOR_TOKEN";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** JVM start and libwebrtc load come on top of the check's own time limit. */
    private static final Duration START_ALLOWANCE = Duration.ofSeconds(15);

    private static final List<String> TRUST_PROPERTIES =
            List.of("javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType");

    @Override
    public DoctorCheck run(URI webSocket, Optional<String> token, Duration timeout) {
        long start = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED"));
        // A trust store given to the doctor (RENDEZVOUS_JAVA_OPTS=-Djavax.net.ssl.trustStore=...) applies to the peers
        // too.
        for (String property : TRUST_PROPERTIES) {
            String value = System.getProperty(property);
            if (value != null) {
                command.add("-D" + property + "=" + value);
            }
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                DoctorPeers.class.getName(),
                webSocket.toString(),
                Long.toString(timeout.toMillis())));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        // The token goes through the environment, not the argument list that `ps` shows everyone.
        token.ifPresentOrElse(
                t -> builder.environment().put(TOKEN_ENV, t),
                () -> builder.environment().remove(TOKEN_ENV));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return DoctorCheck.fail(
                    DoctorPeers.NAME, "cannot start a JVM for the peers: " + e.getMessage(), since(start));
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(timeout.plus(START_ALLOWANCE).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return DoctorCheck.fail(
                        DoctorPeers.NAME,
                        "the peer check did not finish within "
                                + timeout.plus(START_ALLOWANCE).toSeconds() + " s",
                        since(start));
            }
            String text = output.get(5, TimeUnit.SECONDS);
            for (String line : text.split("\n")) {
                if (line.startsWith(MARKER)) {
                    return decode(line.substring(MARKER.length()));
                }
            }
            return DoctorCheck.fail(
                    DoctorPeers.NAME,
                    "the peer check process exited with " + process.exitValue()
                            + " without a verdict (libwebrtc failed to load or crashed)",
                    since(start));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return DoctorCheck.fail(DoctorPeers.NAME, "interrupted", since(start));
        } catch (Exception e) {
            process.destroyForcibly();
            return DoctorCheck.fail(
                    DoctorPeers.NAME, "cannot read the peer check's verdict: " + e.getMessage(), since(start));
        }
    }

    static String encode(DoctorCheck check) {
        return JSON.createObjectNode()
                .put("ok", check.ok())
                .put("detail", check.detail())
                .put("elapsed_nanos", check.elapsed().toNanos())
                .toString();
    }

    static DoctorCheck decode(String json) throws IOException {
        JsonNode node = JSON.readTree(json);
        return new DoctorCheck(
                DoctorPeers.NAME,
                node.path("ok").asBoolean(false),
                node.path("detail").asText(),
                Duration.ofNanos(node.path("elapsed_nanos").asLong()));
    }

    private static String javaBinary() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
