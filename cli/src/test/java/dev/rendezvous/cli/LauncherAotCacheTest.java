package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.WsRecorder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's AOT cache, end to end: {@code ./rendezvous serve} in a copy of the built layout
 * ({@code cli/target/rendezvous.jar} + {@code lib/}, made here from this test's classpath) trains a cache
 * on first use, and a fresh server maps it — checked in the JVM's own {@code -Xlog:aot} lines, never
 * assumed. Another collector gets a cache of its own beside the first; a changed jar makes a new cache
 * (the stale ones are deleted); a broken cache file is reported
 * by the JVM and the server starts anyway; {@code RENDEZVOUS_AOT=off} leaves it out.
 */
class LauncherAotCacheTest {
    private static final Pattern LISTENING = Pattern.compile("Rendezvous listening on (ws://127\\.0\\.0\\.1:\\d+/)");
    private static final String MAPPED = "Using AOT-linked classes: true";

    @TempDir
    static Path root;

    private static Path jar;

    @BeforeAll
    static void builtLayout() throws IOException {
        assumeTrue(Runtime.version().feature() >= 25, "the AOT cache needs JDK 25");
        jar = BuiltLayout.create(root);
    }

    @Test
    void freshServerMapsTheCacheMadeOnFirstUseAndAStaleOneIsRebuilt() throws Exception {
        Run first = serve(Map.of());
        assertThat(first.err())
                .as("the training run's log:%n%s", trainingLogs())
                .contains("making the AOT cache")
                .contains("AOT cache ready");
        Path cache = first.mappedCache();
        assertThat(first.out()).contains(MAPPED);

        Run second = serve(Map.of());
        assertThat(second.err()).doesNotContain("making the AOT cache");
        assertThat(second.mappedCache()).isEqualTo(cache);
        assertThat(second.out()).contains(MAPPED);

        // Another collector (an option a cache is only valid with) gets a cache of its own, beside the first:
        // switching between the two keeps both rather than training again at every switch.
        Run serial = serve(Map.of("RENDEZVOUS_JAVA_OPTS", "-Xlog:aot -XX:+UseSerialGC"));
        assertThat(serial.err())
                .as("the training run's log:%n%s", trainingLogs())
                .contains("AOT cache ready");
        Path serialCache = serial.mappedCache();
        assertThat(serialCache).isNotEqualTo(cache);
        assertThat(serial.out()).contains(MAPPED);
        assertThat(cache).exists();
        Run back = serve(Map.of());
        assertThat(back.err()).doesNotContain("making the AOT cache");
        assertThat(back.mappedCache()).isEqualTo(cache);

        // A rebuilt jar (other content, other time): the launcher makes a new cache and deletes the stale one.
        Manifest manifest;
        try (JarFile built = new JarFile(jar.toFile())) {
            manifest = built.getManifest();
        }
        BuiltLayout.jarOf(BuiltLayout.classes(), jar, manifest, true);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 2000));
        Run rebuilt = serve(Map.of());
        assertThat(rebuilt.err())
                .as("the training run's log:%n%s", trainingLogs())
                .contains("AOT cache ready");
        assertThat(rebuilt.mappedCache()).isNotEqualTo(cache);
        assertThat(rebuilt.out()).contains(MAPPED);
        assertThat(cache).doesNotExist();
        assertThat(serialCache).as("every cache of the older build goes").doesNotExist();

        // A cache the JVM cannot map is said so on the server's output, and the server starts without it.
        Path current = rebuilt.mappedCache();
        Files.writeString(current, "not an AOT cache");
        Run broken = serve(Map.of());
        assertThat(broken.out()).containsPattern("\\[error *\\]\\[aot\\]").doesNotContain(MAPPED);

        Run off = serve(Map.of("RENDEZVOUS_AOT", "off"));
        assertThat(off.out()).doesNotContain("Opened AOT cache");
        assertThat(off.err()).doesNotContain("AOT");
    }

    /** The training runs' logs, for a failure message (without the server's INFO lines). */
    private static String trainingLogs() throws IOException {
        try (Stream<Path> logs = Files.list(root.resolve("cli/target/aot"))) {
            StringBuilder text = new StringBuilder();
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("train-"))
                    .toList()) {
                Files.readAllLines(log).stream()
                        .filter(l -> !l.contains(" INFO "))
                        .forEach(l -> text.append(l).append('\n'));
            }
            return text.toString();
        }
    }

    /** What one {@code ./rendezvous serve} printed until its first WebSocket was admitted. */
    private record Run(String out, String err) {
        Path mappedCache() {
            Matcher m = Pattern.compile("Opened AOT cache (\\S+\\.aot)\\.").matcher(out);
            assertThat(m.find()).as("the JVM opened an AOT cache:%n%s", out).isTrue();
            return Path.of(m.group(1));
        }
    }

    /** Starts {@code ./rendezvous serve --port 0} with {@code -Xlog:aot}, waits for it, is admitted once, stops it by PID. */
    private static Run serve(Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(root, "serve", ".out");
        Path err = Files.createTempFile(root, "serve", ".err");
        ProcessBuilder pb = new ProcessBuilder(
                        root.resolve("rendezvous").toString(), "serve", "--host", "127.0.0.1", "--port", "0")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("RENDEZVOUS_JAVA_OPTS", "-Xlog:aot");
        pb.environment().remove("RENDEZVOUS_AOT");
        pb.environment().putAll(env);
        Process serve = pb.start();
        try {
            // The first start after a build includes the training run (seconds; much longer on a loaded machine).
            await().atMost(Duration.ofMinutes(6))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !serve.isAlive()
                            || LISTENING.matcher(Files.readString(out)).find());
            Matcher m = LISTENING.matcher(Files.readString(out));
            assertThat(m.find())
                    .as("listening:%n%s%n%s", Files.readString(out), Files.readString(err))
                    .isTrue();
            try (WsRecorder client = WsRecorder.connect(URI.create(m.group(1) + "ws"))) {
                client.next(Message.YourId.class);
            }
            return new Run(Files.readString(out), Files.readString(err));
        } finally {
            CliProcess.stop(serve, Duration.ofSeconds(20));
        }
    }
}
