package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.WsRecorder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive, as a user gets it: {@code ./rendezvous dist} (in a copy of the built layout, with
 * this test's JDK) makes the tar.gz once for the class; it is unpacked into an empty directory and its
 * {@code bin/rendezvous serve} runs with an environment that holds no Java (a {@code PATH} of bash and three
 * coreutils, no {@code JAVA_HOME}): it prints its listening line first and the hints after it, answers
 * {@code /healthz}, admits a WebSocket client, and maps the AOT cache shipped in the archive — checked in
 * the JVM's own {@code -Xlog:aot} lines. Stopped by its PID (SIGTERM), it exits.
 */
class DistArchiveTest {
    private static final Pattern LISTENING = Pattern.compile(
            "Rendezvous listening on (ws://127\\.0\\.0\\.1:(\\d+)/) \\(http://127\\.0\\.0\\.1:\\d+/\\)");

    @TempDir
    static Path work;

    /** The unpacked release: {@code rendezvous-<version>-linux-<arch>/}. */
    private static Path release;
    /** A directory of the few tools bin/rendezvous needs, and nothing else: the test's whole PATH. */
    private static Path tools;

    @BeforeAll
    static void buildAndUnpack() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        assumeTrue(
                Runtime.version().feature() >= 25 && Files.isExecutable(jdk.resolve("bin/jlink")),
                "the release's runtime is linked from a JDK 25 with jlink");
        Path checkout = work.resolve("checkout");
        BuiltLayout.create(checkout);
        Path log = work.resolve("dist.log");
        ProcessBuilder dist = new ProcessBuilder(checkout.resolve("rendezvous").toString(), "dist")
                .redirectOutput(work.resolve("dist.out").toFile())
                .redirectError(log.toFile());
        dist.environment().put("JAVA_HOME", jdk.toString());
        dist.environment().remove("RENDEZVOUS_JAVA_OPTS");
        Process p = dist.start();
        // jlink and the training run: ~20 s on an idle machine, minutes on a loaded one.
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        assertThat(p.exitValue())
                .as("./rendezvous dist:%n%s", Files.readString(log))
                .isZero();
        List<String> out = Files.readAllLines(work.resolve("dist.out"));
        Path archive = Path.of(out.getLast());
        assertThat(archive.getFileName().toString()).matches("rendezvous-dev-linux-[a-z0-9_]+\\.tar\\.gz");

        Path install = Files.createDirectories(work.resolve("install"));
        Process tar = new ProcessBuilder("tar", "-C", install.toString(), "-xzf", archive.toString())
                .inheritIO()
                .start();
        assertThat(tar.waitFor()).isZero();
        try (Stream<Path> entries = Files.list(install)) {
            release = entries.toList().getFirst();
        }
        tools = Files.createDirectories(work.resolve("tools"));
        for (String tool : List.of("bash", "dirname", "realpath", "cat")) {
            Files.createSymbolicLink(tools.resolve(tool), which(tool));
        }
    }

    @Test
    void archiveHoldsItsRuntimeCacheScriptsAndSystemdUnit() throws IOException {
        assertThat(release.resolve("bin/rendezvous")).isExecutable();
        assertThat(release.resolve("runtime/bin/java")).isExecutable();
        assertThat(release.resolve("runtime/bin/javac"))
                .as("a trimmed runtime, not a JDK")
                .doesNotExist();
        assertThat(release.resolve("lib/rendezvous.aot")).isNotEmptyFile();
        assertThat(release.resolve("lib/app/rendezvous.jar")).isRegularFile();
        assertThat(Files.readString(release.resolve("bin/rendezvous")))
                .as("the JVM options come from the one shared file")
                .contains("source \"$home/lib/jvm-options.sh\"");
        assertThat(release.resolve("lib/jvm-options.sh"))
                .hasSameTextualContentAs(BuiltLayout.project().resolve("dist/lib/jvm-options.sh"));
        assertThat(Files.readString(release.resolve("lib/systemd/rendezvous.service")))
                .contains("ExecStart=/opt/rendezvous/current/bin/rendezvous serve")
                .contains("User=rendezvous")
                .contains("EnvironmentFile=-/etc/rendezvous/rendezvous.env")
                .contains("NoNewPrivileges=yes")
                .contains("ProtectSystem=strict");
        assertThat(Files.readString(release.resolve("etc/rendezvous.env"))).contains("RENDEZVOUS_PORT=8765");
    }

    @Test
    void servesWithoutJavaOnTheMachineAndMapsTheShippedCache() throws Exception {
        Path aotLog = work.resolve("aot.log");
        Path out = work.resolve("serve.out");
        Path err = work.resolve("serve.err");
        assertThat(tools).isDirectoryNotContaining("glob:**/{java,mvn}");
        Process serve = serveRelease(out, err, "-Xlog:aot:file=" + aotLog);
        try {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() ->
                            !serve.isAlive() || Files.readString(out).lines().count() >= 3);
            List<String> lines = Files.readAllLines(out);
            assertThat(lines)
                    .as("stdout:%n%s%nstderr:%n%s", String.join("\n", lines), Files.readString(err))
                    .hasSizeGreaterThanOrEqualTo(3);
            Matcher m = LISTENING.matcher(lines.getFirst());
            assertThat(m.matches()).as("the first line: %s", lines.getFirst()).isTrue();
            String http = "http://127.0.0.1:" + m.group(2) + "/";
            assertThat(lines.get(1)).isEqualTo("  Try it: open " + http + " in two browser tabs and pair them.");
            assertThat(lines.get(2)).startsWith("  Dashboard: " + http + "debug.html");

            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(http + "healthz")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"ok\"");
            try (WsRecorder client = WsRecorder.connect(URI.create(m.group(1) + "ws"))) {
                client.next(Message.YourId.class);
            }

            String aot = Files.readString(aotLog);
            assertThat(aot)
                    .contains("Opened AOT cache " + release.resolve("lib/rendezvous.aot") + ".")
                    .contains("Using AOT-linked classes: true");
        } finally {
            // SIGTERM to the JVM: bin/rendezvous execs it, so this is its PID
            CliProcess.stop(serve, Duration.ofSeconds(20));
        }
        assertThat(serve.exitValue()).as("a graceful stop").isIn(0, 143);
    }

    @Test
    void anotherCollectorThanTheTrainedOneStartsWithoutTheCacheAndSaysSo() throws Exception {
        Path aotLog = work.resolve("aot-serial.log");
        Path out = work.resolve("serial.out");
        Path err = work.resolve("serial.err");
        Process serve = serveRelease(out, err, "-XX:+UseSerialGC -Xlog:aot:file=" + aotLog);
        try {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !serve.isAlive()
                            || LISTENING.matcher(Files.readString(out)).find());
            assertThat(LISTENING.matcher(Files.readString(out)).find())
                    .as("stderr:%n%s", Files.readString(err))
                    .isTrue();
            assertThat(Files.readString(err))
                    .contains("the shipped AOT cache was trained with [] but RENDEZVOUS_JAVA_OPTS"
                            + " gives [-XX:+UseSerialGC]; starting without it");
            assertThat(Files.readString(aotLog)).doesNotContain("Opened AOT cache");
        } finally {
            CliProcess.stop(serve, Duration.ofSeconds(20));
        }
    }

    /**
     * Starts the release's {@code bin/rendezvous serve --port 0} with nothing in its environment but the
     * {@link #tools} as PATH, a HOME and {@code javaOpts} as RENDEZVOUS_JAVA_OPTS; stdout and stderr to files.
     */
    private static Process serveRelease(Path out, Path err, String javaOpts) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(release.resolve("bin/rendezvous").toString(), "serve", "--port", "0")
                .directory(work.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().clear();
        pb.environment()
                .putAll(Map.of("PATH", tools.toString(), "HOME", work.toString(), "RENDEZVOUS_JAVA_OPTS", javaOpts));
        return pb.start();
    }

    private static Path which(String tool) {
        for (String dir : System.getenv("PATH").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(tool + " is not on PATH");
    }
}
