package dev.rendezvous.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One {@code rendezvous chat} JVM driven through stdin; its stdout and stderr lines are collected. */
final class ChatProcess implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Writer stdin;
    final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    final BlockingQueue<String> stderr = new LinkedBlockingQueue<>();
    private final List<String> backlog = new ArrayList<>(); // status lines skipped by a wait, guarded by this

    private ChatProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(process.getInputStream(), stdout, "chat-stdout");
        pump(process.getErrorStream(), stderr, "chat-stderr");
    }

    /** Starts {@code rendezvous chat ARGS} on this test's classpath, stdin/stdout as pipes (plain mode). */
    static ChatProcess start(String... chatArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Djava.net.preferIPv4Stack=true",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "chat"));
        command.addAll(List.of(chatArgs));
        return new ChatProcess(new ProcessBuilder(command).start());
    }

    private static void pump(InputStream stream, BlockingQueue<String> into, String name) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    into.add(line);
                }
            } catch (IOException ended) {
                // Process gone.
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
    }

    void type(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Closes stdin: end of input. */
    void endInput() throws IOException {
        stdin.close();
    }

    /** The next stdout line (a received message). */
    String nextMessage() throws InterruptedException {
        String line = stdout.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no message on stdout within " + WAIT + "; stderr: " + stderr);
        }
        return line;
    }

    /** Waits for a stderr status line containing {@code fragment}; lines skipped stay available to later waits. */
    synchronized String awaitStatus(String fragment) throws InterruptedException {
        for (var it = backlog.iterator(); it.hasNext(); ) {
            String line = it.next();
            if (line.contains(fragment)) {
                it.remove();
                return line;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? stderr.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no status containing \"" + fragment + "\"; saw " + backlog);
            }
            if (line.contains(fragment)) {
                return line;
            }
            backlog.add(line);
        }
    }

    /** Waits for the process to exit; returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("chat did not exit within " + WAIT + "; stderr: " + stderr);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
