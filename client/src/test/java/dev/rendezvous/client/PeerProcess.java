package dev.rendezvous.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link PeerProcessMain} in its own JVM: the test writes its stdin and reads its event lines. */
public final class PeerProcess implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final EventLines lines = new EventLines(PeerRecorder.WAIT);

    private PeerProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = out.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException ended) {
                        // The process is gone.
                    }
                },
                "peer-process-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    public static PeerProcess start(URI lobby, String clientId) throws IOException {
        return start(lobby, clientId, List.of());
    }

    /** With {@code extraArgs} = [bytes]: a counting sink (see {@link PeerProcessMain}). */
    public static PeerProcess start(URI lobby, String clientId, List<String> extraArgs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path logs = Path.of("target", "peer-processes");
        Files.createDirectories(logs);
        List<String> command = new ArrayList<>(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Djava.net.preferIPv4Stack=true",
                "-cp",
                System.getProperty("java.class.path"),
                PeerProcessMain.class.getName(),
                lobby.toString(),
                clientId));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.to(new File(logs.toFile(), clientId + ".stderr")));
        return new PeerProcess(builder.start());
    }

    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits for the stdout line {@code expected}; lines skipped meanwhile stay available to later waits. */
    public void awaitLine(String expected) throws InterruptedException {
        try {
            lines.await(expected);
        } catch (AssertionError e) {
            throw new AssertionError("peer process: " + e.getMessage()
                    + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
        }
    }

    /** Sends /quit and waits for the JVM to exit by itself (main returns; no System.exit). */
    int quitAndAwaitExit() throws IOException, InterruptedException {
        send("/quit");
        assertThat(process.waitFor(20, TimeUnit.SECONDS))
                .as("the peer JVM exits after close")
                .isTrue();
        return process.exitValue();
    }

    /** Kills the JVM at once, as a crash would: no close frame, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
