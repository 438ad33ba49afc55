package dev.rendezvous.testing;

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

/**
 * One {@code rendezvous chat} child JVM (the CLI's {@code Main} on the calling test's classpath) driven as a
 * script would: lines typed on stdin (UTF-8), each received message one stdout line, status lines on
 * stderr prefixed {@code "* "}. {@link #close()} ends the process through its own handle if it is still
 * alive. Waits are bounded by {@link #WAIT}; nothing sleeps.
 */
public final class ChatProcess implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CLI_MAIN = "dev.rendezvous.cli.Main"; // by name: this module does not depend on cli

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> stderr = new LinkedBlockingQueue<>();
    private final Thread stdoutReader;
    /** Status lines read past by earlier waits, still available to later ones. Guarded by this. */
    private final List<String> statusSeen = new ArrayList<>();

    private ChatProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        stdoutReader = pump(process.getInputStream(), stdout, "chat-stdout");
        pump(process.getErrorStream(), stderr, "chat-stderr");
    }

    /** Starts {@code rendezvous chat ARGS} with stdin and stdout as pipes (so in plain line mode). */
    public static ChatProcess start(String... chatArgs) throws IOException {
        return command("chat", chatArgs);
    }

    /**
     * Starts another {@code rendezvous SUBCOMMAND ARGS} the same way ({@code send}, {@code receive}): stdout
     * lines come from {@link #nextMessage()}, stderr lines from {@link #awaitStatus}.
     */
    public static ChatProcess command(String subcommand, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Djava.net.preferIPv4Stack=true",
                // As the ./rendezvous launcher: keeps C2 in Temurin 25.0.3 off a Netty method it crashed on.
                "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=exclude,io.netty.util.internal.ReferenceCountUpdater::retryRelease0",
                "-cp",
                System.getProperty("java.class.path"),
                CLI_MAIN,
                subcommand));
        command.addAll(List.of(args));
        return new ChatProcess(new ProcessBuilder(command).start());
    }

    private static Thread pump(InputStream stream, BlockingQueue<String> into, String name) {
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            into.add(line);
                        }
                    } catch (IOException ended) {
                        // The process is gone; what it wrote is in the queue.
                    }
                },
                name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Types one line (a message, or a command such as {@code /quit}). */
    public void type(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Closes stdin: end of input. */
    public void endInput() throws IOException {
        stdin.close();
    }

    /** The next received message (one stdout line). */
    public String nextMessage() throws InterruptedException {
        String line = stdout.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no message on stdout within " + WAIT + "; stderr: " + statusLines());
        }
        return line;
    }

    /** Messages received and not read yet. */
    public List<String> unreadMessages() {
        List<String> rest = new ArrayList<>();
        stdout.drainTo(rest);
        return rest;
    }

    /**
     * Every stdout line not read yet, up to the end of the stream: call after {@link #awaitExit()} (it waits
     * until the whole output, including what the process wrote while it exited, has been read).
     */
    public List<String> stdoutAfterExit() throws InterruptedException {
        stdoutReader.join(WAIT.toMillis());
        if (stdoutReader.isAlive()) {
            throw new AssertionError("stdout did not end within " + WAIT);
        }
        return unreadMessages();
    }

    /** Waits for a status line containing {@code fragment} and returns it whole (with its {@code "* "}). */
    public synchronized String awaitStatus(String fragment) throws InterruptedException {
        for (var it = statusSeen.iterator(); it.hasNext(); ) {
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
                throw new AssertionError(
                        "no status containing \"" + fragment + "\" within " + WAIT + "; saw " + statusSeen);
            }
            if (line.contains(fragment)) {
                return line;
            }
            statusSeen.add(line);
        }
    }

    /** Waits for the process to end; returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("rendezvous chat did not exit within " + WAIT + "; stderr: " + statusLines());
        }
        return process.exitValue();
    }

    private synchronized List<String> statusLines() {
        List<String> lines = new ArrayList<>(statusSeen);
        lines.addAll(stderr);
        return lines;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            // End of input first: the chat leaves with a close frame, as Ctrl-D would. A killed chat's
            // resumable session (v1.1) would stay detached on the server for its resume grace.
            try {
                process.getOutputStream().close();
            } catch (IOException alreadyClosed) {
                // the test ended the input itself
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
